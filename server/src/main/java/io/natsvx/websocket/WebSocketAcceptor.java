package io.natsvx.websocket;

import io.natsvx.client.ClientListenerVerticle;
import io.natsvx.config.WebSocketOptions;
import io.natsvx.conn.SocketAdapter;
import io.natsvx.server.ServerContext;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.vertx.core.net.NetSocket;

/**
 * Sets an accepted socket of the WebSocket listener up for its HTTP upgrade: TLS first when
 * configured, then an HTTP codec and {@link WebSocketHandshake}, which puts the client (or
 * leaf node) connection in place once the upgrade is done.
 */
public final class WebSocketAcceptor implements ClientListenerVerticle.Acceptor {

  /** The largest upgrade request taken (request line and headers). */
  private static final int MAX_REQUEST = 64 * 1024;

  private final ServerContext server;
  private final LeafNodeAcceptor leafNodes;
  private final WebSocketOptions options;
  private final SslContext tls;

  /**
   * {@code tls}: the listener's TLS, or null with {@code no_tls}; {@code leafNodes} null without
   * a leafnodes block.
   */
  public WebSocketAcceptor(ServerContext server, LeafNodeAcceptor leafNodes, WebSocketOptions options,
      SslContext tls) {
    this.server = server;
    this.leafNodes = leafNodes;
    this.options = options;
    this.tls = tls;
  }

  @Override
  public void accept(NetSocket socket, boolean overConnectionLimit) {
    if (tls != null) {
      SocketAdapter.secure(socket, tls);
    }
    SocketAdapter.addFraming(socket, "natsvx-ws-http", new HttpServerCodec());
    SocketAdapter.addFraming(socket, "natsvx-ws-request", new HttpObjectAggregator(MAX_REQUEST));
    SocketAdapter.addFraming(socket, "natsvx-ws-handshake",
        new WebSocketHandshake(server, leafNodes, options, tls != null, socket, overConnectionLimit));
  }
}
