package io.natsvx.it;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throwaway CA with a server certificate (localhost, 127.0.0.1) and client certificates, made
 * by openssl for each test run (nothing is committed), plus SSLContexts for jnats.
 */
final class TestCertificates {

  final Path dir;

  private TestCertificates(Path dir) {
    this.dir = dir;
  }

  static boolean available() {
    return InteropProgram.onPath("openssl") != null;
  }

  static TestCertificates create(Path dir, String... clientNames) throws Exception {
    openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca-key.pem", "-out", "ca.pem",
        "-days", "2", "-subj", "/CN=natsvx-test-ca");
    Files.writeString(dir.resolve("server.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
    sign(dir, "server", "/CN=localhost", "server.ext");
    Files.writeString(dir.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
    for (String name : clientNames) {
      sign(dir, name, "/CN=" + name, "client.ext");
    }
    return new TestCertificates(dir);
  }

  private static void sign(Path dir, String name, String subject, String ext) throws Exception {
    openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + "-key.pem", "-out", name + ".csr",
        "-subj", subject);
    openssl(dir, "x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial",
        "-out", name + ".pem", "-days", "2", "-extfile", ext);
  }

  private static void openssl(Path dir, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(InteropProgram.onPath("openssl")));
    cmd.addAll(List.of(args));
    var r = InteropProgram.run(cmd, dir, Map.of(), Duration.ofSeconds(30));
    if (!r.ok()) {
      throw new IllegalStateException(r.describe());
    }
  }

  String path(String file) {
    return dir.resolve(file).toString();
  }

  /** Trusts the test CA; presents {@code clientName}'s certificate when not null. */
  SSLContext clientContext(String clientName) throws Exception {
    return clientContext(clientName, "TLS");
  }

  /** As above, with a JSSE protocol name such as "TLSv1.2" to cap the version. */
  SSLContext clientContext(String clientName, String protocol) throws Exception {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    Certificate ca = cf.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(dir.resolve("ca.pem"))));
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = null;
    if (clientName != null) {
      Certificate cert = cf.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(dir.resolve(clientName + ".pem"))));
      String pem = Files.readString(dir.resolve(clientName + "-key.pem"))
          .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      ks.setKeyEntry("client", key, new char[0], new Certificate[] {cert, ca});
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, new char[0]);
    }
    SSLContext ctx = SSLContext.getInstance(protocol);
    ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }
}
