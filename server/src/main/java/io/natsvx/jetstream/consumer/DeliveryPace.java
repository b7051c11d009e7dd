package io.natsvx.jetstream.consumer;

import io.natsvx.jetstream.store.StoredMessage;

/**
 * When a consumer may deliver its next message: {@code replay_policy: original} keeps the gaps
 * between the stored messages' timestamps until it has caught up with what the stream held when
 * it began, and {@code rate_limit_bps} is a token bucket of bytes (nats-server's rate.Limiter,
 * burst the largest message). A message taken for delivery too early is held here until its
 * time. Confined to the consumer's pump.
 */
final class DeliveryPace {

  private final long replayUntilSeq; // 0: instant replay
  private final double bytesPerNano; // 0: no rate limit
  private final long burst;
  private double tokens;
  private long refilledAt;
  private long lastTimestamp;
  private long lastSentAt;
  private StoredMessage held;
  private long heldUntil;

  /**
   * @param replayUntilSeq the stream's last sequence when an original-replay consumer began, or 0
   * @param bitsPerSecond rate_limit_bps, or 0
   * @param burst the largest message the bucket lets through at once
   */
  DeliveryPace(long replayUntilSeq, long bitsPerSecond, long burst, long now) {
    this.replayUntilSeq = replayUntilSeq;
    this.bytesPerNano = bitsPerSecond / 8 / 1e9;
    this.burst = Math.max(1, burst);
    this.tokens = this.burst;
    this.refilledAt = now;
  }

  private boolean paced() {
    return replayUntilSeq > 0 || bytesPerNano > 0;
  }

  /** Holds {@code m} back when it may not go yet; false when it may go now (it is then counted as sent). */
  boolean holdBack(StoredMessage m, long now) {
    if (!paced()) {
      return false;
    }
    long wait = delay(m.seq(), m.timestampNanos(), m.size(), now);
    if (wait > 0) {
      held = m;
      heldUntil = now + wait;
    }
    return wait > 0;
  }

  /** The message held back, which is the next to go, or null. */
  StoredMessage takeHeld() {
    StoredMessage m = held;
    held = null;
    return m;
  }

  boolean holds(long seq) {
    return held != null && held.seq() == seq;
  }

  /** When the held message may go, or Long.MAX_VALUE. */
  long nextDeadline() {
    return held != null ? heldUntil : Long.MAX_VALUE;
  }

  /**
   * Nanoseconds until the message may go, or 0 when it may go now (and it is then counted as
   * sent).
   */
  long delay(long seq, long timestampNanos, long size, long now) {
    if (replayUntilSeq > 0 && seq <= replayUntilSeq && lastTimestamp > 0) {
      long due = lastSentAt + (timestampNanos - lastTimestamp);
      if (due - now > 1_000_000L) {
        return due - now;
      }
    }
    if (bytesPerNano > 0) {
      tokens = Math.min(burst, tokens + (now - refilledAt) * bytesPerNano);
      refilledAt = now;
      double need = Math.min(size, burst);
      if (tokens < need) {
        return Math.max(1, (long) Math.ceil((need - tokens) / bytesPerNano));
      }
      tokens -= size;
    }
    lastTimestamp = timestampNanos;
    lastSentAt = now;
    return 0;
  }
}
