package io.natsvx.config;

import java.time.Duration;

/**
 * The server's {@code jetstream} block (and {@code -js}, {@code -sd}): whether JetStream runs,
 * where file storage lives (messages go under {@code <store_dir>/jetstream/}; the temporary
 * directory when none is set), the memory and file limits (-1: nats-server's defaults, 75% of
 * the memory and 1 TB), the domain, and how commits reach the disk: {@code syncAlways} (the
 * default here, unlike nats-server's 2 minutes) fsyncs every commit, otherwise every
 * {@code syncInterval}. Immutable.
 */
public record JetStreamOptions(boolean enabled, String storeDir, long maxMemory, long maxFile, String domain,
    boolean syncAlways, Duration syncInterval, long maxBufferedMsgs) {

  public static final JetStreamOptions DISABLED =
      new JetStreamOptions(false, null, -1, -1, null, true, Duration.ofMinutes(2), 10_000);

  public JetStreamOptions withEnabled(boolean on) {
    return new JetStreamOptions(on, storeDir, maxMemory, maxFile, domain, syncAlways, syncInterval, maxBufferedMsgs);
  }

  public JetStreamOptions withStoreDir(String dir) {
    return new JetStreamOptions(enabled, dir, maxMemory, maxFile, domain, syncAlways, syncInterval, maxBufferedMsgs);
  }

  /**
   * An account's {@code jetstream} limits: memory and file bytes, streams and consumers, each
   * -1 for unlimited.
   */
  public record AccountLimits(long maxMemory, long maxFile, long maxStreams, long maxConsumers) {
    public static final AccountLimits UNLIMITED = new AccountLimits(-1, -1, -1, -1);
  }
}
