package io.natsvx.jetstream.consumer;

/**
 * When a consumer may deliver its next message: {@code replay_policy: original} keeps the gaps
 * between the stored messages' timestamps until it has caught up with what the stream held when
 * it began, and {@code rate_limit_bps} is a token bucket of bytes (nats-server's rate.Limiter,
 * burst the largest message). Confined to the consumer's pump.
 */
final class DeliveryPace {

  private final long replayUntilSeq; // 0: instant replay
  private final double bytesPerNano; // 0: no rate limit
  private final long burst;
  private double tokens;
  private long refilledAt;
  private long lastTimestamp;
  private long lastSentAt;

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

  boolean paced() {
    return replayUntilSeq > 0 || bytesPerNano > 0;
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
