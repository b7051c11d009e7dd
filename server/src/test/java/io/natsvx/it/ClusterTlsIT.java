package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import io.natsvx.config.ClusterOptions;
import io.natsvx.config.TlsOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routes over TLS: both ends present and check certificates, with natsvx and with nats-server peers. */
class ClusterTlsIT {

  @TempDir
  Path dir;

  private TestServer node(String name, TlsOptions tls, List<URI> routes) throws Exception {
    return TestServer.start(o -> o.serverName(name).cluster(new ClusterOptions("tls", "127.0.0.1", -1, null, false,
        routes, 0, null, null, null, tls, null, false)));
  }

  private static TlsOptions tls(TestCertificates certs, String ca) {
    return new TlsOptions(certs.path("server.pem"), certs.path("server-key.pem"), ca, true, false,
        Duration.ofSeconds(2), List.of(), null, false);
  }

  @Test
  void routesSpeakTlsAndRefuseAPeerTheyCannotVerify() throws Exception {
    assumeTrue(TestCertificates.available(), "openssl not installed");
    TestCertificates certs = TestCertificates.create(dir);
    try (TestServer a = node("A", tls(certs, certs.path("ca.pem")), List.of());
        TestServer b = node("B", tls(certs, certs.path("ca.pem")), List.of(ClusterIT.routeTo(a)))) {
      ClusterIT.awaitMesh(a, b);
      passes(a, b.url());
      // A third node that trusts another CA cannot complete the handshake.
      Path other = Files.createDirectories(dir.resolve("other"));
      TestCertificates stranger = TestCertificates.create(other);
      try (TestServer c = node("C", tls(certs, stranger.path("ca.pem")), List.of(ClusterIT.routeTo(a)))) {
        Await.until("C's routes to close", () -> c.verticle.routes().closedRoutes() >= 2);
        assertEquals(1, a.verticle.server().cluster().routeCount());
        assertEquals(0, c.verticle.server().cluster().routeCount());
      }
    }
  }

  @Test
  void aNatsServerPeerJoinsOverTls() throws Exception {
    assumeTrue(TestCertificates.available(), "openssl not installed");
    assumeTrue(NatsServerProcess.available(), "nats-server not installed");
    TestCertificates certs = TestCertificates.create(dir);
    try (TestServer a = node("A", tls(certs, certs.path("ca.pem")), List.of())) {
      Path conf = dir.resolve("n.conf");
      Files.writeString(conf, "server_name: N\ncluster {\n  name: tls\n  listen: 127.0.0.1:"
          + NatsServerProcess.freePort() + "\n  routes: [\"" + ClusterIT.routeTo(a) + "\"]\n"
          + "  tls {\n    cert_file: \"" + certs.path("server.pem") + "\"\n    key_file: \""
          + certs.path("server-key.pem") + "\"\n    ca_file: \"" + certs.path("ca.pem") + "\"\n  }\n}\n");
      try (NatsServerProcess n = NatsServerProcess.start("-c", conf.toString())) {
        ClusterIT.awaitRoutes(1, a);
        passes(a, "nats://127.0.0.1:" + n.port());
      }
    }
  }

  /** A message published on {@code from} reaches a subscriber at {@code toUrl}. */
  private static void passes(TestServer from, String toUrl) throws Exception {
    try (Connection pub = Nats.connect(from.url()); Connection sub = Nats.connect(toUrl)) {
      Subscription s = sub.subscribe("over.tls");
      sub.flush(Duration.ofSeconds(2));
      ClusterIT.awaitRemoteInterest(from, "over.tls", 1);
      pub.publish("over.tls", "sealed".getBytes(StandardCharsets.UTF_8));
      Message m = s.nextMessage(Duration.ofSeconds(5));
      assertNotNull(m);
      assertEquals("sealed", new String(m.getData(), StandardCharsets.UTF_8));
    }
  }
}
