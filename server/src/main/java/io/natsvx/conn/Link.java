package io.natsvx.conn;

import io.natsvx.subject.SubjectKey;
import io.natsvx.subject.Subscription;

/**
 * A receiver that stands for other servers (a route, a gateway or a leaf node link): whatever
 * matched there, a message crosses it once, with the queue groups it was picked for, and only
 * when the link's rule lets a message from where this one came cross ({@link #accepts}). Its
 * {@link #receive} only joins the producer's {@link LinkFanout}; {@link #forward} frames the
 * message in the link's dialect once the local deliveries are done.
 */
public interface Link extends Receiver {

  /** What a link is to this server: it decides where messages and interest from it may go. */
  enum Role {
    /** Another server of this cluster. */
    ROUTE,
    /** A leaf node of this server (this server is its hub). */
    LEAF_HUB,
    /** This server's hub (this server is its leaf). */
    LEAF_SPOKE,
    /** A server of another cluster of the super-cluster. */
    GATEWAY
  }

  @Override
  default boolean isLink() {
    return true;
  }

  Role role();

  /** The cluster of the server on the far side of a leaf link; null when it has none (or for routes). */
  default String remoteCluster() {
    return null;
  }

  /**
   * The leaf cluster the message being delivered from this link came from: a leaf link's own
   * cluster, the one a route's LMSG named (null: none).
   */
  default String messageOrigin() {
    return remoteCluster();
  }

  /** Whether both are leaf links to servers of the same named cluster (which must not hear each other). */
  static boolean sameCluster(Link a, Link b) {
    String c = a.remoteCluster();
    return c != null && !c.isEmpty() && c.equals(b.remoteCluster());
  }

  /**
   * Whether a message that came from {@code from} (null: this server's own clients and handlers)
   * may cross this link (nats-server's processMsgResults rules).
   */
  boolean accepts(Link from);

  @Override
  default boolean receive(Producer producer, MsgFrame frame, Subscription sub, SubjectKey subject) {
    if (!accepts(producer.origin())) {
      return false;
    }
    producer.fanout().add(this, sub.queue());
    return true;
  }

  /**
   * Writes the message, in {@code account}, to the far side with the first {@code queueCount}
   * of {@code queues}; on the producer's loop. True when it was taken.
   */
  boolean forward(Producer producer, byte[] account, MsgFrame frame, String[] queues, int queueCount);
}
