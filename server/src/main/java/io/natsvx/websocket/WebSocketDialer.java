package io.natsvx.websocket;

import io.natsvx.conn.SocketAdapter;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.vertx.core.net.NetSocket;
import java.net.URI;

/**
 * The dialing side of a server link over WebSocket (nats-server's leaf node remotes with a
 * {@code ws://} URL): the HTTP upgrade to the hub's {@code /leafnode} path, then the link's
 * protocol bytes in binary frames, masked unless the far side agreed not to.
 */
public final class WebSocketDialer {

  /** nats-server's leafNodeWSPath. */
  public static final String LEAF_NODE_PATH = "/leafnode";
  private static final int MAX_FRAME = 64 * 1024 * 1024;

  private WebSocketDialer() {}

  /** Puts the upgrade and the framing on a dialed {@code socket}, before the link's connection is installed. */
  public static void frame(NetSocket socket, URI url, boolean noMasking) {
    DefaultHttpHeaders headers = new DefaultHttpHeaders();
    if (noMasking) {
      headers.add("Nats-No-Masking", "true");
    }
    String host = url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "");
    WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
        .webSocketUri(URI.create("ws://" + host + LEAF_NODE_PATH))
        .version(WebSocketVersion.V13)
        .customHeaders(headers)
        .maxFramePayloadLength(MAX_FRAME)
        .performMasking(!noMasking)
        .handleCloseFrames(false)
        .build();
    SocketAdapter.addFraming(socket, "natsvx-ws-http", new HttpClientCodec());
    SocketAdapter.addFraming(socket, "natsvx-ws-response", new HttpObjectAggregator(64 * 1024));
    SocketAdapter.addFraming(socket, "natsvx-ws-upgrade", new WebSocketClientProtocolHandler(config));
    SocketAdapter.addFraming(socket, "natsvx-ws-frames", new WebSocketFrames());
  }
}
