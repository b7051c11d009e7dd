package io.natsvx.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Throwaway certificate files for config tests, made with the openssl commands of
 * conf/tls.conf: a CA, and a server certificate it signed. Without openssl, the files hold
 * placeholder text instead: enough for natsvx, which only checks that they can be read, but
 * not for nats-server, which parses them ({@link #real()}).
 *
 * @param ca   certs/ca.pem
 * @param cert certs/server-cert.pem
 * @param key  certs/server-key.pem
 */
public record TestCerts(Path ca, Path cert, Path key, boolean real) {

  /** Makes {@code dir}/certs/ with ca.pem, server-cert.pem and server-key.pem. */
  public static TestCerts create(Path dir) throws IOException, InterruptedException {
    Path certs = Files.createDirectories(dir.resolve("certs"));
    TestCerts t = new TestCerts(certs.resolve("ca.pem"), certs.resolve("server-cert.pem"),
        certs.resolve("server-key.pem"), opensslAvailable());
    if (!t.real()) {
      for (Path p : List.of(t.ca(), t.cert(), t.key())) {
        Files.writeString(p, "placeholder: natsvx only checks that this file can be read\n");
      }
      return t;
    }
    openssl(certs, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        "-subj", "/CN=natsvx test CA", "-keyout", "ca-key.pem", "-out", "ca.pem");
    openssl(certs, "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
        "-keyout", "server-key.pem", "-out", "server.csr");
    Files.writeString(certs.resolve("server.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
    openssl(certs, "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem",
        "-CAcreateserial", "-days", "1", "-extfile", "server.ext", "-out", "server-cert.pem");
    return t;
  }

  static boolean opensslAvailable() {
    try {
      Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
    List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("openssl " + String.join(" ", args) + " failed: " + out);
    }
  }
}
