package io.natsvx.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The top-level tls block, key by key, error by error, and side by side with nats-server. */
class TlsReaderTest extends ConfigFileTest {

  @TempDir static Path certsDir;
  static TestCerts certs;

  @BeforeAll
  static void makeCertificates() throws Exception {
    certs = TestCerts.create(certsDir);
  }

  private static String cert() {
    return certs.cert().toString();
  }

  private static String key() {
    return certs.key().toString();
  }

  private static String ca() {
    return certs.ca().toString();
  }

  /** A tls block with the certificate and key on lines 2 and 3, then {@code lines} from line 4. */
  private static String block(String... lines) {
    StringBuilder sb = new StringBuilder("tls {\n  cert_file: \"" + cert() + "\"\n  key_file: \""
        + key() + "\"\n");
    for (String l : lines) {
      sb.append("  ").append(l).append('\n');
    }
    return sb.append("}\n").toString();
  }

  private ConfigLoad load(String conf) throws Exception {
    return OptionsReader.load(write("t.conf", conf));
  }

  private TlsOptions tls(String conf) throws Exception {
    ConfigLoad l = load(conf);
    assertEquals(List.of(), l.warnings());
    return l.options().tls();
  }

  /** nats-server -t accepts the file natsvx read last (skipped without nats-server or openssl). */
  private void natsServerAccepts(String since) throws Exception {
    assumeTrue(certs.real(), "openssl not installed");
    NatsServerCheck.assertAccepts(dir.resolve("t.conf"), since);
  }

  private void natsServerRejects(String fragment) throws Exception {
    assumeTrue(certs.real(), "openssl not installed");
    NatsServerCheck.assertRejects(dir.resolve("t.conf"), fragment);
  }

  // ---- each key ----

  @Test
  void noBlockIsPlainText() throws Exception {
    assertNull(tls("port: 4222\n"));
  }

  @Test
  void certificateAndKey() throws Exception {
    assertEquals(new TlsOptions(cert(), key(), null, false, false, TlsOptions.DEFAULT_TIMEOUT,
        List.of(), null, false), tls(block()));
    natsServerAccepts("2.9.0");
  }

  @Test
  void caAndVerify() throws Exception {
    TlsOptions t = tls(block("ca_file: \"" + ca() + "\"", "verify: true"));
    assertEquals(ca(), t.caFile());
    assertTrue(t.verify());
    assertTrue(t.requiresClientCertificate());
    natsServerAccepts("2.9.0");
  }

  @Test
  void verifyAndMapAlsoVerifies() throws Exception {
    TlsOptions t = tls(block("verify_and_map: true"));
    assertTrue(t.verifyAndMap());
    assertTrue(t.verify());
    natsServerAccepts("2.9.0");
    TlsOptions off = tls(block("verify: true", "verify_and_map: false"));
    assertTrue(off.verify());
    assertEquals(false, off.verifyAndMap());
  }

  @ParameterizedTest
  @ValueSource(strings = {"3|3000", "0.5|500", "\"1500ms\"|1500", "\"1m\"|60000", "0|2000",
      "\"0s\"|2000"})
  void timeoutInSecondsOrAsDuration(String spec) throws Exception {
    String[] s = spec.split("\\|");
    assertEquals(Duration.ofMillis(Long.parseLong(s[1])), tls(block("timeout: " + s[0])).timeout());
    natsServerAccepts("2.9.0");
  }

  @Test
  void cipherSuitesAreKeptAsWritten() throws Exception {
    TlsOptions t = tls(block("cipher_suites: [", "  \"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\"",
        "  \"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384\"", "]"));
    assertEquals(List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"), t.cipherSuites());
    natsServerAccepts("2.9.0");
  }

  @Test
  void bothChaChaSpellingsAreKnown() throws Exception {
    // Up to 2.11 nats-server knows the short name, 2.12 (Go's list) the long one.
    TlsOptions t = tls(block("cipher_suites: [TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305, "
        + "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256]"));
    assertEquals(List.of("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"), t.cipherSuites());
    assertEquals("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        TlsCiphers.standardName("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305"));
    assertEquals("TLS_AES_128_GCM_SHA256", TlsCiphers.standardName("TLS_AES_128_GCM_SHA256"));
    assertNull(TlsCiphers.standardName("TLS_NOPE"));
  }

  @Test
  void insecureSuitesNeedAllowInsecureCipherSuites() throws Exception {
    String suites = "cipher_suites: [TLS_RSA_WITH_AES_128_CBC_SHA, "
        + "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_RC4_128_SHA]";
    assertEquals(List.of(where(1) + ": tls: insecure cipher suites configured without "
            + "'allow_insecure_cipher_suites' option set: TLS_RSA_WITH_AES_128_CBC_SHA, "
            + "TLS_ECDHE_RSA_WITH_RC4_128_SHA"), errors(block(suites)));
    TlsOptions t = tls(block(suites, "allow_insecure_cipher_suites: true"));
    assertEquals(3, t.cipherSuites().size());
  }

  @Test
  void minVersion() throws Exception {
    assertEquals("1.2", tls(block("min_version: \"1.2\"")).minVersion());
    assertNull(tls(block()).minVersion());
    assertEquals("1.3", tls(block("min_version: \"1.3\"")).minVersion());
    natsServerAccepts("2.11.0");
  }

  @Test
  void handshakeFirst() throws Exception {
    assertTrue(tls(block("first: yes")).handshakeFirst());
    assertTrue(tls(block("immediate: true")).handshakeFirst());
    assertTrue(tls(block("handshake_first: \"on\"")).handshakeFirst());
    assertEquals(false, tls(block("handshake_first: \"OFF\"")).handshakeFirst());
    assertEquals(false, tls(block("handshake_first: false")).handshakeFirst());
    assertTrue(tls(block("handshake_first: true")).handshakeFirst());
    natsServerAccepts("2.10.0");
  }

  @ParameterizedTest
  @ValueSource(strings = {"300ms", "auto", "auto_fallback"})
  void handshakeFirstWithFallbackIsTrueWithAWarning(String v) throws Exception {
    ConfigLoad l = load(block("handshake_first: \"" + v + "\""));
    assertTrue(l.options().tls().handshakeFirst());
    assertEquals(List.of(where(4) + ": handshake_first: \"" + v + "\": falling back to INFO "
        + "first after a delay is not supported yet; read as true (clients must start with the "
        + "TLS handshake)"), l.warnings());
    natsServerAccepts("2.10.4");
  }

  @Test
  void keysKeptCaseInsensitive() throws Exception {
    TlsOptions t = tls("TLS {\n  Cert_File: \"" + cert() + "\"\n  KEY_FILE: \"" + key()
        + "\"\n  Verify: true\n}\n");
    assertEquals(cert(), t.certFile());
    assertTrue(t.verify());
  }

  // ---- ignored with a warning ----

  @ParameterizedTest
  @ValueSource(strings = {
      "curve_preferences: [CurveP256, X25519]",
      "insecure: true",
      "connection_rate_limit: 100",
      "ocsp_peer: false",
      "ocsp_peer { verify: false }",
      "cert_match_by: Subject",
      "cert_match: \"example.com\"",
      "ca_certs_match: [\"CN=x\"]",
      "cert_match_skip_invalid: true"})
  void unsupportedHarmlessKeysAreWarnings(String line) throws Exception {
    ConfigLoad l = load(block(line));
    String k = line.split("[ :]")[0];
    assertEquals(List.of(where(4) + ": " + k + ": not supported yet, ignored"), l.warnings());
    assertEquals(cert(), l.options().tls().certFile());
  }

  @Test
  void harmlessWhenOff() throws Exception {
    assertEquals(cert(), tls(block("insecure: false", "connection_rate_limit: 0",
        "pinned_certs: []", "verify_cert_and_check_known_urls: false")).certFile());
    natsServerAccepts("2.9.0");
  }

  @Test
  void curvePreferencesAcceptedByNatsServer() throws Exception {
    load(block("curve_preferences: [CurveP256, CurveP384]"));
    natsServerAccepts("2.9.0");
  }

  // ---- errors ----

  @Test
  void keyWithoutCertAndCertWithoutKey() throws Exception {
    assertEquals(List.of(where(1) + ": tls: missing 'key_file' in TLS configuration"),
        errors("tls {\n  cert_file: \"" + cert() + "\"\n}\n"));
    natsServerRejects("missing 'key_file' in TLS configuration");
    assertEquals(List.of(where(1) + ": tls: missing 'cert_file' in TLS configuration"),
        errors("tls {\n  key_file: \"" + key() + "\"\n}\n"));
    natsServerRejects("missing 'cert_file' in TLS configuration");
    assertEquals(List.of(where(2) + ": tls: missing 'cert_file' in TLS configuration"),
        errors("port: 4222\ntls {\n  cert_file: \"\"\n  key_file: \"" + key() + "\"\n}\n"));
  }

  @Test
  void aBlockWithoutCertificateIsAnError() throws Exception {
    // nats-server accepts it, then fails every handshake for want of a certificate.
    assertEquals(List.of(where(1) + ": tls: missing 'cert_file' and 'key_file' in TLS "
        + "configuration"), errors("tls {\n  verify: true\n}\n"));
    assertEquals(List.of(where(1) + ": tls: missing 'cert_file' and 'key_file' in TLS "
        + "configuration"), errors("tls {}\n"));
  }

  @Test
  void filesThatCannotBeRead() throws Exception {
    String missing = dir.resolve("nope.pem").toString();
    assertEquals(List.of(where(2) + ": cert_file: error parsing X509 certificate/key pair: open "
        + missing + ": no such file or directory"),
        errors("tls {\n  cert_file: \"" + missing + "\"\n  key_file: \"" + key() + "\"\n}\n"));
    natsServerRejects("error parsing X509 certificate/key pair: open " + missing
        + ": no such file or directory");
    assertEquals(List.of(where(3) + ": key_file: error parsing X509 certificate/key pair: open "
        + missing + ": no such file or directory"),
        errors("tls {\n  cert_file: \"" + cert() + "\"\n  key_file: \"" + missing + "\"\n}\n"));
    assertEquals(List.of(where(4) + ": ca_file: open " + missing + ": no such file or directory"),
        errors(block("ca_file: \"" + missing + "\"")));
    natsServerRejects("open " + missing + ": no such file or directory");
    assertEquals(List.of(where(2) + ": cert_file: error parsing X509 certificate/key pair: read "
        + dir + ": is a directory"),
        errors("tls {\n  cert_file: \"" + dir + "\"\n  key_file: \"" + key() + "\"\n}\n"));
    natsServerRejects("read " + dir + ": is a directory");
  }

  @Test
  void fileWithoutReadPermission() throws Exception {
    Path locked = Files.writeString(dir.resolve("locked.pem"), "x");
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("-w-------"));
    assumeTrue(!Files.isReadable(locked), "running as root: every file is readable");
    assertEquals(List.of(where(4) + ": ca_file: open " + locked + ": permission denied"),
        errors(block("ca_file: \"" + locked + "\"")));
  }

  @Test
  void relativeNamesAreRelativeToTheWorkingDirectory() throws Exception {
    // As in nats-server: not to the config file's directory, which has these files.
    Files.copy(certs.cert(), dir.resolve("c.pem"));
    Files.copy(certs.key(), dir.resolve("k.pem"));
    List<String> e = errors("tls {\n  cert_file: \"c.pem\"\n  key_file: \"k.pem\"\n}\n");
    assertEquals(List.of(where(2) + ": cert_file: error parsing X509 certificate/key pair: open "
            + "c.pem: no such file or directory",
        where(3) + ": key_file: error parsing X509 certificate/key pair: open k.pem: no such file "
            + "or directory"), e);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "cert_file: 1|2|cert_file: error parsing tls config, expected 'cert_file' to be filename",
      "key_file: [a]|2|key_file: error parsing tls config, expected 'key_file' to be filename",
      "ca_file: true|2|ca_file: error parsing tls config, expected 'ca_file' to be filename",
      "verify: \"yes\"|2|verify: error parsing tls config, expected 'verify' to be a boolean",
      "verify_and_map: 1|2|verify_and_map: error parsing tls config, expected 'verify_and_map' "
          + "to be a boolean",
      "insecure: 1|2|insecure: error parsing tls config, expected 'insecure' to be a boolean",
      "timeout: true|2|timeout: error parsing tls config, 'timeout' wrong type",
      "timeout: \"2 s\"|2|timeout: error parsing tls config, 'timeout' time: unknown unit \" s\" "
          + "in duration \"2 s\"",
      "timeout: \"x\"|2|timeout: error parsing tls config, 'timeout' time: invalid duration \"x\"",
      "timeout: -1|2|timeout: must not be negative",
      "cipher_suites: []|2|cipher_suites: error parsing tls config, 'cipher_suites' cannot be empty",
      "cipher_suites: TLS_AES_128_GCM_SHA256|2|cipher_suites: expected a list, got a string "
          + "\"TLS_AES_128_GCM_SHA256\"",
      "cipher_suites: [1]|2|cipher_suites: expected a string, got an integer (1)",
      "curve_preferences: []|2|curve_preferences: error parsing tls config, 'curve_preferences' "
          + "cannot be empty",
      "min_version: \"1.1\"|2|min_version: error parsing tls config: unsupported TLS version: "
          + "TLS 1.1",
      "min_version: \"1.0\"|2|min_version: error parsing tls config: unsupported TLS version: "
          + "TLS 1.0",
      "min_version: \"1.4\"|2|min_version: error parsing tls config: unknown version: 1.4",
      "min_version: 1.2|2|min_version: error parsing tls config: 'min_version' wrong type: 1.2",
      "min_version: 1.0|2|min_version: error parsing tls config: 'min_version' wrong type: 1",
      "handshake_first: \"maybe\"|2|field \"handshake_first\"'s value \"maybe\" is invalid",
      "first: 1|2|field \"first\" should be a boolean or a string, got int64",
      "pinned_certs: [\"a6b4b3b1d1b0c1f2a6b4b3b1d1b0c1f2a6b4b3b1d1b0c1f2a6b4b3b1d1b0c1f2\"]|2|"
          + "pinned_certs: not supported yet",
      "pinned_certs: \"ab\"|2|pinned_certs: error parsing tls config, expected 'pinned_certs' to "
          + "be a list of hex-encoded sha256 of DER encoded SubjectPublicKeyInfo",
      "ocsp_peer: true|2|ocsp_peer: not supported yet",
      "ocsp_peer { verify: true }|2|ocsp_peer: not supported yet",
      "ocsp_peer: 1|2|ocsp_peer: error parsing ocsp peer config: expected a boolean or a map, got "
          + "an integer (1)",
      "certs: []|2|certs: not supported yet",
      "connection_rate_limit: \"1\"|2|connection_rate_limit: error parsing tls config, "
          + "'connection_rate_limit' wrong type",
      "verify_cert_and_check_known_urls: true|2|verify_cert_and_check_known_urls: "
          + "verify_cert_and_check_known_urls not supported in this context",
      "verfy: true|2|verfy: error parsing tls config, unknown field \"verfy\""})
  void keyErrorsNameFileLineAndKey(String spec) throws Exception {
    String[] s = spec.split("\\|");
    String conf = "tls {\n  " + s[0] + "\n  cert_file: \"" + cert() + "\"\n  key_file: \""
        + key() + "\"\n}\n";
    if (s[0].startsWith("cert_file") || s[0].startsWith("key_file")) {
      // the other file only, so that the bad one is not replaced by a later line
      conf = "tls {\n  " + s[0] + "\n  " + (s[0].startsWith("cert") ? "key_file: \"" + key()
          : "cert_file: \"" + cert()) + "\"\n}\n";
    }
    assertEquals(List.of(where(Integer.parseInt(s[1])) + ": " + s[2]), errors(conf));
  }

  @Test
  void unknownCipherAndCurveAreReportedAtTheirLine() throws Exception {
    assertEquals(List.of(where(6) + ": cipher_suites: unrecognized cipher TLS_NOPE"),
        errors(block("cipher_suites: [", "  TLS_AES_128_GCM_SHA256", "  TLS_NOPE", "]")));
    natsServerRejects("unrecognized cipher TLS_NOPE");
    assertEquals(List.of(where(4) + ": curve_preferences: unrecognized curve preference P256"),
        errors(block("curve_preferences: [P256]")));
    natsServerRejects("unrecognized curve preference P256");
  }

  @Test
  void unknownFieldAndWrongTypesAreRefusedByNatsServerToo() throws Exception {
    errors(block("verfy: true"));
    natsServerRejects("unknown field");
    errors(block("timeout: true"));
    natsServerRejects("error parsing tls config, 'timeout' wrong type");
    errors(block("cipher_suites: []"));
    natsServerRejects("error parsing tls config, 'cipher_suites' cannot be empty");
    errors(block("timeout: \"x\""));
    natsServerRejects("error parsing tls config, 'timeout' time: invalid duration \"x\"");
  }

  @Test
  void certStore() throws Exception {
    // Windows only in nats-server; here it cannot replace cert_file.
    ConfigException e = assertThrows(ConfigException.class, () -> OptionsReader.load(
        write("t.conf", block("cert_store: WindowsCurrentUser"))));
    assertEquals(List.of(where(1) + ": tls: 'cert_file' and 'cert_store' may not both be "
        + "configured"), e.errors());
    assertEquals(List.of(where(4) + ": cert_store: not supported yet, ignored"), e.warnings());
    assertEquals(List.of(where(1) + ": tls: missing 'cert_file' and 'key_file' in TLS "
        + "configuration"), errors("tls {\n  cert_store: WindowsCurrentUser\n}\n"));
  }

  @Test
  void notABlock() throws Exception {
    assertEquals(List.of(where(1) + ": tls: expected a map, got an integer (1)"),
        errors("tls: 1\n"));
  }

  @Test
  void everyErrorIsReported() throws Exception {
    assertEquals(List.of(where(2) + ": verify: error parsing tls config, expected 'verify' to be "
            + "a boolean",
        where(3) + ": timeout: error parsing tls config, 'timeout' wrong type",
        where(1) + ": tls: missing 'key_file' in TLS configuration"),
        errors("tls {\n  verify: 1\n  timeout: []\n  cert_file: \"" + cert() + "\"\n}\n"));
  }

  // ---- top-level keys next to the block ----

  @Test
  void allowNonTlsAndOcspOffAreFine() throws Exception {
    assertEquals(cert(), tls(block() + "allow_non_tls: false\nocsp: false\n").certFile());
    natsServerAccepts("2.9.0");
    assertEquals(List.of(where(5) + ": allow_non_tls: not supported yet"),
        errors(block() + "allow_non_tls: true\n"));
    assertEquals(List.of(where(5) + ": ocsp: not supported yet"), errors(block() + "ocsp: true\n"));
    assertEquals(List.of(where(5) + ": allow_non_tls: expected a boolean, got an integer (1)"),
        errors(block() + "allow_non_tls: 1\n"));
  }

  // ---- YAML ----

  @Test
  void yamlGivesTheSameOptions() throws Exception {
    String conf = block("ca_file: \"" + ca() + "\"", "verify: true", "verify_and_map: true",
        "timeout: 0.5", "cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, "
            + "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]",
        "min_version: \"1.3\"", "handshake_first: true");
    String yaml = "tls:\n  cert_file: " + cert() + "\n  key_file: " + key() + "\n  ca_file: "
        + ca() + "\n  verify: true\n  verify_and_map: yes\n  timeout: 0.5\n  cipher_suites:\n"
        + "    - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\n"
        + "    - TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256\n  min_version: \"1.3\"\n"
        + "  handshake_first: true\n";
    TlsOptions fromConf = tls(conf);
    ConfigLoad y = OptionsReader.load(write("t.yaml", yaml));
    assertEquals(List.of(), y.warnings());
    assertEquals(fromConf, y.options().tls());
    assertEquals(new TlsOptions(cert(), key(), ca(), true, true, Duration.ofMillis(500),
        List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
        "1.3", true), fromConf);
  }

  @Test
  void yamlErrorsNameFileLineAndKey() throws Exception {
    Path f = write("t.yaml", "port: 4222\ntls:\n  cert_file: " + cert() + "\n  min_version: 1.3\n");
    ConfigException e = assertThrows(ConfigException.class, () -> OptionsReader.load(f));
    assertEquals(List.of(f + ":4: min_version: error parsing tls config: 'min_version' wrong type: "
        + "1.3", f + ":2: tls: missing 'key_file' in TLS configuration"), e.errors());
  }
}
