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
 * @param username with {@code password}: the one user WebSocket clients log in as (its
 *     {@code authorization} block), instead of the server's users; null for none
 * @param token the token WebSocket clients present instead; null for none
 * @param noAuthUser the server's user a WebSocket client without credentials becomes; null for none
 * @param authTimeout the block's {@code authorization.timeout}; zero: the server's
 */
public record WebSocketOptions(String host, int port, String advertise, TlsOptions tls, boolean noTls,
    boolean sameOrigin, List<String> allowedOrigins, boolean compression, Duration handshakeTimeout,
    String username, String password, String token, String noAuthUser, Duration authTimeout) {

  public static final WebSocketOptions NONE =
      new WebSocketOptions(Defaults.HOST, 0, null, null, false, false, List.of(), false, Duration.ZERO);

  public WebSocketOptions {
    allowedOrigins = List.copyOf(allowedOrigins);
  }

  /** Without credentials of its own: WebSocket clients authenticate as TCP clients do. */
  public WebSocketOptions(String host, int port, String advertise, TlsOptions tls, boolean noTls, boolean sameOrigin,
      List<String> allowedOrigins, boolean compression, Duration handshakeTimeout) {
    this(host, port, advertise, tls, noTls, sameOrigin, allowedOrigins, compression, handshakeTimeout, null, null,
        null, null, Duration.ZERO);
  }

  /**
   * nats-server's authOverride: a username, token or no_auth_user of the block replaces the
   * server's for WebSocket clients.
   */
  public boolean authOverride() {
    return username != null || token != null || noAuthUser != null;
  }

  /**
   * What WebSocket clients are checked against with an override: the block's user or token,
   * else the server's users; the block's no_auth_user.
   */
  public AuthOptions authorization(AuthOptions server) {
    List<AuthOptions.UserOptions> users = username != null
        ? List.of(new AuthOptions.UserOptions(username, password, null, null)) : server.users();
    return new AuthOptions(token, username != null || token != null ? users : server.users(),
        server.defaultPermissions(), noAuthUser);
  }

  WebSocketOptions withAuth(String u, String p, String t, String n, Duration timeout) {
    return new WebSocketOptions(host, port, advertise, tls, noTls, sameOrigin, allowedOrigins, compression,
        handshakeTimeout, u, p, t, n, timeout);
  }

  public boolean enabled() {
    return port != 0;
  }

  WebSocketOptions withListen(String h, int p) {
    return new WebSocketOptions(h, p, advertise, tls, noTls, sameOrigin, allowedOrigins, compression, handshakeTimeout,
        username, password, token, noAuthUser, authTimeout);
  }

  WebSocketOptions withAdvertise(String a) {
    return new WebSocketOptions(host, port, a, tls, noTls, sameOrigin, allowedOrigins, compression, handshakeTimeout,
        username, password, token, noAuthUser, authTimeout);
  }

  WebSocketOptions withTls(TlsOptions t, boolean none) {
    return new WebSocketOptions(host, port, advertise, t, none, sameOrigin, allowedOrigins, compression,
        handshakeTimeout, username, password, token, noAuthUser, authTimeout);
  }

  WebSocketOptions withOrigins(boolean same, List<String> allowed) {
    return new WebSocketOptions(host, port, advertise, tls, noTls, same, allowed, compression, handshakeTimeout,
        username, password, token, noAuthUser, authTimeout);
  }

  WebSocketOptions withCompression(boolean c, Duration timeout) {
    return new WebSocketOptions(host, port, advertise, tls, noTls, sameOrigin, allowedOrigins, c, timeout,
        username, password, token, noAuthUser, authTimeout);
  }
}
