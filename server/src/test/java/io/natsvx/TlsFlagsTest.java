package io.natsvx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsvx.config.NatsServerCheck;
import io.natsvx.config.OptionsReader;
import io.natsvx.config.ServerOptions;
import io.natsvx.config.TestCerts;
import io.natsvx.config.TlsOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --tls, --tlscert, --tlskey, --tlsverify, --tlscacert and --help_tls. */
class TlsFlagsTest {

  @TempDir static Path certsDir;
  static TestCerts certs;

  @TempDir Path dir;

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

  private static TlsOptions apply(String... args) throws Exception {
    return CommandLine.parse(args).applyTo(ServerOptions.builder()).build().tls();
  }

  private TlsOptions withFile(String conf, String... args) throws Exception {
    Path f = dir.resolve("t.conf");
    Files.writeString(f, conf);
    return CommandLine.parse(args).applyTo(OptionsReader.load(f).options().toBuilder()).build()
        .tls();
  }

  private static String fails(String... args) {
    CommandLineException e = assertThrows(CommandLineException.class, () -> CommandLine.parse(args));
    assertFalse(e.showUsage());
    return e.getMessage();
  }

  /** nats-server refuses the same flags with the same words (skipped when not installed). */
  private static void natsServerSays(String message, String... args) throws Exception {
    assertEquals(message.replaceFirst("^natsvx: ", "nats-server: "), NatsServerCheck.run(args));
  }

  @Test
  void certificateAndKey() throws Exception {
    assertEquals(new TlsOptions(cert(), key(), null, false, false, null, null, null, false),
        apply("--tlscert", cert(), "--tlskey", key()));
    assertEquals(new TlsOptions(cert(), key(), null, false, false, null, null, null, false),
        apply("--tls", "-tlscert=" + cert(), "-tlskey=" + key()));
  }

  @Test
  void verifyWithCa() throws Exception {
    TlsOptions t = apply("--tlsverify", "--tlscert", cert(), "--tlskey", key(), "--tlscacert", ca());
    assertTrue(t.verify());
    assertEquals(ca(), t.caFile());
  }

  @Test
  void anyTlsFlagNeedsCertificateAndKey() throws Exception {
    String noCert = "natsvx: TLS Server certificate must be present and valid";
    String noKey = "natsvx: TLS Server private key must be present and valid";
    assertEquals(noCert, fails("--tls"));
    natsServerSays(noCert, "--tls");
    assertEquals(noCert, fails("--tlsverify")); // --tlsverify implies --tls
    natsServerSays(noCert, "--tlsverify");
    assertEquals(noCert, fails("--tlsverify=false"));
    assertEquals(noCert, fails("--tlscacert", ca()));
    assertEquals(noCert, fails("--tlscert=", "--tlskey", key()));
    assertEquals(noKey, fails("--tlscert", cert()));
    natsServerSays(noKey, "--tlscert", cert());
  }

  @Test
  void filesMustBeReadable() throws Exception {
    String missing = dir.resolve("nope.pem").toString();
    String m = fails("--tlscert", missing, "--tlskey", key());
    assertEquals("natsvx: error parsing X509 certificate/key pair: open " + missing
        + ": no such file or directory", m);
    natsServerSays(m, "--tlscert", missing, "--tlskey", key());
    assertEquals("natsvx: error parsing X509 certificate/key pair: open " + missing
        + ": no such file or directory", fails("--tlscert", cert(), "--tlskey", missing));
    String ca = fails("--tlscert", cert(), "--tlskey", key(), "--tlscacert", missing);
    assertEquals("natsvx: open " + missing + ": no such file or directory", ca);
    if (certs.real()) {
      natsServerSays(ca, "--tlscert", cert(), "--tlskey", key(), "--tlscacert", missing);
    }
  }

  @Test
  void tlsFalseTurnsTlsOffWhateverElseIsGiven() throws Exception {
    String conf = "tls {\n  cert_file: \"" + cert() + "\"\n  key_file: \"" + key() + "\"\n}\n";
    assertNull(withFile(conf, "--tls=false"));
    assertNull(withFile(conf, "--tlsverify", "--tls=false", "--tlscert", "/nope"));
    assertNull(apply("--tls=false", "--tlscacert=/nope"));
    // The last --tls counts, as with every Go flag.
    assertEquals("natsvx: TLS Server certificate must be present and valid",
        fails("--tls=false", "--tls"));
  }

  @Test
  void flagsReplaceTheFilesCertificatesButKeepItsTimeoutMapAndHandshake() throws Exception {
    String conf = "tls {\n  cert_file: \"" + cert() + "\"\n  key_file: \"" + key() + "\"\n"
        + "  ca_file: \"" + ca() + "\"\n  verify_and_map: true\n  timeout: 5\n"
        + "  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]\n  min_version: \"1.3\"\n"
        + "  handshake_first: true\n}\n";
    Path otherCert = Files.copy(certs.cert(), dir.resolve("other-cert.pem"));
    Path otherKey = Files.copy(certs.key(), dir.resolve("other-key.pem"));
    TlsOptions t = withFile(conf, "--tlscert", otherCert.toString(), "--tlskey",
        otherKey.toString());
    assertEquals(new TlsOptions(otherCert.toString(), otherKey.toString(), null, false, true,
        Duration.ofSeconds(5), List.of(), null, true), t);
    // verify_and_map still asks clients for a certificate.
    assertTrue(t.requiresClientCertificate());
  }

  @Test
  void noTlsFlagKeepsTheFile() throws Exception {
    String conf = "tls {\n  cert_file: \"" + cert() + "\"\n  key_file: \"" + key() + "\"\n"
        + "  verify: true\n}\n";
    TlsOptions t = withFile(conf, "-p", "4333");
    assertEquals(cert(), t.certFile());
    assertTrue(t.verify());
    assertNull(apply("-p", "4333"));
  }

  @Test
  void signalsAndHelpDoNotLookAtTheTlsFlags() throws Exception {
    assertEquals(new SignalRequest("stop", null), CommandLine.parse(new String[] {"--tls",
        "-sl", "stop"}).signal());
    assertTrue(CommandLine.parse(new String[] {"--tlsverify", "-h"}).help());
  }

  @Test
  void helpTls() throws Exception {
    CommandLine cl = CommandLine.parse(new String[] {"--help_tls"});
    assertTrue(cl.helpTls());
    assertTrue(cl.help());
    assertFalse(CommandLine.parse(new String[] {"--help_tls=false"}).help());
    String u = CommandLine.tlsUsage();
    assertTrue(u.contains("cert_file:"));
    assertTrue(u.contains("    TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\n"));
    assertTrue(u.contains("    CurveP256\n"));
  }

  @Test
  void usageHasATlsSection() {
    String u = CommandLine.usage();
    for (String f : new String[] {"TLS Options:", "--tls ", "--tlscert <file>", "--tlskey <file>",
        "--tlsverify", "--tlscacert <file>", "--help_tls"}) {
      assertTrue(u.contains(f), f);
    }
    String notSupported = u.substring(u.indexOf("Not supported yet"), u.indexOf("Common Options"));
    assertFalse(notSupported.contains("--tls"), notSupported);
  }
}
