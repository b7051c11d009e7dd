package io.natsvx.conn;

import io.natsvx.subject.SubjectKey;
import io.natsvx.subject.Subscription;

/**
 * A receiver that stands for other servers (a route; gateways and leaf nodes next): whatever
 * matched there, a message crosses it once, with the queue groups it was picked for. Its
 * {@link #receive} only joins the producer's {@link LinkFanout}; {@link #forward} frames the
 * message in the link's dialect once the local deliveries are done.
 */
public interface Link extends Receiver {

  @Override
  default boolean isLink() {
    return true;
  }

  @Override
  default boolean receive(Producer producer, MsgFrame frame, Subscription sub, SubjectKey subject) {
    producer.fanout().add(this, sub.queue());
    return true;
  }

  /**
   * Writes the message, in {@code account}, to the far side with the first {@code queueCount}
   * of {@code queues}; on the producer's loop. True when it was taken.
   */
  boolean forward(Producer producer, byte[] account, MsgFrame frame, String[] queues, int queueCount);
}
