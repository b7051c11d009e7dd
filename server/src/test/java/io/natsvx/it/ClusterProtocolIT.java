package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import io.natsvx.config.ClusterOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The route protocol byte for byte from a fake peer: the handshake, interest and messages as a
 * nats-server peer sees them, and the errors and closes nats-server gives bad peers.
 */
class ClusterProtocolIT {

  private static final String PEER_CONNECT = "CONNECT {\"echo\":true,\"verbose\":false,\"pedantic\":false,"
      + "\"tls_required\":false,\"headers\":true,\"name\":\"NFAKEPEER\",\"cluster\":\"%s\"}\r\n";
  private static final String PEER_INFO = "INFO {\"server_id\":\"NFAKEPEER\",\"server_name\":\"fake\","
      + "\"version\":\"2.9.10\",\"proto\":2,\"host\":\"127.0.0.1\",\"port\":1,\"headers\":true,"
      + "\"max_payload\":1048576,\"cluster\":\"it\",\"connect_urls\":[\"10.9.9.9:4222\"]} \r\n";

  private static TestServer node(ClusterOptions c) throws Exception {
    return TestServer.start(o -> o.serverName("A").cluster(c));
  }

  private static ClusterOptions cluster() {
    return ClusterOptions.NONE.withListen("127.0.0.1", -1).withName("it");
  }

  @Test
  void aFakePeerSeesInterestAndMessagesAsNatsServerSendsThem() throws Exception {
    try (TestServer a = node(cluster()); Connection nc = Nats.connect(a.url())) {
      Subscription early = nc.subscribe("early.>");
      nc.flush(Duration.ofSeconds(2));
      try (RawClient peer = RawClient.connect(a.verticle.clusterPort())) {
        peer.send(String.format(PEER_CONNECT, "it")).send(PEER_INFO);
        assertEquals("RS+ $G early.>", peer.nextOnRoute(), "what was there before the route");
        nc.subscribe("q.sub", "workers");
        nc.subscribe("q.sub", "workers");
        nc.flush(Duration.ofSeconds(2));
        assertEquals("RS+ $G q.sub workers 1", peer.nextOnRoute());
        assertEquals("RS+ $G q.sub workers 2", peer.nextOnRoute(), "a queue group's weight is its member count");
        Await.until("the peer's client URL", () -> nc.getServerInfo().getConnectURLs().contains("10.9.9.9:4222"));

        Subscription fromPeer = nc.subscribe("to.client");
        nc.flush(Duration.ofSeconds(2));
        assertEquals("RS+ $G to.client", peer.nextOnRoute());
        peer.send("RMSG $G to.client reply.x 5\r\nhello\r\n");
        Message m = fromPeer.nextMessage(Duration.ofSeconds(5));
        assertEquals("hello", new String(m.getData(), StandardCharsets.UTF_8));
        assertEquals("reply.x", m.getReplyTo());

        peer.send("RS+ $G to.peer\r\nRS+ $G to.peer.*\r\nRS+ $G jobs grp 3\r\nPING\r\n");
        assertEquals("PONG", peer.nextOnRoute());
        nc.publish("to.peer", "r.1", "hi".getBytes(StandardCharsets.UTF_8));
        nc.publish("jobs", "w".getBytes(StandardCharsets.UTF_8));
        io.nats.client.impl.Headers h = new io.nats.client.impl.Headers().add("K", "v");
        nc.publish("to.peer", h, "hd".getBytes(StandardCharsets.UTF_8));
        nc.flush(Duration.ofSeconds(2));
        assertEquals("RMSG $G to.peer r.1 2", peer.nextOnRoute(), "one RMSG however many of its subs match");
        assertEquals("hi", peer.readLine());
        assertEquals("RMSG $G jobs | grp 1", peer.nextOnRoute());
        assertEquals("w", peer.readLine());
        String hmsg = peer.nextOnRoute();
        assertTrue(hmsg.matches("HMSG \\$G to\\.peer \\d+ \\d+"), hmsg);
        int total = Integer.parseInt(hmsg.substring(hmsg.lastIndexOf(' ') + 1));
        String block = peer.readBytes(total + 2);
        assertTrue(block.startsWith("NATS/1.0\r\n") && block.endsWith("hd\r\n"), block);

        early.unsubscribe();
        nc.flush(Duration.ofSeconds(2));
        assertEquals("RS- $G early.>", peer.nextOnRoute());
      }
      Await.until("the peer's client URL to go", () -> !nc.getServerInfo().getConnectURLs().contains("10.9.9.9:4222"));
    }
  }

  @Test
  void aWrongClusterNameIsRefusedInNatsServersWords() throws Exception {
    try (TestServer a = node(cluster()); RawClient peer = RawClient.connect(a.verticle.clusterPort())) {
      peer.send(String.format(PEER_CONNECT, "other"));
      assertEquals("-ERR 'Rejecting connection, cluster name \"other\" does not match \"it\"'", peer.nextOnRoute());
      assertTrue(peer.isClosedByServer(5000));
    }
  }

  @Test
  void aClientOnTheRoutePortIsTurnedAway() throws Exception {
    try (TestServer a = node(cluster()); RawClient c = RawClient.connect(a.verticle.clusterPort())) {
      c.send("CONNECT {\"lang\":\"java\",\"version\":\"2.26\",\"verbose\":false}\r\n");
      assertEquals("-ERR 'attempted to connect to route port'", c.next());
      assertTrue(c.isClosedByServer(5000));
    }
  }

  @Test
  void routeCredentialsAreChecked() throws Exception {
    ClusterOptions secured = cluster().withCredentials("ru", "rp");
    try (TestServer a = node(secured)) {
      try (RawClient peer = RawClient.connect(a.verticle.clusterPort())) {
        peer.send(String.format(PEER_CONNECT, "it").replace("\"name\"", "\"user\":\"ru\",\"pass\":\"bad\",\"name\""));
        assertEquals("-ERR 'Authorization Violation'", peer.nextOnRoute());
        assertTrue(peer.isClosedByServer(5000));
      }
      try (RawClient peer = RawClient.connect(a.verticle.clusterPort())) {
        peer.send("PING\r\n");
        assertEquals("-ERR 'Authorization Violation'", peer.nextOnRoute(), "CONNECT must come first");
        assertTrue(peer.isClosedByServer(5000));
      }
      try (RawClient peer = RawClient.connect(a.verticle.clusterPort())) {
        peer.send(String.format(PEER_CONNECT, "it").replace("\"name\"", "\"user\":\"ru\",\"pass\":\"rp\",\"name\""))
            .send(PEER_INFO).send("PING\r\n");
        assertEquals("PONG", peer.nextOnRoute());
      }
      // A natsvx node with the credentials in its route URL joins.
      try (TestServer b = TestServer.start(o -> o.serverName("B").cluster(cluster()
          .withRoutes(List.of(java.net.URI.create("nats-route://ru:rp@127.0.0.1:" + a.verticle.clusterPort())))))) {
        ClusterIT.awaitMesh(a, b);
      }
    }
  }

  @Test
  void malformedRouteProtocolClosesOnlyThatRoute() throws Exception {
    try (TestServer a = node(cluster()); Connection nc = Nats.connect(a.url())) {
      try (RawClient peer = RawClient.connect(a.verticle.clusterPort())) {
        peer.send(String.format(PEER_CONNECT, "it")).send(PEER_INFO).send("RS+ $G\r\n");
        assertTrue(peer.isClosedByServer(5000), "bad arguments: closed, no -ERR");
      }
      try (RawClient peer = RawClient.connect(a.verticle.clusterPort())) {
        peer.send(String.format(PEER_CONNECT, "it")).send(PEER_INFO).send("RMSG $G subj x y 3\r\nabc\r\n");
        assertTrue(peer.isClosedByServer(5000));
      }
      try (RawClient peer = RawClient.connect(a.verticle.clusterPort())) {
        peer.send(String.format(PEER_CONNECT, "it")).send(PEER_INFO).send("RS+ $G foo..bar\r\n");
        assertEquals("-ERR 'Invalid Subscription'", peer.nextOnRoute(), "as nats-server, which the peer then closes on");
      }
      try (RawClient peer = RawClient.connect(a.verticle.clusterPort())) {
        peer.send("MSG foo 1 2\r\nhi\r\n");
        assertEquals("-ERR 'Unknown Protocol Operation'", peer.nextOnRoute());
        assertTrue(peer.isClosedByServer(5000));
      }
      assertEquals(io.nats.client.Connection.Status.CONNECTED, nc.getStatus());
      nc.flush(Duration.ofSeconds(2));
    }
  }

  @Test
  void noAdvertiseKeepsTheClusterUrlsFromClients() throws Exception {
    try (TestServer a = node(cluster().withNoAdvertise(true)); RawClient peer = new RawClient(a.verticle.clusterPort())) {
      String info = peer.readLine();
      assertTrue(info.startsWith("INFO {") && info.endsWith("} "), "a space before CRLF, as nats-server: " + info);
      assertTrue(!info.contains("connect_urls"), info);
      peer.send(String.format(PEER_CONNECT, "it")).send(PEER_INFO).send("PING\r\n");
      assertEquals("PONG", peer.nextOnRoute());
      Await.until("the route", () -> a.verticle.server().cluster().routeCount() == 1);
      try (Connection nc = Nats.connect(a.url())) {
        List<String> urls = nc.getServerInfo().getConnectURLs();
        assertTrue(urls == null || urls.isEmpty(), String.valueOf(urls));
      }
    }
  }
}
