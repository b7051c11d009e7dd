package io.natsvx.conn;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import java.util.function.Function;

/**
 * The one place that reaches under Vert.x: puts a handler in front of Vert.x's own in an
 * accepted socket's Netty pipeline, so reads arrive as pooled {@link ByteBuf}s (no heap copy)
 * and writes go straight to the channel, flushed once per batch (DESIGN.md, "What a
 * measurement ... says").
 */
public final class SocketAdapter {

  private static final String NAME = "natsvx";

  private SocketAdapter() {}

  /**
   * Installs a connection made by {@code factory} (given the context to write through) on the
   * socket. Call on the socket's event loop, from the connect handler.
   */
  public static <C extends Connection> C install(NetSocket socket, Function<ChannelHandlerContext, C> factory) {
    ChannelHandlerContext vertxCtx = ((NetSocketInternal) socket).channelHandlerContext();
    ChannelPipeline pipeline = vertxCtx.pipeline();
    Inbound inbound = new Inbound();
    pipeline.addBefore(vertxCtx.name(), NAME, inbound);
    C connection = factory.apply(pipeline.context(NAME));
    inbound.connection = connection;
    return connection;
  }

  /**
   * Puts {@code handler} in front of Vert.x's own on the socket, before a connection is
   * installed: a listener's framing (WebSocket's HTTP upgrade and frames) sits between the
   * socket and the connection.
   */
  public static void addFraming(NetSocket socket, String name, ChannelHandler handler) {
    ChannelHandlerContext vertxCtx = ((NetSocketInternal) socket).channelHandlerContext();
    vertxCtx.pipeline().addBefore(vertxCtx.name(), name, handler);
  }

  /** TLS first on an accepted socket, before anything is read (a wss listener). */
  public static void secure(NetSocket socket, SslContext sslContext) {
    ChannelHandlerContext vertxCtx = ((NetSocketInternal) socket).channelHandlerContext();
    vertxCtx.pipeline().addFirst("natsvx-tls", sslContext.newHandler(vertxCtx.alloc()));
  }

  /**
   * TLS first on a dialed socket, before anything is written (a wss remote): the far side's
   * certificate must carry {@code peerHost}. The handshake's outcome; a failed or slow one closes.
   */
  public static io.netty.util.concurrent.Future<io.netty.channel.Channel> secureDialed(NetSocket socket,
      SslContext sslContext, String peerHost, int peerPort, long timeoutMillis) {
    ChannelHandlerContext vertxCtx = ((NetSocketInternal) socket).channelHandlerContext();
    SslHandler ssl = addTls(vertxCtx, sslContext, peerHost, peerPort);
    ssl.setHandshakeTimeoutMillis(timeoutMillis);
    return ssl.handshakeFuture();
  }

  /**
   * Puts TLS in front of everything on this socket, from now on: earlier writes (the plain INFO
   * nats-server sends first) have already passed. Returns the handler, for its handshake.
   */
  static SslHandler addTls(ChannelHandlerContext ctx, SslContext sslContext, String peerHost, int peerPort) {
    // A client context checks the name the peer was dialled by against its certificate.
    SslHandler ssl = peerHost == null ? sslContext.newHandler(ctx.alloc())
        : sslContext.newHandler(ctx.alloc(), peerHost, peerPort);
    ctx.pipeline().addFirst("natsvx-tls", ssl);
    return ssl;
  }

  private static final class Inbound extends ChannelInboundHandlerAdapter {
    private Connection connection;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof ByteBuf buf) {
        try {
          connection.onRead(buf);
        } finally {
          buf.release();
        }
      } else {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      connection.onReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      connection.onInactive();
      ctx.fireChannelInactive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      connection.onWritabilityChanged(ctx.channel().isWritable());
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      connection.onException(cause);
    }
  }
}
