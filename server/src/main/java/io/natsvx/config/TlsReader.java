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
    return read(block, key, false);
  }

  /**
   * A dialer's block (a leaf node remote's, a gateway's): a certificate of its own is optional
   * (nats-server's client context), a CA to check the far side by is enough.
   */
  TlsOptions readDialer(ConfNode block, String key) {
    return read(block, key, true);
  }

  private boolean dialer;

  private TlsOptions read(ConfNode block, String key, boolean dialer) {
    this.dialer = dialer;
    Map<String, ConfNode> m = values.map(block, key);
    if (m == null) {
      return null;
    }
    int errorsBefore = values.errors().size();
    keys().read(m, (n, k) -> values.error(n, k, "error parsing tls config, unknown field \"" + k + "\""));
    checks(block, key);
    if (values.errors().size() > errorsBefore) {
      return null;
    }
    return new TlsOptions(certFile, keyFile, caFile, verify || verifyAndMap, verifyAndMap,
        timeout, cipherSuites, minVersion, handshakeFirst);
  }

  private ConfKeys keys() {
    return new ConfKeys(values)
        .on("cert_file", (n, k) -> {
          certAt = n;
          certFile = fileName(n, k);
        })
        .on("key_file", (n, k) -> {
          keyAt = n;
          keyFile = fileName(n, k);
        })
        .on("ca_file", (n, k) -> {
          caAt = n;
          caFile = fileName(n, k);
        })
        .on("verify", (n, k) -> verify = bool(n, k, verify))
        // Mapping the certificate to a user implies verifying it (nats-server sets both).
        .on("verify_and_map", (n, k) -> verifyAndMap = bool(n, k, verifyAndMap))
        .on("verify_cert_and_check_known_urls", (n, k) -> {
          if (bool(n, k, false)) {
            values.error(n, k, "verify_cert_and_check_known_urls not supported in this context");
          }
        })
        .on("insecure", (n, k) -> {
          // Only skips the checks of a TLS client (routes, leaf nodes); the client port is a server.
          if (bool(n, k, false)) {
            values.warning(n, k, "not supported yet, ignored");
          }
        })
        .on("allow_insecure_cipher_suites", (n, k) -> allowInsecureSuites = bool(n, k, allowInsecureSuites))
        .on("cipher_suites", this::cipherSuites)
        .on("curve_preferences", this::curves)
        .on("timeout", (n, k) -> ConfKeys.set(tlsValues.timeout(n, k),
            d -> timeout = d.isZero() ? null : d)) // the default, as in nats-server
        .on("min_version", (n, k) -> minVersion = tlsValues.minVersion(n, k))
        .on("handshake_first first immediate", (n, k) -> ConfKeys.set(tlsValues.handshakeFirst(n, k),
            b -> handshakeFirst = b))
        .on("pinned_certs", tlsValues::pinnedCerts)
        .on("ocsp_peer", tlsValues::ocspPeer)
        .on("connection_rate_limit", (n, k) -> {
          if (!n.isInteger()) {
            values.error(n, k, "error parsing tls config, 'connection_rate_limit' wrong type");
          } else if (n.asLong() > 0) {
            values.warning(n, k, "not supported yet, ignored");
          }
        })
        .on("cert_store", (n, k) -> {
          // Windows certificate store, in place of cert_file: with neither, keyPair() refuses.
          certStore = true;
          values.warning(n, k, "not supported yet, ignored");
        })
        .warning("cert_match_by cert_match ca_certs_match cert_match_skip_invalid", "not supported yet, ignored")
        .on("certs certificates", (n, k) -> {
          // Ignoring them would leave the listener without the certificates it was given.
          certificates = true;
          values.error(n, k, "not supported yet");
        });
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
    } else if (certFile == null && !certificates && !dialer) {
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
