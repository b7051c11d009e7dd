package io.natsvx.jetstream.wire;

import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.function.Function;

/**
 * Reads API request fields the way Go's JSON decoding leaves them: a missing or mistyped field
 * is its zero value; an enum that is none of its names is an error the caller words. Stateless.
 */
public final class JsonFields {

  private JsonFields() {}

  public static String string(JsonObject o, String key, String dflt) {
    return o.getValue(key) instanceof String s ? s : dflt;
  }

  public static boolean bool(JsonObject o, String key) {
    return o.getValue(key) instanceof Boolean b && b;
  }

  public static long number(JsonObject o, String key, long dflt) {
    return o.getValue(key) instanceof Number n ? n.longValue() : dflt;
  }

  /** One of {@code allowed} (case-insensitive), {@code dflt} when absent, else {@code invalid}'s exception. */
  public static String choice(JsonObject o, String key, String dflt, Function<String, JsApiException> invalid,
      String... allowed) {
    Object v = o.getValue(key);
    if (v == null) {
      return dflt;
    }
    String s = v.toString().toLowerCase(Locale.ROOT);
    for (String a : allowed) {
      if (a.equals(s)) {
        return s;
      }
    }
    throw invalid.apply("invalid " + key.replace('_', ' '));
  }
}
