package io.natsvx.websocket;

import io.natsvx.client.ClientConnection;
import io.natsvx.config.WebSocketOptions;
import io.natsvx.conn.SocketAdapter;
import io.natsvx.server.ServerContext;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The WebSocket upgrade of one socket, as nats-server's wsUpgrade checks it (RFC 6455 4.2.1):
 * GET, a Host, {@code Upgrade: websocket}, {@code Connection: Upgrade}, a key, version 13 and an
 * allowed origin; a failure gets nats-server's status and is logged with its reason. A path
 * starting with {@code /leafnode} is a leaf node's (when this server takes leaf nodes), any
 * other a client's. Compression (permessage-deflate without context takeover on either side) is
 * used when configured and offered; frames come unmasked from a peer that asked so
 * ({@code Nats-No-Masking}). On success the frame codec and {@link WebSocketFrames} take the
 * place of HTTP, and the connection starts. The socket's event loop only.
 */
final class WebSocketHandshake extends ChannelInboundHandlerAdapter {

  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  private static final String DEFLATE = "permessage-deflate";
  /** nats-server's header for a peer (a leaf node) that sends its frames unmasked. */
  static final String NO_MASKING = "Nats-No-Masking";
  /** A frame may carry many protocol messages; this bounds what one frame may hold. */
  private static final int MAX_FRAME = 64 * 1024 * 1024;

  private final ServerContext server;
  private final LeafNodeAcceptor leafNodes;
  private final WebSocketOptions options;
  private final boolean secure;
  private final NetSocket socket;
  private final boolean overConnectionLimit;
  private ScheduledFuture<?> timeout;
  private boolean upgraded;

  WebSocketHandshake(ServerContext server, LeafNodeAcceptor leafNodes, WebSocketOptions options,
      boolean secure, NetSocket socket, boolean overConnectionLimit) {
    this.server = server;
    this.leafNodes = leafNodes;
    this.options = options;
    this.secure = secure;
    this.socket = socket;
    this.overConnectionLimit = overConnectionLimit;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    long millis = options.handshakeTimeout().toMillis();
    if (millis > 0) {
      timeout = ctx.executor().schedule(() -> {
        if (!upgraded) {
          ctx.close();
        }
      }, millis, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest request)) {
      ctx.fireChannelRead(msg); // frames that came with or right after the upgrade
      return;
    }
    try {
      if (upgraded) {
        return;
      }
      if (request.decoderResult().isFailure()) {
        reject(ctx, HttpResponseStatus.BAD_REQUEST, "invalid request: " + request.decoderResult().cause());
        return;
      }
      HttpHeaders h = request.headers();
      if (!request.method().equals(HttpMethod.GET)) {
        reject(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "request method must be GET");
      } else if (h.get("Host", "").isEmpty()) {
        reject(ctx, HttpResponseStatus.BAD_REQUEST, "'Host' missing in request");
      } else if (!contains(h, "Upgrade", "websocket")) {
        reject(ctx, HttpResponseStatus.BAD_REQUEST, "invalid value for header 'Upgrade'");
      } else if (!contains(h, "Connection", "Upgrade")) {
        reject(ctx, HttpResponseStatus.BAD_REQUEST, "invalid value for header 'Connection'");
      } else if (h.get("Sec-WebSocket-Key", "").isEmpty()) {
        reject(ctx, HttpResponseStatus.BAD_REQUEST, "key missing");
      } else if (!contains(h, "Sec-WebSocket-Version", "13")) {
        reject(ctx, HttpResponseStatus.BAD_REQUEST, "invalid version");
      } else {
        String origin = Origins.check(options, h, secure);
        if (origin != null) {
          reject(ctx, HttpResponseStatus.FORBIDDEN, "origin not allowed: " + origin);
        } else {
          upgrade(ctx, h.get("Sec-WebSocket-Key"), options.compression() && offersDeflate(h),
              "true".equals(h.get(NO_MASKING)), leafPath(request.uri()));
        }
      }
    } finally {
      ReferenceCountUtil.release(request);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    server.log().error(socket.remoteAddress() + " - websocket handshake error: " + cause);
    ctx.close();
  }

  /** Whether a comma-separated header has {@code value} among its tokens (case-insensitively). */
  static boolean contains(HttpHeaders h, String name, String value) {
    for (String s : h.getAll(name)) {
      for (String t : s.split(",")) {
        if (t.trim().equalsIgnoreCase(value)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean offersDeflate(HttpHeaders h) {
    for (String s : h.getAll("Sec-WebSocket-Extensions")) {
      for (String ext : s.split(",")) {
        for (String p : ext.split(";")) {
          if (p.trim().equalsIgnoreCase(DEFLATE)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Whether the request's path is a leaf node's (nats-server's prefix test on the escaped path). */
  static boolean leafPath(String uri) {
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    if (path.startsWith("http://") || path.startsWith("https://")) {
      int slash = path.indexOf('/', path.indexOf("//") + 2);
      path = slash < 0 ? "" : path.substring(slash);
    }
    return path.startsWith(WebSocketDialer.LEAF_NODE_PATH);
  }

  /** nats-server answers with the status and its standard text; the reason goes to the log. */
  private void reject(ChannelHandlerContext ctx, HttpResponseStatus status, String reason) {
    server.log().error(socket.remoteAddress() + " - websocket handshake error: " + reason);
    byte[] body = (status.reasonPhrase() + "\n").getBytes(StandardCharsets.UTF_8);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    r.headers().set("Content-Type", "text/plain; charset=utf-8").set("Sec-Websocket-Version", "13")
        .set("X-Content-Type-Options", "nosniff").set("Content-Length", body.length).set("Connection", "close");
    ctx.writeAndFlush(r).addListener(f -> ctx.close());
  }

  private void upgrade(ChannelHandlerContext ctx, String key, boolean compress, boolean noMasking, boolean leaf) {
    upgraded = true;
    if (timeout != null) {
      timeout.cancel(false);
    }
    ChannelPipeline p = ctx.pipeline();
    p.remove(HttpObjectAggregator.class);
    String at = ctx.name();
    p.addAfter(at, "natsvx-ws-decoder", new WebSocket13FrameDecoder(WebSocketDecoderConfig.newBuilder()
        .expectMaskedFrames(!noMasking).allowMaskMismatch(noMasking).allowExtensions(compress)
        .maxFramePayloadLength(MAX_FRAME).build()));
    p.addAfter("natsvx-ws-decoder", "natsvx-ws-encoder", new WebSocket13FrameEncoder(false));
    String last = "natsvx-ws-encoder";
    if (compress) {
      // Both sides without context takeover, whatever the client offered, as nats-server answers.
      WebSocketServerExtension deflate = new PerMessageDeflateServerExtensionHandshaker(6, false, 15, true, true)
          .handshakeExtension(new WebSocketExtensionData(DEFLATE,
              Map.of("server_no_context_takeover", "", "client_no_context_takeover", "")));
      p.addAfter(last, "natsvx-ws-inflate", deflate.newExtensionDecoder());
      p.addAfter("natsvx-ws-inflate", "natsvx-ws-deflate", deflate.newExtensionEncoder());
      last = "natsvx-ws-deflate";
    }
    WebSocketFrames frames = new WebSocketFrames();
    p.addAfter(last, "natsvx-ws-frames", frames);
    Runnable start;
    if (!leaf) {
      ClientConnection client = SocketAdapter.install(socket, c -> new ClientConnection(server, c, frames));
      start = () -> client.start(overConnectionLimit);
    } else if (leafNodes != null && leafNodes.acceptsWebSocket()) {
      start = () -> leafNodes.acceptWebSocket(socket, frames);
    } else {
      // As nats-server: upgraded, then closed without a word.
      server.log().error("Not configured to accept leaf node connections");
      io.netty.channel.Channel channel = ctx.channel();
      start = channel::close;
    }
    HttpServerCodec http = p.get(HttpServerCodec.class);
    http.removeInboundHandler(); // what the client sends from now on are frames

    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
    r.headers().set("Upgrade", "websocket").set("Connection", "Upgrade").set("Sec-WebSocket-Accept", accept(key));
    if (compress) {
      r.headers().set("Sec-WebSocket-Extensions",
          DEFLATE + "; server_no_context_takeover; client_no_context_takeover");
    }
    if (noMasking) {
      r.headers().set(NO_MASKING, "true");
    }
    ctx.writeAndFlush(r).addListener(f -> {
      if (!f.isSuccess()) {
        ctx.close();
        return;
      }
      p.remove(http);
      p.remove(this);
      start.run();
    });
  }

  static String accept(String key) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      return Base64.getEncoder().encodeToString(sha1.digest((key.trim() + GUID).getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
