package io.natsvx.subject;

import java.nio.charset.StandardCharsets;

/**
 * One subscription: owner, subject, optional queue group, sid. Immutable but for the closed
 * flag and the delivery count and max, which the owner's outbound lock guards.
 */
public final class Subscription {

  private final Subscriber owner;
  private final String subject;
  private final String queue;
  private final String sid;
  /** " <sid> " pre-encoded: the part of every MSG line that depends on the subscription. */
  private final byte[] sidBytes;

  /** Deliveries so far and the UNSUB max (0 = none): guarded by the owner's outbound lock. */
  public long delivered;
  public long max;
  private volatile boolean closed;

  public Subscription(Subscriber owner, String subject, String queue, String sid) {
    this.owner = owner;
    this.subject = subject;
    this.queue = queue;
    this.sid = sid;
    this.sidBytes = (" " + sid + " ").getBytes(StandardCharsets.UTF_8);
  }

  public Subscriber owner() { return owner; }
  public String subject() { return subject; }
  public String queue() { return queue; }
  public String sid() { return sid; }
  public byte[] sidBytes() { return sidBytes; }
  public boolean isQueue() { return queue != null; }
  public boolean isClosed() { return closed; }
  public void close() { closed = true; }
  @Override
  public String toString() {
    return "sub[" + owner.id() + "/" + sid + " " + subject + (queue == null ? "" : " " + queue) + "]";
  }
}
