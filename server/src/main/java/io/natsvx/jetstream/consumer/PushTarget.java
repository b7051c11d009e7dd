package io.natsvx.jetstream.consumer;

import io.natsvx.account.Account;
import io.natsvx.messaging.InternalPublisher;

/**
 * Where a push consumer delivers: its deliver subject while someone subscribes to it, held back
 * by flow control when configured, with idle heartbeats after {@code idle_heartbeat} without a
 * delivery. Confined to the consumer's pump.
 */
final class PushTarget {

  /** How often a push consumer without a subscriber looks for one. */
  private static final long LOOK_FOR_SUBSCRIBER_NANOS = 250_000_000L;

  private final Account account;
  private final String subject;
  private final long heartbeatNanos;
  private final FlowControl flow;
  private long lastDelivery = System.nanoTime();

  PushTarget(Account account, String stream, ConsumerConfig config) {
    this.account = account;
    this.subject = config.deliverSubject();
    this.heartbeatNanos = config.heartbeatNanos();
    this.flow = config.flowControl() ? new FlowControl(stream, config.name()) : null;
  }

  String subject() {
    return subject;
  }

  /** Whether someone subscribes to the deliver subject. */
  boolean bound() {
    return InternalPublisher.hasInterest(account, subject);
  }

  /** Whether flow control lets more go now. */
  boolean flowing() {
    return flow == null || !flow.blocked();
  }

  /** The subject flow-control answers come on, or null without flow control. */
  String flowAnswers() {
    return flow == null ? null : flow.answers();
  }

  void flowAnswered(String subject) {
    if (flow != null) {
      flow.answered(subject);
    }
  }

  /** Counts a message of {@code size} bytes sent; asks for a flow-control answer when due. */
  void sent(long size, long now, ConsumerOutput out) {
    lastDelivery = now;
    if (flow != null && flow.sent(size)) {
      out.flowControlRequest(subject, flow.request());
    }
  }

  void heartbeat(long now, long lastConsumer, long lastStream, ConsumerOutput out) {
    if (heartbeatNanos > 0 && now - lastDelivery >= heartbeatNanos) {
      lastDelivery = now;
      out.idleHeartbeat(subject, lastConsumer, lastStream, flow == null ? null : flow.stalledOn());
    }
  }

  /** When the pump must look again: the next heartbeat, or soon while no one subscribes. */
  long nextDeadline(long now) {
    long next = heartbeatNanos > 0 ? lastDelivery + heartbeatNanos : Long.MAX_VALUE;
    return bound() ? next : Math.min(next, now + LOOK_FOR_SUBSCRIBER_NANOS);
  }
}
