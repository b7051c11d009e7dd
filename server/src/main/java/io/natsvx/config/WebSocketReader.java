package io.natsvx.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** The {@code websocket} block, with nats-server's keys and words (opts.go parseWebsocket). */
final class WebSocketReader {

  private final ValueReader values;
  private final ConfKeys keys;
  private WebSocketOptions w; // the block as read so far

  WebSocketReader(ValueReader values) {
    this.values = values;
    this.keys = new ConfKeys(values)
        .on("listen", (v, k) -> ConfKeys.set(values.hostPort(v, k),
            hp -> w = w.withListen(hp.host().isEmpty() ? w.host() : hp.host(), hp.port())))
        .integer("port", -1, 65535, p -> w = w.withListen(w.host(), p))
        .string("host net", h -> w = w.withListen(h, w.port()))
        .string("advertise", a -> w = w.withAdvertise(a))
        .bool("no_tls", b -> w = w.withTls(w.tls(), b))
        .on("tls", (v, k) -> ConfKeys.set(new TlsReader(values).read(v, k), t -> w = w.withTls(t, w.noTls())))
        .bool("same_origin", b -> w = w.withOrigins(b, w.allowedOrigins()))
        .on("allowed_origins allowed_origin allow_origins allow_origin origins origin", this::origins)
        .bool("compression compress", b -> w = w.withCompression(b, w.handshakeTimeout()))
        .on("handshake_timeout", (v, k) -> ConfKeys.set(values.durationOrSeconds(v, k),
            d -> w = w.withCompression(w.compression(), d)))
        .on("authorization authentication", this::authorization)
        .string("no_auth_user", n -> w = w.withAuth(w.username(), w.password(), w.token(), n, w.authTimeout()))
        // Refused rather than ignored, so that no listener is more open than written.
        .error("jwt_cookie", "not supported yet");
  }

  WebSocketOptions read(ConfNode block, String key, String host) {
    if (!block.isMap()) {
      values.error(block, key, "Expected websocket to be a map, got " + ValueReader.describe(block));
      return WebSocketOptions.NONE;
    }
    w = WebSocketOptions.NONE.withListen(host, 0);
    keys.read(block.asMap(), key);
    if (w.enabled() && w.tls() == null && !w.noTls()) {
      values.error(block, key, "websocket requires TLS configuration");
    }
    return w;
  }

  /** nats-server's parseSimpleAuth: one user or a token, and a timeout. */
  private void authorization(ConfNode v, String key) {
    if (!v.isMap()) {
      values.error(v, key, "Expected map to define authorization, got " + ValueReader.describe(v));
      return;
    }
    new ConfKeys(values)
        .string("user username", u -> w = w.withAuth(u, w.password(), w.token(), w.noAuthUser(), w.authTimeout()))
        .string("pass password", p -> w = w.withAuth(w.username(), p, w.token(), w.noAuthUser(), w.authTimeout()))
        .string("token", t -> w = w.withAuth(w.username(), w.password(), t, w.noAuthUser(), w.authTimeout()))
        .duration("timeout", d -> w = w.withAuth(w.username(), w.password(), w.token(), w.noAuthUser(), d))
        .error("users nkeys", "websocket authorization does not allow multiple users")
        .read(v.asMap(), key);
  }

  /**
   * nats-server's validateWebsocketOptions, on the whole config: the block's user or token
   * cannot stand beside the server's users, and its no_auth_user must be one of them.
   */
  static void check(ValueReader values, ConfNode at, WebSocketOptions w, AuthOptions auth,
      List<AccountOptions> accounts) {
    boolean users = !auth.users().isEmpty() || accounts.stream().anyMatch(a -> !a.users().isEmpty());
    if (users && w.username() != null) {
      values.error(at, "websocket", "websocket authentication username not compatible with presence of users/nkeys");
    }
    if (users && w.token() != null) {
      values.error(at, "websocket", "websocket authentication token not compatible with presence of users/nkeys");
    }
    String name = w.noAuthUser();
    if (name == null) {
      return;
    }
    List<AuthOptions.UserOptions> listed = new ArrayList<>(auth.users());
    accounts.forEach(a -> listed.addAll(a.users()));
    if (listed.isEmpty()) {
      values.error(at, "websocket", "no_auth_user: \"" + name + "\" present, but users/nkeys are not defined");
    } else if (listed.stream().noneMatch(u -> name.equals(u.user()) || name.equals(u.nkey()))) {
      values.error(at, "websocket", "no_auth_user: \"" + name
          + "\" not present as user or nkey in authorization block or account configuration");
    }
  }

  private void origins(ConfNode v, String key) {
    List<String> out = new ArrayList<>();
    List<ConfNode> items = v.isList() ? values.list(v, key) : List.of(v);
    if (items == null) {
      return;
    }
    for (ConfNode n : items) {
      String s = values.string(n, key);
      if (s == null) {
        continue;
      }
      String problem = originProblem(s);
      if (problem != null) {
        values.error(n, key, problem);
      } else {
        out.add(s);
      }
    }
    w = w.withOrigins(w.sameOrigin(), out);
  }

  /** nats-server's validateWebsocketOptions words for an allowed origin that does not parse. */
  static String originProblem(String origin) {
    try {
      new URI(origin);
      return null;
    } catch (java.net.URISyntaxException e) {
      return "unable to parse allowed origin: " + e.getMessage();
    }
  }
}
