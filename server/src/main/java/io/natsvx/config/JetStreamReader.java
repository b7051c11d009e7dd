package io.natsvx.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

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
    String storeDir = options.storeDir();
    long maxMemory = options.maxMemory();
    long maxFile = options.maxFile();
    String domain = options.domain();
    boolean syncAlways = options.syncAlways();
    Duration syncInterval = options.syncInterval();
    long maxBuffered = options.maxBufferedMsgs();
    boolean enabled = true;
    for (Map.Entry<String, ConfNode> e : v.asMap().entrySet()) {
      String k = e.getKey();
      ConfNode n = e.getValue();
      switch (k.toLowerCase(Locale.ROOT)) {
        case "store", "store_dir", "storedir" -> {
          if (storeDirAt != null) {
            values.error(n, k, "Duplicate 'store_dir' configuration");
          } else {
            storeDir = values.string(n, k);
          }
        }
        case "sync", "sync_interval" -> {
          if (n.isString() && n.asString().equalsIgnoreCase("always")) {
            syncAlways = true;
          } else {
            Duration d = values.durationString(n, k);
            if (d != null) {
              syncAlways = false;
              syncInterval = d;
            }
          }
        }
        case "max_memory_store", "max_mem_store", "max_mem" -> {
          Long s = values.size(n, k);
          if (s != null) {
            maxMemory = s;
          }
        }
        case "max_file_store", "max_file" -> {
          Long s = values.size(n, k);
          if (s != null) {
            maxFile = s;
          }
        }
        case "domain" -> domain = values.string(n, k);
        case "enable", "enabled" -> {
          Boolean b = values.bool(n, k);
          enabled = b == null || b;
        }
        case "max_buffered_msgs" -> {
          Long s = values.integer(n, k);
          if (s != null) {
            maxBuffered = s;
          }
        }
        case "strict", "max_buffered_size", "request_queue_limit", "max_outstanding_catchup", "unique_tag",
            "extension_hint", "limits" -> values.warning(n, k, "ignored: natsvx does not use it yet");
        case "key", "ek", "encryption_key", "prev_key", "prev_ek", "prev_encryption_key", "cipher", "tpm" ->
            values.error(n, k, "not supported yet (encryption at rest)");
        default -> values.unknown(n, k, key);
      }
    }
    options = new JetStreamOptions(enabled, storeDir, maxMemory, maxFile, domain, syncAlways, syncInterval, maxBuffered);
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
    long mem = -1;
    long file = -1;
    long streams = -1;
    long consumers = -1;
    for (Map.Entry<String, ConfNode> e : v.asMap().entrySet()) {
      String k = e.getKey();
      ConfNode n = e.getValue();
      switch (k.toLowerCase(Locale.ROOT)) {
        case "max_memory", "max_mem", "mem", "memory" -> mem = sizeOr(values, n, k, mem);
        case "max_file", "max_store", "file", "store" -> file = sizeOr(values, n, k, file);
        case "max_streams", "streams" -> streams = intOr(values, n, k, streams);
        case "max_consumers", "consumers" -> consumers = intOr(values, n, k, consumers);
        case "max_bytes_required", "max_ack_pending", "mem_max_stream_bytes", "memory_max_stream_bytes",
            "disk_max_stream_bytes", "store_max_stream_bytes", "cluster_traffic" ->
            values.warning(n, k, "ignored: natsvx does not use it yet");
        default -> values.unknown(n, k, key);
      }
    }
    return new JetStreamOptions.AccountLimits(mem, file, streams, consumers);
  }

  private static long sizeOr(ValueReader values, ConfNode n, String k, long dflt) {
    Long s = values.size(n, k);
    return s == null ? dflt : s;
  }

  private static long intOr(ValueReader values, ConfNode n, String k, long dflt) {
    Long s = values.integer(n, k);
    return s == null ? dflt : s;
  }
}
