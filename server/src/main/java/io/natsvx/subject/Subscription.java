package io.natsvx.subject;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/**
 * One subscription: owner, subject, optional queue group, sid. Immutable but for the closed
 * flag, the delivery count and the UNSUB max, all thread-safe.
 */
public final class Subscription {

  private final Subscriber owner;
  private final String subject;
  private final String queue;
  private final String sid;
  /** " <sid> " pre-encoded: the part of every MSG line that depends on the subscription. */
  private final byte[] sidBytes;
  /** The owner stands for other servers: asked once at construction, read per delivery. */
  private final boolean link;

  private static final VarHandle DELIVERED;

  static {
    try {
      DELIVERED = MethodHandles.lookup().findVarHandle(Subscription.class, "delivered", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Deliveries so far (atomic: any loop may deliver) and the UNSUB max (0 = none). */
  @SuppressWarnings("unused") // through DELIVERED
  private volatile long delivered;
  private volatile long max;
  private volatile boolean closed;
  /** Set before the subscription is indexed: each delivery must pass the owner's deny list. */
  private boolean checksDelivery;

  public Subscription(Subscriber owner, String subject, String queue, String sid) {
    this.owner = owner;
    this.subject = subject;
    this.queue = queue;
    this.sid = sid;
    this.sidBytes = (" " + sid + " ").getBytes(StandardCharsets.UTF_8);
    this.link = owner.isLink();
  }

  public Subscriber owner() { return owner; }
  public String subject() { return subject; }
  public String queue() { return queue; }
  public String sid() { return sid; }
  public byte[] sidBytes() { return sidBytes; }
  public boolean isQueue() { return queue != null; }
  /** Whether the owner is a link to other servers (see {@link Subscriber#isLink}). */
  public boolean isLink() { return link; }
  public boolean isClosed() { return closed; }
  public boolean checksDelivery() { return checksDelivery; }
  /** Before {@code SubjectIndex.insert}, which publishes it to other threads. */
  public void checkDelivery() { checksDelivery = true; }
  public void close() { closed = true; }
  /** The UNSUB max, 0 for none. */
  public long max() {
    return max;
  }

  public long delivered() {
    return (long) DELIVERED.getVolatile(this);
  }

  /**
   * Counts one delivery: -1 when the UNSUB max was already reached (do not deliver), else 0, or
   * {@link #LAST_DELIVERY} when this one reaches the max.
   */
  public int countDelivery() {
    long n = (long) DELIVERED.getAndAdd(this, 1L) + 1;
    long m = max;
    if (m <= 0) {
      return 0;
    }
    return n > m ? -1 : n == m ? LAST_DELIVERY : 0;
  }

  /** The flag {@link #countDelivery} returns for the last delivery (matches Outbound.LAST). */
  public static final int LAST_DELIVERY = 0x10;

  /**
   * UNSUB with a max: keeps the subscription for {@code newMax} deliveries in all (those it
   * already had count) and returns true, or returns false when it must go now.
   */
  public boolean limit(long newMax) {
    if (newMax > 0 && newMax > delivered()) {
      max = newMax;
      return true;
    }
    max = 0;
    return false;
  }

  @Override
  public String toString() {
    return "sub[" + owner.id() + "/" + sid + " " + subject + (queue == null ? "" : " " + queue) + "]";
  }
}
