package io.natsvx.protocol;

import io.vertx.core.json.JsonObject;

/**
 * What a client said in CONNECT. Before CONNECT, and for fields it leaves out, nats-server's
 * defaults apply: verbose, pedantic and echo on. Immutable.
 */
public record ConnectOptions(
    boolean verbose,
    boolean pedantic,
    boolean tlsRequired,
    String authToken,
    String user,
    String pass,
    String name,
    String lang,
    String version,
    int protocol,
    boolean echo,
    String sig,
    String jwt,
    String nkey,
    boolean noResponders,
    boolean headers,
    JsonObject raw) {

  public static final ConnectOptions DEFAULTS =
      new ConnectOptions(true, true, false, null, null, null, null, null, null, 0, true, null, null, null, false, false,
          new JsonObject());

  /** Parses CONNECT's JSON; throws on malformed JSON or a field of the wrong type. */
  public static ConnectOptions parse(String json) {
    JsonObject o = new JsonObject(json);
    return new ConnectOptions(
        bool(o, "verbose", true),
        bool(o, "pedantic", true),
        bool(o, "tls_required", false),
        o.getString("auth_token"),
        o.getString("user"),
        o.getString("pass"),
        o.getString("name"),
        o.getString("lang"),
        o.getString("version"),
        integer(o, "protocol"),
        bool(o, "echo", true),
        o.getString("sig"),
        o.getString("jwt"),
        o.getString("nkey"),
        bool(o, "no_responders", false),
        bool(o, "headers", false),
        o);
  }

  private static boolean bool(JsonObject o, String key, boolean dflt) {
    Boolean v = o.getBoolean(key);
    return v == null ? dflt : v;
  }

  private static int integer(JsonObject o, String key) {
    Object v = o.getValue(key);
    if (v == null) {
      return 0;
    }
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return n.intValue();
    }
    throw new IllegalArgumentException(key + " is not an integer");
  }
}
