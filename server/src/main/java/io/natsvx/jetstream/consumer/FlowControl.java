package io.natsvx.jetstream.consumer;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A push consumer's flow control, as nats-server's consumer.go keeps it: bytes sent and not yet
 * confirmed are counted; past half the window a {@code 100 FlowControl Request} goes out with a
 * fresh {@code $JS.FC.<stream>.<consumer>.<id>} reply, and past the whole window delivery waits
 * until the client answers it. Each answer doubles the window (slow start) up to 32 MiB.
 * Confined to the consumer's pump.
 */
final class FlowControl {

  private static final int LIMIT = 32 * 1024 * 1024;
  private static final String DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  private final String prefix;
  private int window = LIMIT / 16;
  private long pendingBytes;
  /** The reply of the request awaiting its answer, or null. */
  private String outstanding;
  /** What the outstanding request confirms once answered. */
  private long covered;

  FlowControl(String stream, String consumer) {
    this.prefix = "$JS.FC." + stream + "." + consumer + ".";
  }

  /** The subject a consumer subscribes for the answers. */
  String answers() {
    return prefix + "*";
  }

  /** Delivery must wait for an answer. */
  boolean blocked() {
    return pendingBytes > window;
  }

  /** Counts a delivered message; true when a request should follow it. */
  boolean sent(long size) {
    pendingBytes += size;
    if (outstanding == null) {
      return pendingBytes > window / 2;
    }
    if (pendingBytes - covered >= window) {
      covered += size;
    }
    return false;
  }

  /** A new request's reply subject; what was sent so far is confirmed by its answer. */
  String request() {
    StringBuilder id = new StringBuilder(prefix);
    long r = ThreadLocalRandom.current().nextLong(Long.MAX_VALUE);
    for (int i = 0; i < 4; i++) {
      id.append(DIGITS.charAt((int) (r % DIGITS.length())));
      r /= DIGITS.length();
    }
    outstanding = id.toString();
    covered = pendingBytes;
    return outstanding;
  }

  /** An answer came on {@code subject}; true when it was the awaited one and delivery may go on. */
  boolean answered(String subject) {
    if (!subject.equals(outstanding)) {
      return false;
    }
    window = Math.min(LIMIT, window * 2);
    pendingBytes = Math.max(0, pendingBytes - covered);
    outstanding = null;
    covered = 0;
    return true;
  }

  /** The reply a stalled consumer waits on, for the heartbeat's Nats-Consumer-Stalled header; null if none. */
  String stalledOn() {
    return outstanding;
  }
}
