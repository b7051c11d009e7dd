package io.natsvx.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the top-level {@code tls} block for {@link OptionsReader} into {@link TlsOptions}, with
 * nats-server's keys and messages (server/opts.go parseTLS, then the checks of GenTLSConfig).
 * Unknown keys are errors, as in nats-server: a misspelt {@code verify} must not leave clients
 * unchecked. Keys natsvx cannot honour yet are warnings when ignoring them loses no protection,
 * errors otherwise ({@code pinned_certs}, an enabled {@code ocsp_peer}). The certificate, key
 * and CA files must be readable now, as nats-server loads them while reading the config; their
 * contents are left to the TLS runtime. One instance per block.
 */
final class TlsReader {

  private final ValueReader values;
  private final TlsValues tlsValues;
  private String certFile;
  private ConfNode certAt;
  private String keyFile;
  private ConfNode keyAt;
  private String caFile;
  private ConfNode caAt;
  private boolean verify;
  private boolean verifyAndMap;
  private Duration timeout;
  private List<String> cipherSuites;
  private final List<String> insecureSuites = new ArrayList<>();
  private boolean allowInsecureSuites;
  private String minVersion;
  private boolean handshakeFirst;
  private boolean certStore;
  private boolean certificates;
  private boolean badFileName;  // a file key of the wrong type: "missing" would only repeat it

  TlsReader(ValueReader values) {
    this.values = values;
    this.tlsValues = new TlsValues(values);
  }

  /** The block under {@code key}; null after an error, which is recorded. */
  TlsOptions read(ConfNode block, String key) {
    Map<String, ConfNode> m = values.map(block, key);
    if (m == null) {
      return null;
    }
    int errorsBefore = values.errors().size();
    for (Map.Entry<String, ConfNode> e : m.entrySet()) {
      field(e.getKey(), e.getValue());
    }
    checks(block, key);
    if (values.errors().size() > errorsBefore) {
      return null;
    }
    return new TlsOptions(certFile, keyFile, caFile, verify || verifyAndMap, verifyAndMap,
        timeout, cipherSuites, minVersion, handshakeFirst);
  }

  private void field(String k, ConfNode n) {
    switch (k.toLowerCase(Locale.ROOT)) {
      case "cert_file":
        certAt = n;
        certFile = fileName(n, k);
        break;
      case "key_file":
        keyAt = n;
        keyFile = fileName(n, k);
        break;
      case "ca_file":
        caAt = n;
        caFile = fileName(n, k);
        break;
      case "verify":
        verify = bool(n, k, verify);
        break;
      case "verify_and_map":
        // Mapping the certificate to a user implies verifying it (nats-server sets both).
        verifyAndMap = bool(n, k, verifyAndMap);
        break;
      case "verify_cert_and_check_known_urls":
        if (bool(n, k, false)) {
          values.error(n, k, "verify_cert_and_check_known_urls not supported in this context");
        }
        break;
      case "insecure":
        // Only skips the checks of a TLS client (routes, leaf nodes); the client port is a server.
        if (bool(n, k, false)) {
          values.warning(n, k, "not supported yet, ignored");
        }
        break;
      case "allow_insecure_cipher_suites":
        allowInsecureSuites = bool(n, k, allowInsecureSuites);
        break;
      case "cipher_suites":
        cipherSuites(n, k);
        break;
      case "curve_preferences":
        curves(n, k);
        break;
      case "timeout": {
        Duration d = tlsValues.timeout(n, k);
        if (d != null) {
          timeout = d.isZero() ? null : d; // the default, as in nats-server
        }
        break;
      }
      case "min_version":
        minVersion = tlsValues.minVersion(n, k);
        break;
      case "handshake_first":
      case "first":
      case "immediate": {
        Boolean b = tlsValues.handshakeFirst(n, k);
        handshakeFirst = b == null ? handshakeFirst : b;
        break;
      }
      case "pinned_certs":
        tlsValues.pinnedCerts(n, k);
        break;
      case "ocsp_peer":
        tlsValues.ocspPeer(n, k);
        break;
      case "connection_rate_limit":
        if (!n.isInteger()) {
          values.error(n, k, "error parsing tls config, 'connection_rate_limit' wrong type");
        } else if (n.asLong() > 0) {
          values.warning(n, k, "not supported yet, ignored");
        }
        break;
      case "cert_store":
        // Windows certificate store, in place of cert_file: with neither, keyPair() refuses.
        certStore = true;
        values.warning(n, k, "not supported yet, ignored");
        break;
      case "cert_match_by":
      case "cert_match":
      case "ca_certs_match":
      case "cert_match_skip_invalid":
        values.warning(n, k, "not supported yet, ignored");
        break;
      case "certs":
      case "certificates":
        // Ignoring them would leave the listener without the certificates it was given.
        certificates = true;
        values.error(n, k, "not supported yet");
        break;
      default:
        values.error(n, k, "error parsing tls config, unknown field \"" + k + "\"");
    }
  }

  /** GenTLSConfig's checks, in its order, then the insecure suites check of parseTLS. */
  private void checks(ConfNode block, String key) {
    if (!badFileName) {
      keyPair(block, key);
    }
    if (caFile != null) {
      checkReadable(caAt, "ca_file", caFile, false);
    }
    if (!allowInsecureSuites && !insecureSuites.isEmpty()) {
      values.error(block, key, "insecure cipher suites configured without "
          + "'allow_insecure_cipher_suites' option set: " + String.join(", ", insecureSuites));
    }
  }

  private void keyPair(ConfNode block, String key) {
    if (certFile != null && certStore) {
      values.error(block, key, "'cert_file' and 'cert_store' may not both be configured");
    } else if (certFile != null && keyFile == null) {
      values.error(block, key, "missing 'key_file' in TLS configuration");
    } else if (certFile == null && keyFile != null) {
      values.error(block, key, "missing 'cert_file' in TLS configuration");
    } else if (certFile == null && !certificates) {
      // nats-server accepts this and then fails every handshake; refuse it up front.
      values.error(block, key, "missing 'cert_file' and 'key_file' in TLS configuration");
    } else if (certFile != null) {
      checkReadable(certAt, "cert_file", certFile, true);
      checkReadable(keyAt, "key_file", keyFile, true);
    }
  }

  private void checkReadable(ConfNode at, String k, String file, boolean keyPair) {
    String why = TlsValues.unreadable(file);
    if (why != null) {
      values.error(at, k, (keyPair ? "error parsing X509 certificate/key pair: " : "") + why);
    }
  }

  // ---- single keys ----

  /** A file name; "" is no file, as in nats-server. */
  private String fileName(ConfNode n, String k) {
    if (!n.isString()) {
      values.error(n, k, "error parsing tls config, expected '" + k.toLowerCase(Locale.ROOT)
          + "' to be filename");
      badFileName = true;
      return null;
    }
    return n.asString().isEmpty() ? null : n.asString();
  }

  private boolean bool(ConfNode n, String k, boolean otherwise) {
    if (!n.isBoolean()) {
      values.error(n, k, "error parsing tls config, expected '" + k.toLowerCase(Locale.ROOT)
          + "' to be a boolean");
      return otherwise;
    }
    return n.asBoolean();
  }

  private void cipherSuites(ConfNode n, String k) {
    List<String> names = names(n, k, "cipher_suites");
    if (names == null) {
      return;
    }
    List<String> known = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      String s = names.get(i);
      if (!TlsCiphers.isKnown(s)) {
        values.error(n.asList().get(i), k, "unrecognized cipher " + s);
        continue;
      }
      if (TlsCiphers.isInsecure(s)) {
        insecureSuites.add(s);
      }
      known.add(s);
    }
    cipherSuites = known;
  }

  private void curves(ConfNode n, String k) {
    List<String> names = names(n, k, "curve_preferences");
    if (names == null) {
      return;
    }
    boolean ok = true;
    for (int i = 0; i < names.size(); i++) {
      if (!TlsCiphers.CURVES.contains(names.get(i))) {
        values.error(n.asList().get(i), k, "unrecognized curve preference " + names.get(i));
        ok = false;
      }
    }
    if (ok) {
      // A preference order; the JVM's default groups are all strong ones.
      values.warning(n, k, "not supported yet, ignored");
    }
  }

  /** A non-empty list of strings, as cipher_suites and curve_preferences; null after an error. */
  private List<String> names(ConfNode n, String k, String what) {
    List<ConfNode> items = values.list(n, k);
    if (items == null) {
      return null;
    }
    if (items.isEmpty()) {
      values.error(n, k, "error parsing tls config, '" + what + "' cannot be empty");
      return null;
    }
    List<String> names = new ArrayList<>();
    for (ConfNode item : items) {
      String s = values.string(item, k);
      if (s == null) {
        return null;
      }
      names.add(s);
    }
    return names;
  }
}
