package io.natsvx.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Typed reads of config values for {@link OptionsReader}, collecting every error and warning
 * instead of stopping at the first, each naming "file:line: key: what". A getter returns null
 * after recording an error. Not thread-safe; one per read.
 */
final class ValueReader {

  private final List<String> errors = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  List<String> errors() {
    return errors;
  }

  List<String> warnings() {
    return warnings;
  }

  void error(ConfNode at, String key, String message) {
    errors.add(at.location() + ": " + key + ": " + message);
  }

  /** Adds an error whose message already names its key (nats-server's "no_auth_user: ..."). */
  void error(ConfNode at, String message) {
    errors.add(at.location() + ": " + message);
  }

  void warning(ConfNode at, String key, String message) {
    warnings.add(at.location() + ": " + key + ": " + message);
  }

  /** Adds a warning that already names its subject. */
  void warning(ConfNode at, String message) {
    warnings.add(at.location() + ": " + message);
  }

  String string(ConfNode n, String key) {
    if (n.isString()) {
      return n.asString();
    }
    return wrongType(n, key, ConfNode.Kind.STRING);
  }

  Boolean bool(ConfNode n, String key) {
    if (n.isBoolean()) {
      return n.asBoolean();
    }
    return wrongType(n, key, ConfNode.Kind.BOOLEAN);
  }

  /** A block: the entries of a map. */
  Map<String, ConfNode> map(ConfNode n, String key) {
    if (n.isMap()) {
      return n.asMap();
    }
    return wrongType(n, key, ConfNode.Kind.MAP);
  }

  /** A list's items. */
  List<ConfNode> list(ConfNode n, String key) {
    if (n.isList()) {
      return n.asList();
    }
    return wrongType(n, key, ConfNode.Kind.LIST);
  }

  /**
   * An unknown key inside a block: a warning (as at the top level), unless a {@code $NAME}
   * elsewhere used it, which makes it a variable rather than a setting.
   */
  void unknown(ConfNode at, String key, String block) {
    if (!at.usedAsVariable()) {
      warnings.add(at.location() + ": unknown field \"" + key + "\" in " + block + " (ignored)");
    }
  }

  Long integer(ConfNode n, String key) {
    if (n.isInteger()) {
      return n.asLong();
    }
    return wrongType(n, key, ConfNode.Kind.INTEGER);
  }

  /** An integer within [min, max]. */
  Integer integer(ConfNode n, String key, long min, long max) {
    Long v = integer(n, key);
    if (v == null) {
      return null;
    }
    if (v < min || v > max) {
      error(n, key, v + " is out of range (" + min + " to " + max + ")");
      return null;
    }
    return v.intValue();
  }

  /** A byte count: an integer (1MB unquoted in nats.conf) or a size string ("1MB" in YAML). */
  Long size(ConfNode n, String key) {
    if (n.isInteger()) {
      return n.asLong();
    }
    if (n.isString()) {
      try {
        return ByteSizes.parse(n.asString());
      } catch (IllegalArgumentException e) {
        error(n, key, e.getMessage());
        return null;
      }
    }
    error(n, key, "expected a size such as 1048576 or 1MB, got " + describe(n));
    return null;
  }

  /**
   * A Go duration string ("2m", "10s"); a plain integer is read as seconds with a warning, as
   * nats-server does for ping_interval and write_deadline.
   */
  Duration durationOrSeconds(ConfNode n, String key) {
    if (n.isInteger()) {
      long seconds = n.asLong();
      String text = n.text() == null ? Long.toString(seconds) : n.text();
      String hint = "invalid use of field \"" + key + "\": " + key
          + " should be converted to a duration such as \"" + seconds + "s\"; read as "
          + seconds + " seconds";
      if (!text.chars().allMatch(c -> c == '-' || Character.isDigit(c))) {
        // nats.conf reads an unquoted 2m as the number 2000000 (a size suffix), not 2 minutes.
        hint += " (unquoted " + text + " is the number " + seconds + "; write \"" + text
            + "\" in quotes for a duration)";
      }
      warnings.add(n.location() + ": " + hint);
      return Duration.ofSeconds(seconds);
    }
    return durationString(n, key);
  }

  /**
   * Seconds, whole or not, as nats-server reads its leaf and gateway {@code timeout}s (no
   * warning); a Go duration string is taken too.
   */
  Duration seconds(ConfNode n, String key) {
    if (n.isInteger()) {
      return Duration.ofSeconds(n.asLong());
    }
    if (n.isFloat()) {
      return Duration.ofNanos(Math.round(n.asDouble() * 1e9));
    }
    return durationString(n, key);
  }

  /** A Go duration string only. */
  Duration durationString(ConfNode n, String key) {
    if (!n.isString()) {
      error(n, key, "expected a duration such as \"2m\" or \"10s\", got " + describe(n));
      return null;
    }
    try {
      return GoDuration.parse(n.asString());
    } catch (IllegalArgumentException e) {
      error(n, key, "error parsing " + key + ": " + e.getMessage());
      return null;
    }
  }

  /** A port, or "host:port". */
  HostPort hostPort(ConfNode n, String key) {
    if (n.isInteger()) {
      Integer port = integer(n, key, -1, 65535);
      return port == null ? null : new HostPort("", port);
    }
    if (n.isString()) {
      try {
        HostPort hp = HostPort.parse(n.asString());
        if (hp.port() < -1 || hp.port() > 65535) {
          error(n, key, "port " + hp.port() + " is out of range (0 to 65535, -1 for random)");
          return null;
        }
        return hp;
      } catch (IllegalArgumentException e) {
        error(n, key, e.getMessage());
        return null;
      }
    }
    error(n, key, "expected port or host:port, got " + describe(n));
    return null;
  }

  private <T> T wrongType(ConfNode n, String key, ConfNode.Kind wanted) {
    error(n, key, "expected " + wanted.description() + ", got " + describe(n));
    return null;
  }

  /** "a string \"abc\"", "a map"… */
  static String describe(ConfNode n) {
    switch (n.kind()) {
      case MAP:
      case LIST:
        return n.kind().description();
      case STRING:
        return "a string \"" + n.asString() + "\"";
      default:
        return n.kind().description() + " (" + n.text() + ")";
    }
  }
  /** One URL or a list (nats-server's parseURL and parseURLs), for {@code what}: "leafnode", "gateway". */
  java.util.List<java.net.URI> urls(ConfNode v, String key, String what) {
    java.util.List<ConfNode> items;
    if (v.isString()) {
      items = java.util.List.of(v);
    } else if (v.isList()) {
      items = v.asList();
    } else {
      error(v, key, "Expected remote " + what + " url to be an array or string, got " + describe(v));
      return java.util.List.of();
    }
    java.util.List<java.net.URI> out = new java.util.ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (ConfNode n : items) {
      String text = string(n, key);
      if (text == null) {
        continue;
      }
      if (!seen.add(text)) {
        warning(n, text, "Duplicate " + what + " entry detected");
        continue;
      }
      java.net.URI u = ClusterOptions.parseRoute(text.trim());
      if (u == null) {
        error(n, key, "error parsing " + what + " url [\"" + text.trim() + "\"]");
      } else {
        out.add(u);
      }
    }
    return out;
  }

}
