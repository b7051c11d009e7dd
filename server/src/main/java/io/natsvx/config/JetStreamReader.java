package io.natsvx.config;

import java.time.Duration;
import java.util.Locale;

/**
 * The {@code jetstream} keys, at the top (nats-server's parseJetStream) and in an account
 * (parseJetStreamForAccount), with nats-server's words for what is wrong.
 */
final class JetStreamReader {

  private final ValueReader values;
  private JetStreamOptions options = JetStreamOptions.DISABLED;
  private ConfNode storeDirAt;

  JetStreamReader(ValueReader values) {
    this.values = values;
  }

  JetStreamOptions options() {
    return options;
  }

  /** The top-level {@code store_dir}, which the block may not repeat. */
  void storeDir(ConfNode v, String key) {
    String dir = values.string(v, key);
    if (dir != null) {
      if (options.storeDir() != null) {
        values.error(v, key, "Duplicate 'store_dir' configuration");
        return;
      }
      storeDirAt = v;
      options = options.withStoreDir(dir);
    }
  }

  void block(ConfNode v, String key) {
    if (v.isBoolean()) {
      options = options.withEnabled(v.asBoolean());
      return;
    }
    if (v.isString()) {
      switch (v.asString().toLowerCase(Locale.ROOT)) {
        case "enabled", "enable" -> options = options.withEnabled(true);
        case "disabled", "disable" -> options = options.withEnabled(false);
        default -> values.error(v, key, "Expected 'enabled' or 'disabled' for string value, got '" + v.asString() + "'");
      }
      return;
    }
    if (!v.isMap()) {
      values.error(v, key, "Expected map, bool or string to define JetStream, got " + ValueReader.describe(v));
      return;
    }
    Block p = new Block(options);
    new ConfKeys(values)
        .on("store store_dir storedir", (n, k) -> {
          if (storeDirAt != null) {
            values.error(n, k, "Duplicate 'store_dir' configuration");
          } else {
            p.storeDir = values.string(n, k);
          }
        })
        .on("sync sync_interval", (n, k) -> {
          if (n.isString() && n.asString().equalsIgnoreCase("always")) {
            p.syncAlways = true;
          } else {
            ConfKeys.set(values.durationString(n, k), d -> {
              p.syncAlways = false;
              p.syncInterval = d;
            });
          }
        })
        .size("max_memory_store max_mem_store max_mem", s -> p.maxMemory = s)
        .size("max_file_store max_file", s -> p.maxFile = s)
        .stringOrNull("domain", d -> p.domain = d)
        .on("enable enabled", (n, k) -> {
          Boolean b = values.bool(n, k);
          p.enabled = b == null || b;
        })
        .longInteger("max_buffered_msgs", s -> p.maxBuffered = s)
        .warning("strict max_buffered_size request_queue_limit max_outstanding_catchup unique_tag extension_hint limits",
            "ignored: natsvx does not use it yet")
        .error("key ek encryption_key prev_key prev_ek prev_encryption_key cipher tpm",
            "not supported yet (encryption at rest)")
        .read(v.asMap(), key);
    options = new JetStreamOptions(p.enabled, p.storeDir, p.maxMemory, p.maxFile, p.domain, p.syncAlways,
        p.syncInterval, p.maxBuffered);
  }

  /** The parts of a {@code jetstream} block, as they are read, from what was set before it. */
  private static final class Block {
    boolean enabled = true;
    String storeDir;
    long maxMemory;
    long maxFile;
    String domain;
    boolean syncAlways;
    Duration syncInterval;
    long maxBuffered;

    Block(JetStreamOptions o) {
      storeDir = o.storeDir();
      maxMemory = o.maxMemory();
      maxFile = o.maxFile();
      domain = o.domain();
      syncAlways = o.syncAlways();
      syncInterval = o.syncInterval();
      maxBuffered = o.maxBufferedMsgs();
    }
  }

  /** An account's {@code jetstream}: enabled, disabled, or its limits. Null when disabled. */
  static JetStreamOptions.AccountLimits account(ValueReader values, ConfNode v, String key) {
    if (v.isBoolean()) {
      return v.asBoolean() ? JetStreamOptions.AccountLimits.UNLIMITED : null;
    }
    if (v.isString()) {
      switch (v.asString().toLowerCase(Locale.ROOT)) {
        case "enabled", "enable":
          return JetStreamOptions.AccountLimits.UNLIMITED;
        case "disabled", "disable":
          return null;
        default:
          values.error(v, key, "Expected 'enabled' or 'disabled' for string value, got '" + v.asString() + "'");
          return null;
      }
    }
    if (!v.isMap()) {
      values.error(v, key, "Expected map, bool or string to define JetStream, got " + ValueReader.describe(v));
      return null;
    }
    long[] limits = {-1, -1, -1, -1}; // memory, file, streams, consumers
    new ConfKeys(values)
        .size("max_memory max_mem mem memory", n -> limits[0] = n)
        .size("max_file max_store file store", n -> limits[1] = n)
        .longInteger("max_streams streams", n -> limits[2] = n)
        .longInteger("max_consumers consumers", n -> limits[3] = n)
        .warning("max_bytes_required max_ack_pending mem_max_stream_bytes memory_max_stream_bytes "
            + "disk_max_stream_bytes store_max_stream_bytes cluster_traffic", "ignored: natsvx does not use it yet")
        .read(v.asMap(), key);
    return new JetStreamOptions.AccountLimits(limits[0], limits[1], limits[2], limits[3]);
  }
}
