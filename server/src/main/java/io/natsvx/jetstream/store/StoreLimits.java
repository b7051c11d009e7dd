package io.natsvx.jetstream.store;

/**
 * The limits a store keeps by dropping its oldest messages as new ones come (nats-server's
 * DiscardOld): at most {@code maxMsgs} messages, {@code maxBytes} bytes and
 * {@code maxMsgsPerSubject} per subject; 0 or less for no limit. Immutable.
 */
public record StoreLimits(long maxMsgs, long maxBytes, long maxMsgsPerSubject) {

  public static final StoreLimits NONE = new StoreLimits(0, 0, 0);
}
