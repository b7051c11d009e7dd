package io.natsvx.subject;

/**
 * A subscriber inside the server (the system account's request handlers): deliveries are calls,
 * not socket writes. Called on the publisher's event loop: implementations hand off quickly.
 */
public interface InternalSink extends Subscriber {

  void receive(String subject, String reply, byte[] payload);

  /** The same with the message's header block (empty when none), for sinks that read headers. */
  default void receive(String subject, String reply, byte[] headers, byte[] payload) {
    receive(subject, reply, payload);
  }
}
