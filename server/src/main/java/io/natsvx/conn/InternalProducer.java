package io.natsvx.conn;

import io.natsvx.account.Account;
import io.natsvx.subject.MatchResult;
import io.natsvx.subject.SubjectKey;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The server's own publisher on one event loop (nats-server's internal client): messages the
 * server makes (system answers and events, JetStream acks and deliveries) go through
 * {@link Dispatch} like a client's publish, so they reach clients and links alike. The server's
 * own handlers never hear them (echo off). One per server and loop; event-loop confined.
 */
public final class InternalProducer extends Producer {

  private static final byte[] JS_ACK = "$JS.ACK.".getBytes(StandardCharsets.US_ASCII);

  /**
   * One message: matched on {@code to}, carrying {@code subject} in the MSG line (a JetStream
   * delivery's stored subject; the same as {@code to} otherwise). {@code headers} is a whole
   * header block, or null.
   */
  public record Message(Account account, MatchResult match, String to, String subject, String reply,
      byte[] headers, byte[] payload) {}

  private final MsgFrame frame = new MsgFrame();

  public InternalProducer(EventLoop loop, int loopSlot) {
    super(loop, loopSlot);
  }

  @Override
  public boolean isInternal() {
    return true;
  }

  /** Delivers the messages in order, then writes each target once. On this producer's loop. */
  public void publish(List<Message> messages) {
    for (int i = 0, n = messages.size(); i < n; i++) {
      deliver(messages.get(i));
    }
    flushTouched();
  }

  private void deliver(Message m) {
    byte[] s = m.subject().getBytes(StandardCharsets.UTF_8);
    byte[] r = m.reply() == null ? null : m.reply().getBytes(StandardCharsets.UTF_8);
    int hdr = m.headers() == null ? -1 : m.headers().length;
    frame.set(s, 0, s.length, r, r == null ? -1 : 0, r == null ? 0 : r.length, hdr,
        m.payload().length + Math.max(0, hdr),
        m.headers() == null ? Unpooled.wrappedBuffer(m.payload()) : Unpooled.wrappedBuffer(m.headers(), m.payload()), 0);
    boolean redirected = !m.to().equals(m.subject());
    if (redirected) {
      // As nats-server: a link carries it on the deliver subject, the stored subject after '@'.
      byte[] to = m.to().getBytes(StandardCharsets.UTF_8);
      byte[] linkReply = r != null && startsWith(r, JS_ACK) && indexOf(r, (byte) '@') < 0
          ? (m.reply() + "@" + m.subject()).getBytes(StandardCharsets.UTF_8) : r;
      frame.linkAs(to, linkReply);
    }
    SubjectKey key = SubjectKey.of(m.to());
    Dispatch.deliver(this, m.account().nameBytes(), m.match(), frame, key, true, null);
  }

  private static boolean startsWith(byte[] b, byte[] prefix) {
    return b.length > prefix.length && java.util.Arrays.equals(b, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static int indexOf(byte[] b, byte c) {
    for (int i = 0; i < b.length; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }
}
