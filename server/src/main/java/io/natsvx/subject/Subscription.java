package io.natsvx.subject;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/**
 * One subscription: owner, subject, optional queue group, sid. Immutable but for the delivery
 * count and the closed flag, which any event loop that delivers to it may touch (thread-safe).
 */
public final class Subscription {

  private static final VarHandle DELIVERED;
  private static final VarHandle MAX;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      DELIVERED = l.findVarHandle(Subscription.class, "delivered", long.class);
      MAX = l.findVarHandle(Subscription.class, "max", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Subscriber owner;
  private final String subject;
  private final String queue;
  private final String sid;
  /** " <sid> " pre-encoded: the part of every MSG line that depends on the subscription. */
  private final byte[] sidBytes;

  @SuppressWarnings("unused") // through DELIVERED
  private volatile long delivered;
  @SuppressWarnings("unused") // through MAX
  private volatile long max;
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
  public long delivered() { return (long) DELIVERED.getVolatile(this); }
  public long max() { return (long) MAX.getVolatile(this); }

  /** Sets the auto-unsubscribe limit (UNSUB sid max); 0 = none. */
  public void max(long value) {
    MAX.setVolatile(this, value);
  }

  /**
   * Counts one delivery, returning false when the subscription already reached its limit
   * and must not get this message.
   */
  public boolean tryDeliver() {
    long n = (long) DELIVERED.getAndAdd(this, 1L) + 1;
    long m = (long) MAX.getVolatile(this);
    return m <= 0 || n <= m;
  }

  /** Whether the auto-unsubscribe limit has been reached. */
  public boolean limitReached() {
    long m = (long) MAX.getVolatile(this);
    return m > 0 && (long) DELIVERED.getVolatile(this) >= m;
  }

  @Override
  public String toString() {
    return "sub[" + owner.id() + "/" + sid + " " + subject + (queue == null ? "" : " " + queue) + "]";
  }
}
