package io.natsvx.config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Single values of the {@code tls} block for {@link TlsReader}, with nats-server's forms and
 * messages (parseTLS, parseTLSVersion), and the readability check of the files it names.
 * A getter returns null after recording an error. One per read.
 */
public final class TlsValues {

  private final ValueReader values;

  TlsValues(ValueReader values) {
    this.values = values;
  }

  /**
   * Why {@code file} cannot be read, worded as Go's os.ReadFile does ("open f: no such file or
   * directory"), or null when it can. Relative names are relative to the working directory, as
   * in nats-server.
   */
  public static String unreadable(String file) {
    Path p;
    try {
      p = Path.of(file);
    } catch (InvalidPathException e) {
      return "open " + file + ": invalid argument";
    }
    if (!Files.exists(p)) {
      return "open " + file + ": no such file or directory";
    }
    if (Files.isDirectory(p)) {
      return "read " + file + ": is a directory";
    }
    if (!Files.isReadable(p)) {
      return "open " + file + ": permission denied";
    }
    return null;
  }

  /** Seconds (integer or fraction) or a Go duration string; zero stands for the default. */
  Duration timeout(ConfNode n, String k) {
    Duration d;
    if (n.isInteger()) {
      d = Duration.ofSeconds(n.asLong());
    } else if (n.isFloat()) {
      d = Duration.ofNanos(Math.round(n.asDouble() * 1e9));
    } else if (n.isString()) {
      try {
        d = GoDuration.parse(n.asString());
      } catch (IllegalArgumentException e) {
        values.error(n, k, "error parsing tls config, 'timeout' " + e.getMessage());
        return null;
      }
    } else {
      values.error(n, k, "error parsing tls config, 'timeout' wrong type");
      return null;
    }
    if (d.isNegative()) {
      // nats-server would time every handshake out at once.
      values.error(n, k, "must not be negative");
      return null;
    }
    return d;
  }

  /** nats-server 2.11+: "1.2" or "1.3", quoted (an unquoted 1.2 is a number and refused). */
  String minVersion(ConfNode n, String k) {
    if (!n.isString()) {
      values.error(n, k, "error parsing tls config: 'min_version' wrong type: " + goValue(n));
      return null;
    }
    String v = n.asString();
    switch (v) {
      case "1.2":
      case "1.3":
        return v;
      case "1.0":
      case "1.1":
        values.error(n, k, "error parsing tls config: unsupported TLS version: TLS " + v);
        return null;
      default:
        values.error(n, k, "error parsing tls config: unknown version: " + v);
        return null;
    }
  }

  /**
   * A boolean; nats-server 2.10.4+ also takes "true"/"on"/"false"/"off", and "auto" or a
   * duration, which let clients that do not start with TLS fall back after that delay.
   */
  Boolean handshakeFirst(ConfNode n, String k) {
    if (n.isBoolean()) {
      return n.asBoolean();
    }
    if (!n.isString()) {
      values.error(n, "field \"" + k + "\" should be a boolean or a string, got " + goType(n));
      return null;
    }
    String v = n.asString();
    switch (v.toLowerCase(Locale.ROOT)) {
      case "true":
      case "on":
        return true;
      case "false":
      case "off":
        return false;
      case "auto":
      case "auto_fallback":
        break;
      default:
        try {
          GoDuration.parse(v);
        } catch (IllegalArgumentException e) {
          values.error(n, "field \"" + k + "\"'s value \"" + v + "\" is invalid");
          return null;
        }
    }
    values.warning(n, k, "\"" + v + "\": falling back to INFO first after a delay is not "
        + "supported yet; read as true (clients must start with the TLS handshake)");
    return true;
  }

  /** A restriction on client certificates: ignoring it would let other certificates in. */
  void pinnedCerts(ConfNode n, String k) {
    if (!n.isList()) {
      values.error(n, k, "error parsing tls config, expected 'pinned_certs' to be a list of "
          + "hex-encoded sha256 of DER encoded SubjectPublicKeyInfo");
    } else if (!n.asList().isEmpty()) {
      values.error(n, k, "not supported yet");
    }
  }

  /** Revocation checks of client certificates: refused when enabled, ignored when off. */
  void ocspPeer(ConfNode n, String k) {
    boolean enabled;
    if (n.isBoolean()) {
      enabled = n.asBoolean();
    } else if (n.isMap()) {
      ConfNode v = n.getIgnoreCase("verify");
      enabled = v != null && !(v.isBoolean() && !v.asBoolean()); // nats-server's default: off
    } else {
      values.error(n, k, "error parsing ocsp peer config: expected a boolean or a map, got "
          + ValueReader.describe(n));
      return;
    }
    if (enabled) {
      values.error(n, k, "not supported yet");
    } else {
      values.warning(n, k, "not supported yet, ignored");
    }
  }

  /** A value as Go's %v prints it: 1.0 as 1. */
  private static String goValue(ConfNode n) {
    if (n.isFloat()) {
      return new java.math.BigDecimal(Double.toString(n.asDouble())).stripTrailingZeros()
          .toPlainString();
    }
    return n.isMap() || n.isList() ? n.toString() : n.text();
  }

  /** The Go type nats-server names in its messages (%T). */
  private static String goType(ConfNode n) {
    switch (n.kind()) {
      case INTEGER:
        return "int64";
      case FLOAT:
        return "float64";
      case LIST:
        return "[]interface {}";
      case MAP:
        return "map[string]interface {}";
      case BOOLEAN:
        return "bool";
      default:
        return "string";
    }
  }
}
