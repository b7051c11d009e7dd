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
        // WebSocket's own credentials and cookies: refused rather than ignored, so that no
        // listener is more open than written.
        .error("authorization authentication jwt_cookie no_auth_user", "not supported yet");
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
