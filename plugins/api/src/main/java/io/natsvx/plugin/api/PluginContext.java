package io.natsvx.plugin.api;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** What a plugin gets at start: the server's Vert.x, its own config block, a log. */
public interface PluginContext {

  Vertx vertx();

  /** The {@code plugins { <id>: {...} }} block of this plugin; empty when there is none. */
  JsonObject config();

  /** Writes to the server log with the plugin's id in front. */
  void log(String message);
}
