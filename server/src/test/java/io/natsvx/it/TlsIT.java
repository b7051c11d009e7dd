package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.natsvx.config.AuthOptions;
import io.natsvx.config.AuthOptions.UserOptions;
import io.natsvx.config.TlsOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS for clients: after INFO as nats-server does, client verification and mapping, TLS first. */
class TlsIT {

  @TempDir
  static Path dir;
  static TestCertificates certs;

  @BeforeAll
  static void certificates() throws Exception {
    assumeTrue(TestCertificates.available(), "openssl not installed");
    certs = TestCertificates.create(dir, "alice", "mallory");
  }

  private static TlsOptions tls(boolean verify, boolean map, boolean first, String minVersion) {
    return new TlsOptions(certs.path("server.pem"), certs.path("server-key.pem"), certs.path("ca.pem"), verify, map,
        Duration.ofSeconds(2), List.of(), minVersion, first);
  }

  private static Options.Builder options(TestServer s, SSLContext ssl) {
    return new Options.Builder().server("tls://127.0.0.1:" + s.port()).sslContext(ssl)
        .connectionTimeout(Duration.ofSeconds(2)).noReconnect();
  }

  private static void roundTrip(Connection nc) throws Exception {
    Subscription sub = nc.subscribe("secure");
    nc.flush(Duration.ofSeconds(2));
    nc.publish("secure", "over tls".getBytes());
    Message m = sub.nextMessage(Duration.ofSeconds(2));
    assertNotNull(m);
    assertEquals("over tls", new String(m.getData()));
  }

  @Test
  void tlsAfterInfo() throws Exception {
    try (TestServer s = TestServer.start(b -> b.tls(tls(false, false, false, null)))) {
      try (RawClient raw = new RawClient(s.port())) {
        JsonObject info = new JsonObject(raw.readLine().substring(5).trim());
        assertEquals(true, info.getBoolean("tls_required"));
        // A client that talks plain text after INFO is not speaking TLS: the handshake fails.
        raw.send("CONNECT {}\r\nPING\r\n");
        assertTrue(raw.isClosedByServer(5000));
      }
      try (Connection nc = Nats.connect(options(s, certs.clientContext(null)).build())) {
        roundTrip(nc);
      }
    }
  }

  @Test
  void clientCertificateRequired() throws Exception {
    try (TestServer s = TestServer.start(b -> b.tls(tls(true, false, false, null)))) {
      try (RawClient raw = new RawClient(s.port())) {
        assertEquals(true, new JsonObject(raw.readLine().substring(5).trim()).getBoolean("tls_verify"));
      }
      try (Connection nc = Nats.connect(options(s, certs.clientContext("alice")).build())) {
        roundTrip(nc);
      }
      assertThrows(Exception.class, () -> Nats.connect(options(s, certs.clientContext(null)).build()).close());
    }
  }

  @Test
  void verifyAndMapNamesTheUser() throws Exception {
    AuthOptions users = new AuthOptions(null, List.of(new UserOptions("alice", null, null, null)), null, null);
    try (TestServer s = TestServer.start(b -> b.tls(tls(true, true, false, null)).authorization(users))) {
      try (Connection nc = Nats.connect(options(s, certs.clientContext("alice")).build())) {
        roundTrip(nc);
      }
      // A valid certificate that names no user is refused like a wrong password.
      assertThrows(Exception.class, () -> Nats.connect(options(s, certs.clientContext("mallory")).build()).close());
      assertTrue(s.verticle.server().authErrors.sum() >= 1);
    }
  }

  @Test
  void httpsMonitoringUsesTheServerCertificate() throws Exception {
    try (TestServer s = TestServer.start(b -> b.tls(tls(false, false, false, null)).httpsPort(-1))) {
      int port = s.verticle.monitorPort();
      var client = java.net.http.HttpClient.newBuilder().sslContext(certs.clientContext(null)).build();
      var response = client.send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create("https://localhost:" + port + "/varz")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode());
      JsonObject varz = new JsonObject(response.body());
      assertEquals(port, varz.getInteger("https_port"));
      assertEquals(0, varz.getInteger("http_port"));
      assertEquals(true, varz.getBoolean("tls_required"));
    }
  }

  @Test
  void handshakeFirst() throws Exception {
    try (TestServer s = TestServer.start(b -> b.tls(tls(false, false, true, null)));
         Connection nc = Nats.connect(options(s, certs.clientContext(null)).tlsFirst().build())) {
      roundTrip(nc);
    }
  }

  @Test
  void minimumVersion() throws Exception {
    try (TestServer s = TestServer.start(b -> b.tls(tls(false, false, false, "1.3")))) {
      SSLContext only12 = certs.clientContext(null, "TLSv1.2");
      assertThrows(Exception.class, () -> Nats.connect(options(s, only12).build()).close());
      try (Connection nc = Nats.connect(options(s, certs.clientContext(null)).build())) {
        roundTrip(nc);
      }
    }
  }
}
