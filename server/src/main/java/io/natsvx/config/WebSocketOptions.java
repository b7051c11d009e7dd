package io.natsvx.config;

import java.time.Duration;
import java.util.List;

/**
 * The {@code websocket} block: a listener for clients speaking the NATS protocol over WebSocket
 * (nats-server's WebsocketOpts). {@link #NONE} when there is no block.
 *
 * @param port 0 for none, -1 for a random one
 * @param tls null with {@code no_tls}
 * @param allowedOrigins origins as written ({@code scheme://host[:port]})
 * @param handshakeTimeout zero for none
 */
public record WebSocketOptions(String host, int port, String advertise, TlsOptions tls, boolean noTls,
    boolean sameOrigin, List<String> allowedOrigins, boolean compression, Duration handshakeTimeout) {

  public static final WebSocketOptions NONE =
      new WebSocketOptions(Defaults.HOST, 0, null, null, false, false, List.of(), false, Duration.ZERO);

  public WebSocketOptions {
    allowedOrigins = List.copyOf(allowedOrigins);
  }

  public boolean enabled() {
    return port != 0;
  }

  WebSocketOptions withListen(String h, int p) {
    return new WebSocketOptions(h, p, advertise, tls, noTls, sameOrigin, allowedOrigins, compression, handshakeTimeout);
  }

  WebSocketOptions withAdvertise(String a) {
    return new WebSocketOptions(host, port, a, tls, noTls, sameOrigin, allowedOrigins, compression, handshakeTimeout);
  }

  WebSocketOptions withTls(TlsOptions t, boolean none) {
    return new WebSocketOptions(host, port, advertise, t, none, sameOrigin, allowedOrigins, compression,
        handshakeTimeout);
  }

  WebSocketOptions withOrigins(boolean same, List<String> allowed) {
    return new WebSocketOptions(host, port, advertise, tls, noTls, same, allowed, compression, handshakeTimeout);
  }

  WebSocketOptions withCompression(boolean c, Duration timeout) {
    return new WebSocketOptions(host, port, advertise, tls, noTls, sameOrigin, allowedOrigins, c, timeout);
  }
}
