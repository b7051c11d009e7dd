package io.natsvx.conn;

import io.natsvx.protocol.PubArgs;
import io.netty.buffer.ByteBuf;

/**
 * One message ready to be framed for many subscribers: everything of the MSG/HMSG line but the
 * sid is laid out once per publish, so each delivery is four copies (prefix, sid, suffix,
 * payload). Also holds the variant without headers, for subscribers that did not ask for them.
 * Reused by its producer; valid until the next {@link #set}. Event-loop confined.
 */
public final class MsgFrame {

  private byte[] buf = new byte[256];
  private int len;

  // With headers as published (or a plain MSG when there are none).
  int prefixOff;
  int prefixLen;
  int suffixOff;
  int suffixLen;
  int payloadIndex;
  int size;

  // Headers stripped: MSG with only the body.
  int strippedPrefixOff;
  int strippedPrefixLen;
  int strippedSuffixOff;
  int strippedSuffixLen;
  int strippedIndex;
  int strippedSize;

  boolean hasHeaders;
  private int headerSize;
  private byte[] subjectBytes;
  private int subjectOff;
  private int subjectLen;
  // What links carry when it differs from the MSG line (a JetStream delivery, see #linkAs).
  private byte[] linkSubject;
  private byte[] linkReply;
  ByteBuf payload;
  private byte[] replyBytes;
  private int replyOff = -1;
  private int replyLen;
  private String reply;

  /** Frames a parsed PUB/HPUB. */
  public MsgFrame set(PubArgs pa, ByteBuf payload, int index) {
    return set(pa.line, pa.subjectOff, pa.subjectLen, pa.line, pa.replyOff, pa.replyLen, pa.headerSize, pa.size,
        payload, index);
  }

  /**
   * Frames a message: subject and reply (replyOff &lt; 0 for none) from byte arrays, headerSize
   * -1 for none, size the whole payload (headers included).
   */
  public MsgFrame set(byte[] subject, int subjectOff, int subjectLen, byte[] reply, int replyOff, int replyLen,
      int headerSize, int size, ByteBuf payload, int index) {
    len = 0;
    hasHeaders = headerSize >= 0;
    this.headerSize = headerSize;
    this.subjectBytes = subject;
    this.subjectOff = subjectOff;
    this.subjectLen = subjectLen;
    this.linkSubject = null;
    this.linkReply = null;
    this.routedReply = null;
    this.replyBytes = reply;
    this.replyOff = replyOff;
    this.replyLen = replyLen;
    this.reply = null;
    this.payload = payload;
    this.payloadIndex = index;
    this.size = size;
    ensure(2 * (subjectLen + replyLen) + 64);

    prefixOff = len;
    putPrefix(hasHeaders ? HMSG : MSG, subject, subjectOff, subjectLen);
    prefixLen = len - prefixOff;
    suffixOff = len;
    putSuffix(reply, replyOff, replyLen, headerSize, size);
    suffixLen = len - suffixOff;

    if (hasHeaders) {
      strippedPrefixOff = len;
      putPrefix(MSG, subject, subjectOff, subjectLen);
      strippedPrefixLen = len - strippedPrefixOff;
      strippedSuffixOff = len;
      putSuffix(reply, replyOff, replyLen, -1, size - headerSize);
      strippedSuffixLen = len - strippedSuffixOff;
      strippedIndex = index + headerSize;
      strippedSize = size - headerSize;
    }
    return this;
  }

  /** The payload without headers, copied out (for deliveries inside the server). */
  private static final byte[] NO_HEADERS = new byte[0];

  /** The header block ({@code NATS/1.0...\r\n\r\n}) as published; empty when there is none. */
  public byte[] headers() {
    if (!hasHeaders) {
      return NO_HEADERS;
    }
    byte[] out = new byte[size - strippedSize];
    payload.getBytes(payloadIndex, out);
    return out;
  }

  public byte[] body() {
    int index = hasHeaders ? strippedIndex : payloadIndex;
    int n = hasHeaders ? strippedSize : size;
    byte[] out = new byte[n];
    payload.getBytes(index, out);
    return out;
  }

  public boolean hasReply() {
    return replyOff >= 0;
  }

  /** The reply subject as a string (made once per message, on demand). */
  public String reply() {
    if (reply == null && replyOff >= 0) {
      reply = new String(replyBytes, replyOff, replyLen, java.nio.charset.StandardCharsets.UTF_8);
    }
    return reply;
  }

  byte[] bytes() {
    return buf;
  }

  /**
   * Links carry this message on {@code subject} with {@code reply} instead (nats-server's
   * deliver subject: a JetStream delivery travels on the consumer's deliver subject, its stored
   * subject after an {@code @} in the ack reply). Until the next {@link #set}.
   */
  public MsgFrame linkAs(byte[] subject, byte[] reply) {
    linkSubject = subject;
    linkReply = reply;
    return this;
  }

  /**
   * How long a routed reply's prefix is (nats-server's gwSubjectOffset): {@code _GR_.}, the
   * origin cluster's hash, the origin server's hash, each six characters and a dot.
   */
  public static final int ROUTED_REPLY_PREFIX = 19;

  /** Whether {@code len} bytes from {@code off} are a routed reply ({@code _GR_.<cluster>.<server>.<reply>}). */
  public static boolean isRoutedReply(byte[] b, int off, int len) {
    return len > ROUTED_REPLY_PREFIX && b[off] == '_' && b[off + 1] == 'G' && b[off + 2] == 'R' && b[off + 3] == '_'
        && b[off + 4] == '.';
  }

  private byte[] routedReply;

  /**
   * The reply shown is what {@code routed} (a routed reply) stands for: clients see it without
   * the prefix, links carry it whole (nats-server's creply). Until the next {@link #set}.
   */
  public MsgFrame routed(byte[] routed) {
    routedReply = routed;
    linkReply = routed;
    return this;
  }

  /** The whole routed reply when the reply shown stands for one; null otherwise. */
  public byte[] routedReply() {
    return routedReply;
  }

  // ---- the message's parts, for links that frame it in their own dialect ----------------

  /** The subject links carry: {@link #linkSubjectLen} bytes from {@link #linkSubjectOff}. */
  public byte[] linkSubjectBytes() { return linkSubject != null ? linkSubject : subjectBytes; }
  public int linkSubjectOff() { return linkSubject != null ? 0 : subjectOff; }
  public int linkSubjectLen() { return linkSubject != null ? linkSubject.length : subjectLen; }
  /** The reply links carry, or null with {@link #hasReply} false. */
  public byte[] linkReplyBytes() { return linkReply != null ? linkReply : replyBytes; }
  public int linkReplyOff() { return linkReply != null ? 0 : replyOff; }
  public int linkReplyLen() { return linkReply != null ? linkReply.length : replyLen; }

  /** The subject as published: {@link #subjectLen} bytes of this array from {@link #subjectOff}. */
  /**
   * The subject the message carries: {@code routed} (what it was matched on) unless it came
   * as a JetStream delivery over a link, which carries its stored subject apart.
   */
  public String subject(String routed) {
    if (routed.length() == subjectLen) {
      int i = 0;
      while (i < subjectLen && routed.charAt(i) == subjectBytes[subjectOff + i]) {
        i++;
      }
      if (i == subjectLen) {
        return routed;
      }
    }
    return new String(subjectBytes, subjectOff, subjectLen, java.nio.charset.StandardCharsets.UTF_8);
  }

  public byte[] subjectBytes() { return subjectBytes; }
  public int subjectOff() { return subjectOff; }
  public int subjectLen() { return subjectLen; }
  /** The reply subject's bytes, or null with {@link #hasReply} false. */
  public byte[] replyBytes() { return replyBytes; }
  public int replyOff() { return replyOff; }
  public int replyLen() { return replyLen; }
  /** The header block's size, -1 for none. */
  public int headerSize() { return headerSize; }
  /** The whole payload's size, headers included. */
  public int size() { return size; }
  public ByteBuf payload() { return payload; }
  public int payloadIndex() { return payloadIndex; }

  private static final byte[] MSG = {'M', 'S', 'G', ' '};
  private static final byte[] HMSG = {'H', 'M', 'S', 'G', ' '};

  /** "MSG subject" or "HMSG subject": what precedes the sid. */
  private void putPrefix(byte[] op, byte[] subject, int off, int n) {
    put(op);
    put(subject, off, n);
  }

  /** "[reply ][hdr ]size CRLF": what follows the sid; headerSize -1 for none. */
  private void putSuffix(byte[] reply, int replyOff, int replyLen, int headerSize, int size) {
    if (replyOff >= 0) {
      put(reply, replyOff, replyLen);
      buf[len++] = ' ';
    }
    if (headerSize >= 0) {
      putDigits(headerSize);
      buf[len++] = ' ';
    }
    putDigits(size);
    buf[len++] = '\r';
    buf[len++] = '\n';
  }

  private void put(byte[] b) {
    put(b, 0, b.length);
  }

  private void put(byte[] b, int off, int n) {
    System.arraycopy(b, off, buf, len, n);
    len += n;
  }

  private void putDigits(int v) {
    int start = len;
    do {
      buf[len++] = (byte) ('0' + v % 10);
      v /= 10;
    } while (v > 0);
    for (int i = start, j = len - 1; i < j; i++, j--) {
      byte t = buf[i];
      buf[i] = buf[j];
      buf[j] = t;
    }
  }

  private void ensure(int n) {
    if (buf.length < n) {
      buf = new byte[Math.max(n, buf.length * 2)];
    }
  }
}
