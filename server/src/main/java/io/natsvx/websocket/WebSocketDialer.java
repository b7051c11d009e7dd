package io.natsvx.websocket;

import io.natsvx.conn.SocketAdapter;
import io.natsvx.conn.Transport;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketClientExtensionHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateClientExtensionHandshaker;
import io.vertx.core.net.NetSocket;
import java.net.URI;

/**
 * The dialing side of a server link over WebSocket (nats-server's leaf node remotes with a
 * {@code ws://} or {@code wss://} URL): the HTTP upgrade to the hub's {@code /leafnode} path,
 * then the link's protocol bytes in binary frames, masked unless the far side agreed not to,
 * compressed (permessage-deflate without context takeover) when asked and the far side agreed.
 */
public final class WebSocketDialer {

  /** nats-server's leafNodeWSPath. */
  public static final String LEAF_NODE_PATH = "/leafnode";
  private static final int MAX_FRAME = 64 * 1024 * 1024;

  private WebSocketDialer() {}

  /**
   * Puts the upgrade and the framing on a dialed {@code socket} (after its TLS, for wss), before
   * the link's connection is installed; the framing is the link's transport.
   */
  public static Transport frame(NetSocket socket, URI url, boolean noMasking, boolean compress) {
    DefaultHttpHeaders headers = new DefaultHttpHeaders();
    if (noMasking) {
      headers.add(WebSocketHandshake.NO_MASKING, "true");
    }
    String host = url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "");
    String path = url.getRawPath() == null ? "" : url.getRawPath().replaceFirst("^/", "");
    WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
        .webSocketUri(URI.create("ws://" + host + LEAF_NODE_PATH + path))
        .version(WebSocketVersion.V13)
        .customHeaders(headers)
        .allowExtensions(compress)
        .maxFramePayloadLength(MAX_FRAME)
        .performMasking(!noMasking)
        .handleCloseFrames(false)
        .build();
    SocketAdapter.addFraming(socket, "natsvx-ws-http", new HttpClientCodec());
    SocketAdapter.addFraming(socket, "natsvx-ws-response", new HttpObjectAggregator(64 * 1024));
    if (compress) {
      // Asks for no context takeover on the server's side and accepts it on ours, which is what
      // nats-server answers (and insists on).
      SocketAdapter.addFraming(socket, "natsvx-ws-compression", new WebSocketClientExtensionHandler(
          new PerMessageDeflateClientExtensionHandshaker(6, false, 15, true, true)));
    }
    SocketAdapter.addFraming(socket, "natsvx-ws-upgrade", new WebSocketClientProtocolHandler(config));
    WebSocketFrames frames = new WebSocketFrames();
    SocketAdapter.addFraming(socket, "natsvx-ws-frames", frames);
    return frames;
  }
}
