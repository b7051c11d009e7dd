package io.natsvx.messaging;

import io.natsvx.conn.MsgFrame;
import io.natsvx.conn.Producer;
import io.natsvx.conn.Receiver;
import io.natsvx.subject.SubjectKey;
import io.natsvx.subject.Subscription;

/**
 * A subscriber inside the server (JetStream's API, streams and consumers, the system account's
 * services): deliveries are calls, not socket writes. It hears clients and links, never the
 * server's own messages (nats-server's internal client has echo off). Called on the
 * publisher's event loop: implementations hand off quickly.
 */
public interface InternalSink extends Receiver {

  void receive(String subject, String reply, byte[] payload);

  /** The same with the message's header block (empty when none), for sinks that read headers. */
  default void receive(String subject, String reply, byte[] headers, byte[] payload) {
    receive(subject, reply, payload);
  }

  /**
   * Whether it also hears the server's own messages (nats-server's internal JetStream clients
   * hear each other): a mirror's feed hears the consumer it made, the consumer its flow-control
   * answers, the API its requests. Such a sink is called directly by {@link InternalPublisher},
   * on the publishing thread.
   */
  default boolean hearsServer() {
    return false;
  }

  @Override
  default long id() {
    return 0;
  }

  @Override
  default boolean receive(Producer producer, MsgFrame frame, Subscription sub, SubjectKey subject) {
    if (producer.isInternal()) {
      return false;
    }
    // A routed reply stays whole: the server's own answer goes straight back to the asking
    // cluster (nats-server tracks it per account; the prefix is only hidden from clients).
    byte[] routed = frame.routedReply();
    String reply = routed != null ? new String(routed, java.nio.charset.StandardCharsets.UTF_8) : frame.reply();
    receive(frame.subject(subject.subject()), reply, frame.headers(), frame.body());
    return true;
  }
}
