package io.natsvx.protocol;

/**
 * The arguments of the PUB or HPUB being parsed, as offsets into the parser's control-line
 * buffer {@link #line}. One reused instance per parser; valid only during the callback.
 */
public final class PubArgs {
  public byte[] line;
  public int subjectOff;
  public int subjectLen;
  /** -1 when there is no reply subject. */
  public int replyOff;
  public int replyLen;
  /** Header bytes at the start of the payload; -1 for a plain PUB. */
  public int headerSize;
  /** The header size digits as sent. */
  public int headerSizeOff;
  public int headerSizeLen;
  /** Total payload bytes (headers included). */
  public int size;
  /** The size digits as sent, reused when writing MSG. */
  public int sizeOff;
  public int sizeLen;

  // Routed messages (RMSG/HMSG from a route) only.
  /** The leaf cluster a route's LMSG names (-1: none). */
  public int originOff = -1;
  public int originLen;
  public int accountOff;
  public int accountLen;
  /** Queue groups the sender picked this server for. */
  public int queueCount;
  public int[] queueStarts = new int[4];
  public int[] queueEnds = new int[4];

  void queues(int from, int to, int[] starts, int[] ends) {
    int n = Math.max(0, to - from);
    if (queueStarts.length < n) {
      queueStarts = new int[n];
      queueEnds = new int[n];
    }
    System.arraycopy(starts, from, queueStarts, 0, n);
    System.arraycopy(ends, from, queueEnds, 0, n);
    queueCount = n;
  }

  public String account() {
    return new String(line, accountOff, accountLen, java.nio.charset.StandardCharsets.UTF_8);
  }

  public String queue(int i) {
    return new String(line, queueStarts[i], queueEnds[i] - queueStarts[i], java.nio.charset.StandardCharsets.UTF_8);
  }

  public boolean hasReply() {
    return replyOff >= 0;
  }

  public boolean hasHeaders() {
    return headerSize >= 0;
  }

  public String subject() {
    return new String(line, subjectOff, subjectLen, java.nio.charset.StandardCharsets.UTF_8);
  }

  public String reply() {
    return replyOff < 0 ? null : new String(line, replyOff, replyLen, java.nio.charset.StandardCharsets.UTF_8);
  }
}
