package io.natsvx.link;

import io.natsvx.conn.MsgFrame;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The control line of a message crossing a link (nats-server's msgHeader for routes, gateways
 * and leaf nodes): {@code RMSG <account> <subject> [+ <reply> <queue>...|| <queue>...|<reply>]
 * [<hdr>] <size>\r\n}, {@code HMSG} with headers; without an account for leaf nodes ({@code
 * LMSG}). One per link, reused; event-loop confined.
 */
final class LinkHead {

  private static final byte[] LMSG = "LMSG ".getBytes(StandardCharsets.US_ASCII);
  private final byte[] op;
  private final byte[] headersOp;
  private byte[] head = new byte[256];
  private int len;

  /** {@code op} and {@code headersOp} with their trailing blank, e.g. "RMSG " and "HMSG ". */
  LinkHead(String op, String headersOp) {
    this.op = op.getBytes(StandardCharsets.US_ASCII);
    this.headersOp = headersOp.getBytes(StandardCharsets.US_ASCII);
  }

  byte[] bytes() {
    return head;
  }

  int length() {
    return len;
  }

  /**
   * Frames {@code f}; {@code account} null leaves the account out (leaf nodes); {@code
   * replyPrefix}, when not null, goes before the reply (a gateway's routed reply).
   */
  LinkHead frame(byte[] account, MsgFrame f, String[] queues, int queueCount, byte[] replyPrefix, byte[] origin) {
    len = 0;
    if (origin != null) {
      // A route's LMSG: the leaf cluster first, and always a header size (nats-server's lnoc).
      put(LMSG, 0, LMSG.length);
      put(origin, 0, origin.length);
      putByte(' ');
    } else {
      byte[] o = f.headerSize() >= 0 ? headersOp : op;
      put(o, 0, o.length);
    }
    if (account != null) {
      put(account, 0, account.length);
      putByte(' ');
    }
    put(f.linkSubjectBytes(), f.linkSubjectOff(), f.linkSubjectLen());
    putByte(' ');
    if (queueCount > 0) {
      if (f.hasReply()) {
        putByte('+');
        putByte(' ');
        if (replyPrefix != null) {
          put(replyPrefix, 0, replyPrefix.length);
        }
        put(f.linkReplyBytes(), f.linkReplyOff(), f.linkReplyLen());
        putByte(' ');
      } else {
        putByte('|');
        putByte(' ');
      }
      for (int k = 0; k < queueCount; k++) {
        byte[] qb = queues[k].getBytes(StandardCharsets.UTF_8);
        put(qb, 0, qb.length);
        putByte(' ');
      }
    } else if (f.hasReply()) {
      if (replyPrefix != null) {
        put(replyPrefix, 0, replyPrefix.length);
      }
      put(f.linkReplyBytes(), f.linkReplyOff(), f.linkReplyLen());
      putByte(' ');
    }
    if (f.headerSize() >= 0 || origin != null) {
      putDigits(Math.max(0, f.headerSize()));
      putByte(' ');
    }
    putDigits(f.size());
    putByte('\r');
    putByte('\n');
    return this;
  }

  private void put(byte[] b, int off, int count) {
    ensure(count);
    System.arraycopy(b, off, head, len, count);
    len += count;
  }

  private void putByte(char c) {
    ensure(1);
    head[len++] = (byte) c;
  }

  private void putDigits(int v) {
    String s = Integer.toString(v);
    ensure(s.length());
    for (int i = 0; i < s.length(); i++) {
      head[len++] = (byte) s.charAt(i);
    }
  }

  private void ensure(int more) {
    if (len + more > head.length) {
      head = Arrays.copyOf(head, Math.max(head.length * 2, len + more));
    }
  }
}
