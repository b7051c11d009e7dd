package io.natsvx.config;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/** A config subtree as JSON, for plugins: maps, lists, strings, numbers and booleans as read. */
final class ConfJson {

  private ConfJson() {}

  @SuppressWarnings("unchecked")
  static JsonObject of(ConfNode map) {
    return new JsonObject((Map<String, Object>) map.toPlain());
  }
}
