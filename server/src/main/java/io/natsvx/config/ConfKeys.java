package io.natsvx.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The keys of one config block and what each does, for the readers: a key and its aliases
 * (written in lower case, separated by spaces; matched case-insensitively, as nats-server does)
 * map to a {@link Handler}. The typed entries read the value with {@link ValueReader} and call
 * their setter only when it is valid; {@link #on} takes any handler. A key the table does not
 * know is left to the reader, which words it as a warning or an error. Not thread-safe; built
 * for one read.
 */
final class ConfKeys {

  /** Reads the value of one key; {@code key} is the key as written. */
  @FunctionalInterface
  interface Handler {
    void read(ConfNode value, String key);
  }

  private final ValueReader values;
  private final Map<String, Handler> handlers = new HashMap<>();

  ConfKeys(ValueReader values) {
    this.values = values;
  }

  ConfKeys on(String names, Handler handler) {
    for (String name : names.split(" ")) {
      if (handlers.put(name, handler) != null) {
        throw new IllegalStateException("config key declared twice: " + name);
      }
    }
    return this;
  }

  ConfKeys string(String names, Consumer<String> setter) {
    return on(names, (v, k) -> set(values.string(v, k), setter));
  }

  /** A string; the setter gets null after an error too. */
  ConfKeys stringOrNull(String names, Consumer<String> setter) {
    return on(names, (v, k) -> setter.accept(values.string(v, k)));
  }

  ConfKeys bool(String names, Consumer<Boolean> setter) {
    return on(names, (v, k) -> set(values.bool(v, k), setter));
  }

  /** An integer within [min, max]. */
  ConfKeys integer(String names, long min, long max, Consumer<Integer> setter) {
    return on(names, (v, k) -> set(values.integer(v, k, min, max), setter));
  }

  /** Any int. */
  ConfKeys integer(String names, Consumer<Integer> setter) {
    return integer(names, Integer.MIN_VALUE, Integer.MAX_VALUE, setter);
  }

  /** Any integer, unbounded. */
  ConfKeys longInteger(String names, Consumer<Long> setter) {
    return on(names, (v, k) -> set(values.integer(v, k), setter));
  }

  /** A byte count, see {@link ValueReader#size}. */
  ConfKeys size(String names, Consumer<Long> setter) {
    return on(names, (v, k) -> set(values.size(v, k), setter));
  }

  /** A Go duration, or seconds with a warning: see {@link ValueReader#durationOrSeconds}. */
  ConfKeys duration(String names, Consumer<Duration> setter) {
    return on(names, (v, k) -> set(values.durationOrSeconds(v, k), setter));
  }

  /** Keys that are an error whatever their value. */
  ConfKeys error(String names, String message) {
    return on(names, (v, k) -> values.error(v, k, message));
  }

  /** Keys that are a warning whatever their value, and ignored. */
  ConfKeys warning(String names, String message) {
    return on(names, (v, k) -> values.warning(v, k, message));
  }

  /** Reads one entry; false, with nothing recorded, when the table does not know the key. */
  boolean read(String key, ConfNode value) {
    Handler h = handlers.get(key.toLowerCase(Locale.ROOT));
    if (h == null) {
      return false;
    }
    h.read(value, key);
    return true;
  }

  /** Reads every entry, in order; an unknown key goes to {@code unknown}. */
  void read(Map<String, ConfNode> entries, Handler unknown) {
    for (Map.Entry<String, ConfNode> e : entries.entrySet()) {
      if (!read(e.getKey(), e.getValue())) {
        unknown.read(e.getValue(), e.getKey());
      }
    }
  }

  /** Reads every entry; an unknown key is {@link ValueReader#unknown}'s warning "in block". */
  void read(Map<String, ConfNode> entries, String block) {
    read(entries, (v, k) -> values.unknown(v, k, block));
  }

  /** Calls the setter with a value read, unless it is null (after an error). */
  static <T> void set(T value, Consumer<T> setter) {
    if (value != null) {
      setter.accept(value);
    }
  }
}
