package io.natsvx.websocket;

import io.natsvx.conn.ClosedReason;
import io.natsvx.conn.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * Between Netty's WebSocket codec and a client connection: data frames (binary or text, whole
 * or in continuations) go on as the protocol bytes they carry, wherever a protocol line starts
 * or ends; what the connection writes goes out as binary frames; a ping gets its pong; a close
 * is answered with the same status and ends the connection. When the server closes, the client
 * gets a close frame with nats-server's status for the reason (websocket.go
 * wsEnqueueCloseMessage). The connection's event loop only.
 */
final class WebSocketFrames extends ChannelDuplexHandler implements Transport {

  private static final int MAX_CONTROL_PAYLOAD = 125;

  private ChannelHandlerContext ctx;
  private boolean closeSent;

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof BinaryWebSocketFrame || msg instanceof TextWebSocketFrame
        || msg instanceof ContinuationWebSocketFrame) {
      ctx.fireChannelRead(((WebSocketFrame) msg).content());
    } else if (msg instanceof PingWebSocketFrame ping) {
      ctx.writeAndFlush(new PongWebSocketFrame(ping.content()));
    } else if (msg instanceof CloseWebSocketFrame close) {
      if (!closeSent) {
        closeSent = true;
        ctx.writeAndFlush(close.retainedDuplicate());
      }
      ReferenceCountUtil.release(close);
      ctx.close();
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    ctx.write(msg instanceof ByteBuf b ? new BinaryWebSocketFrame(b) : msg, promise);
  }

  @Override
  public boolean webSocket() {
    return true;
  }

  @Override
  public void closing(ClosedReason reason) {
    if (!closeSent && ctx != null && ctx.channel().isActive()) {
      closeSent = true;
      ctx.writeAndFlush(new CloseWebSocketFrame(true, 0, closeBody(ctx, status(reason),
          reason == null ? "" : reason.text())));
    }
  }

  /**
   * A close frame's body: the status, then the text cut to fit a control frame with "..." (the
   * statuses that RFC 6455 keeps out of frames included, as nats-server sends them).
   */
  static ByteBuf closeBody(ChannelHandlerContext ctx, int status, String text) {
    if (text.length() > MAX_CONTROL_PAYLOAD - 2) {
      text = text.substring(0, MAX_CONTROL_PAYLOAD - 5) + "...";
    }
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    return ctx.alloc().buffer(2 + body.length).writeShort(status).writeBytes(body);
  }

  /** nats-server's close status for each reason. */
  static int status(ClosedReason reason) {
    if (reason == null) {
      return 1011;
    }
    return switch (reason) {
      case CLIENT_CLOSED -> 1000;
      case AUTHENTICATION_TIMEOUT, AUTHENTICATION_VIOLATION, SLOW_CONSUMER_PENDING_BYTES,
          SLOW_CONSUMER_WRITE_DEADLINE, MAX_ACCOUNT_CONNECTIONS_EXCEEDED, MAX_CONNECTIONS_EXCEEDED,
          MAX_CONTROL_LINE_EXCEEDED, AUTHENTICATION_EXPIRED, AUTHENTICATION_REVOKED -> 1008;
      case TLS_HANDSHAKE_ERROR -> 1015;
      case PARSE_ERROR, PROTOCOL_VIOLATION, BAD_CLIENT_PROTOCOL_VERSION -> 1002;
      case MAX_PAYLOAD_EXCEEDED -> 1009;
      case SERVER_SHUTDOWN -> 1001;
      case WRITE_ERROR, READ_ERROR, STALE_CONNECTION -> 1006;
      default -> 1011;
    };
  }
}
