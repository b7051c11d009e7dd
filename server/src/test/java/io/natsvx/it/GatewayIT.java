package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * Gateways: a super-cluster of two 2-node natsvx clusters, and one of a natsvx cluster and a
 * nats-server cluster; messages once each and in order, queue groups served in their own
 * cluster first and across only when none is there, request/reply every way, and a restarted
 * end that heals without duplicates.
 */
class GatewayIT extends Resources {

  /** A natsvx server of cluster {@code cluster}, its gateway on {@code gwPort}, routed to {@code routeTo} (0: none). */
  static TestServer node(String name, String cluster, int gwPort, int routePort, int routeTo, String gateways)
      throws Exception {
    return node(name, cluster, gwPort, routePort, routeTo, gateways, "");
  }

  static TestServer node(String name, String cluster, int gwPort, int routePort, int routeTo, String gateways,
      String extra) throws Exception {
    return TestServer.fromConf("server_name: " + name + "\n" + extra
        + "cluster { name: " + cluster + ", listen: \"127.0.0.1:" + routePort + "\""
        + (routeTo == 0 ? "" : ", routes: [\"nats-route://127.0.0.1:" + routeTo + "\"]") + " }\n"
        + "gateway { name: " + cluster + ", listen: \"127.0.0.1:" + gwPort + "\"" + gateways + " }\n");
  }

  static String toGateway(String name, int... ports) {
    StringBuilder sb = new StringBuilder(", gateways: [{name: " + name + ", urls: [");
    for (int i = 0; i < ports.length; i++) {
      sb.append(i == 0 ? "" : ", ").append("\"nats://127.0.0.1:").append(ports[i]).append('"');
    }
    return sb.append("]}]").toString();
  }

  static void awaitGateways(TestServer s, int outbound) {
    Await.until(outbound + " outbound gateways on " + s.verticle.server().serverName(),
        () -> s.verticle.gateways().outboundCount() == outbound);
  }

  /** Publishes on {@code from} until {@code sub} gets it: interest crosses asynchronously. */
  static void awaitFlow(Connection from, Subscription sub, String subject) throws Exception {
    LeafNodeIT.awaitFlow(from, sub, subject);
  }

  /** Plain messages once each and in order, then request/reply, from {@code pub} to {@code recv}. */
  static void oneWay(Connection pub, Connection recv, String subject) throws Exception {
    Subscription sub = recv.subscribe(subject);
    recv.flush(Duration.ofSeconds(2));
    awaitFlow(pub, sub, subject);
    for (int i = 0; i < 50; i++) {
      pub.publish(subject, ("m" + i).getBytes(StandardCharsets.UTF_8));
    }
    pub.flush(Duration.ofSeconds(2));
    for (int i = 0; i < 50; i++) {
      Message m = sub.nextMessage(Duration.ofSeconds(5));
      assertNotNull(m, "message " + i + " on " + subject);
      assertEquals("m" + i, new String(m.getData(), StandardCharsets.UTF_8), "in order, once");
    }
    assertNull(sub.nextMessage(Duration.ofMillis(200)), "no duplicates");
    sub.unsubscribe();
  }

  /** A fresh requester reaches a responder in the other cluster at once (the routed reply). */
  static void requestReply(Connection requester, Connection responder, String subject) throws Exception {
    io.nats.client.Dispatcher d = responder.createDispatcher(m -> responder.publish(m.getReplyTo(), m.getData()));
    d.subscribe(subject);
    responder.flush(Duration.ofSeconds(2));
    Await.until("service " + subject + " across", () -> {
      try {
        return requester.request(subject, "ping".getBytes(StandardCharsets.UTF_8), Duration.ofMillis(500)) != null;
      } catch (Exception e) {
        return false;
      }
    });
    // A requester that just connected: its reply subscription cannot have crossed yet, the
    // routed reply brings the answer back all the same.
    try (Connection fresh = Nats.connect(requester.getConnectedUrl())) {
      Message first = fresh.request(subject, "first".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(3));
      assertNotNull(first, "a fresh requester's first request is answered");
    }
    for (int i = 0; i < 20; i++) {
      Message reply = requester.request(subject, ("hi" + i).getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
      assertNotNull(reply, "reply " + i);
      assertEquals("hi" + i, new String(reply.getData(), StandardCharsets.UTF_8));
    }
    responder.closeDispatcher(d);
  }

  /**
   * A queue group with members in both clusters is served in the publisher's; with none left
   * there, by the other cluster, once per message.
   */
  static void queueGroup(Connection pub, Connection local, Connection remote, String subject) throws Exception {
    Subscription far = remote.subscribe(subject, "q");
    remote.flush(Duration.ofSeconds(2));
    awaitFlow(pub, far, subject);
    Subscription near = local.subscribe(subject, "q");
    local.flush(Duration.ofSeconds(2));
    Await.until("the local member served", () -> {
      pub.publish(subject, "probe".getBytes(StandardCharsets.UTF_8));
      pub.flush(Duration.ofSeconds(2));
      return near.nextMessage(Duration.ofMillis(50)) != null;
    });
    while (far.nextMessage(Duration.ofMillis(100)) != null || near.nextMessage(Duration.ofMillis(50)) != null) {
      // drain the probes
    }
    for (int i = 0; i < 40; i++) {
      pub.publish(subject, ("q" + i).getBytes(StandardCharsets.UTF_8));
    }
    pub.flush(Duration.ofSeconds(2));
    for (int i = 0; i < 40; i++) {
      assertNotNull(near.nextMessage(Duration.ofSeconds(5)), "local member gets " + i);
    }
    assertNull(far.nextMessage(Duration.ofMillis(300)), "the other cluster's member gets none while a local one is there");
    near.unsubscribe();
    local.flush(Duration.ofSeconds(2));
    Await.until("the far member served again", () -> {
      pub.publish(subject, "probe".getBytes(StandardCharsets.UTF_8));
      pub.flush(Duration.ofSeconds(2));
      return far.nextMessage(Duration.ofMillis(50)) != null;
    });
    while (far.nextMessage(Duration.ofMillis(100)) != null) {
      // drain the probes
    }
    for (int i = 0; i < 40; i++) {
      pub.publish(subject, ("r" + i).getBytes(StandardCharsets.UTF_8));
    }
    pub.flush(Duration.ofSeconds(2));
    for (int i = 0; i < 40; i++) {
      Message m = far.nextMessage(Duration.ofSeconds(5));
      assertNotNull(m, "far member gets " + i);
      assertEquals("r" + i, new String(m.getData(), StandardCharsets.UTF_8));
    }
    assertNull(far.nextMessage(Duration.ofMillis(200)), "once each");
    far.unsubscribe();
  }

  /** Everything, both ways between {@code a} and {@code b}; {@code a2} is in a's cluster. */
  static void exchange(Connection a, Connection a2, Connection b, Connection b2) throws Exception {
    oneWay(a, b, "ab.plain");
    oneWay(b, a, "ba.plain");
    oneWay(a2, b2, "ab2.plain");
    requestReply(a, b, "svc.ab");
    requestReply(b2, a2, "svc.ba");
    queueGroup(a, a2, b, "work.ab");
    queueGroup(b, b2, a2, "work.ba");
  }

  @Test
  void aSuperClusterOfTwoNatsvxClusters() throws Exception {
    int[] gw = {NatsServerProcess.freePort(), NatsServerProcess.freePort(), NatsServerProcess.freePort(),
        NatsServerProcess.freePort()};
    int[] rt = {NatsServerProcess.freePort(), NatsServerProcess.freePort(), NatsServerProcess.freePort(),
        NatsServerProcess.freePort()};
    // A's servers name B's first server; B's name nothing and learn A from the gateways that come.
    TestServer a1 = keep(node("a1", "A", gw[0], rt[0], 0, toGateway("B", gw[2])));
    TestServer a2 = keep(node("a2", "A", gw[1], rt[1], rt[0], toGateway("B", gw[2])));
    TestServer b1 = keep(node("b1", "B", gw[2], rt[2], 0, ""));
    TestServer b2 = keep(node("b2", "B", gw[3], rt[3], rt[2], ""));
    ClusterIT.awaitRoutes(1, a1, a2);
    ClusterIT.awaitRoutes(1, b1, b2);
    for (TestServer s : List.of(a1, a2, b1, b2)) {
      awaitGateways(s, 1);
    }
    exchange(connect(a1.url()), connect(a2.url()), connect(b1.url()), connect(b2.url()));
  }

  @Test
  void aRoutedReplyReachesItsServerThroughItsCluster() throws Exception {
    int[] gw = {NatsServerProcess.freePort(), NatsServerProcess.freePort(), NatsServerProcess.freePort()};
    int[] rt = {NatsServerProcess.freePort(), NatsServerProcess.freePort(), NatsServerProcess.freePort()};
    TestServer a1 = keep(node("a1", "A", gw[0], rt[0], 0, toGateway("B", gw[2])));
    TestServer a2 = keep(node("a2", "A", gw[1], rt[1], rt[0], toGateway("B", gw[2])));
    ClusterIT.awaitRoutes(1, a1, a2);
    // B knows only a2: the answers to a1's requests come in at a2, which relays them to a1.
    TestServer b1 = keep(node("b1", "B", gw[2], rt[2], 0, toGateway("A", gw[1])));
    for (TestServer s : List.of(a1, a2, b1)) {
      awaitGateways(s, 1);
    }
    Await.until("b1's link into a2", () -> a2.verticle.gateways().inboundCount() == 1);
    assertEquals(0, a1.verticle.gateways().inboundCount());
    requestReply(connect(a1.url()), connect(b1.url()), "svc.relayed");
  }

  @Test
  void restartingEitherEndHeals() throws Exception {
    int gwA = NatsServerProcess.freePort();
    int gwB = NatsServerProcess.freePort();
    TestServer a = keep(TestServer.fromConf("server_name: a\ngateway { name: A, listen: \"127.0.0.1:" + gwA + "\""
        + toGateway("B", gwB) + " }\n"));
    String bConf = "server_name: b\ngateway { name: B, listen: \"127.0.0.1:" + gwB + "\"" + toGateway("A", gwA)
        + " }\n";
    TestServer b = TestServer.fromConf(bConf);
    awaitGateways(a, 1);
    awaitGateways(b, 1);
    Connection ca = connect(a.url());
    oneWay(ca, connect(b.url()), "before");
    b.close();
    Await.until("link gone", () -> a.verticle.gateways().outboundCount() == 0);
    TestServer again = keep(TestServer.fromConf(bConf));
    awaitGateways(a, 1);
    awaitGateways(again, 1);
    Connection cb = connect(again.url());
    oneWay(ca, cb, "after.ab");
    oneWay(cb, ca, "after.ba");
    requestReply(ca, cb, "svc.after");
  }

  @Test
  void aReloadChangesNothingButTls() throws Exception {
    int gwA = NatsServerProcess.freePort();
    int gwB = NatsServerProcess.freePort();
    String conf = "server_name: a\ngateway { name: A, listen: \"127.0.0.1:" + gwA + "\"" + toGateway("B", gwB) + " }\n";
    TestServer a = keep(TestServer.fromConf(conf));
    TestServer b = keep(TestServer.fromConf("server_name: b\ngateway { name: B, listen: \"127.0.0.1:" + gwB + "\" }\n"));
    awaitGateways(a, 1);
    // As nats-server 2.9: another gateway in the list is refused, the links stay.
    io.natsvx.config.ServerOptions next = io.natsvx.config.OptionsReader.read(io.natsvx.config.ConfParser.parseString(
        conf.replace("}]", "}, {name: C, url: \"nats://127.0.0.1:1\"}]"), "test.conf"),
        io.natsvx.config.ServerOptions.builder().port(0).host("127.0.0.1").logtime(false)).options();
    java.util.concurrent.CompletableFuture<Throwable> done = new java.util.concurrent.CompletableFuture<>();
    a.vertx.runOnContext(v -> a.verticle.reload(next).onComplete(ar -> done.complete(ar.cause())));
    Throwable refused = done.get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertNotNull(refused, "a changed gateway block is refused");
    assertTrue(refused.getMessage().contains("config reload not supported for Gateway"), refused.getMessage());
    assertEquals(1, a.verticle.gateways().outboundCount());
    oneWay(connect(a.url()), connect(b.url()), "still.there");
  }

  @Test
  void gatewaysSpeakTlsAndAReloadedCertificateAuthorityServesTheNextDial(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    assumeTrue(TestCertificates.available(), "openssl not installed");
    TestCertificates certs = TestCertificates.create(Files.createDirectories(dir.resolve("good")));
    TestCertificates stranger = TestCertificates.create(Files.createDirectories(dir.resolve("stranger")));
    int gwA = NatsServerProcess.freePort();
    int gwB = NatsServerProcess.freePort();
    String tls = "tls { cert_file: \"" + certs.path("server.pem") + "\", key_file: \"" + certs.path("server-key.pem")
        + "\", ca_file: \"%s\" }";
    TestServer b = keep(TestServer.fromConf("server_name: b\ngateway { name: B, listen: \"127.0.0.1:" + gwB + "\", "
        + String.format(tls, certs.path("ca.pem")) + " }\n"));
    // A trusts the wrong authority first: its dials to B fail the handshake.
    String aConf = "server_name: a\ngateway { name: A, listen: \"127.0.0.1:" + gwA + "\", %s" + toGateway("B", gwB)
        + " }\n";
    TestServer a = keep(TestServer.fromConf(String.format(aConf, String.format(tls, stranger.path("ca.pem")))));
    Await.until("a refused handshake", () -> a.verticle.gateways().closedLinks() >= 2);
    assertEquals(0, a.verticle.gateways().outboundCount());
    io.natsvx.config.ServerOptions next = io.natsvx.config.OptionsReader.read(io.natsvx.config.ConfParser.parseString(
        String.format(aConf, String.format(tls, certs.path("ca.pem"))), "test.conf"),
        io.natsvx.config.ServerOptions.builder().port(0).host("127.0.0.1").logtime(false)).options();
    java.util.concurrent.CompletableFuture<Throwable> done = new java.util.concurrent.CompletableFuture<>();
    a.vertx.runOnContext(v -> a.verticle.reload(next).onComplete(ar -> done.complete(ar.cause())));
    assertNull(done.get(10, java.util.concurrent.TimeUnit.SECONDS), "a TLS change reloads");
    awaitGateways(a, 1);
    awaitGateways(b, 1);
    oneWay(connect(a.url()), connect(b.url()), "over.tls");
    oneWay(connect(b.url()), connect(a.url()), "back.over.tls");
  }

  /** A gateway server of cluster B that this test speaks for, one line at a time. */
  private static final class FakeGateway implements AutoCloseable {
    final java.net.Socket socket;
    final java.io.BufferedReader in;
    final java.io.OutputStream out;

    FakeGateway(java.net.Socket socket) throws Exception {
      this.socket = socket;
      socket.setSoTimeout(5000);
      this.in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      this.out = socket.getOutputStream();
    }

    void send(String text) throws Exception {
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    /** The next line that is not the server's keepalive (answered). */
    String line() throws Exception {
      while (true) {
        String l = in.readLine();
        assertNotNull(l, "the link closed");
        if (l.equals("PING")) {
          send("PONG\r\n");
        } else if (!l.equals("PONG")) {
          return l;
        }
      }
    }

    /** Waits until everything sent so far was read by the server. */
    void sync() throws Exception {
      send("PING\r\n");
      while (!in.readLine().equals("PONG")) {
        // what came before the answer
      }
    }

    /** The subject of the next RMSG (its payload line read too). */
    String nextMessage() throws Exception {
      String l = line();
      assertTrue(l.startsWith("RMSG $G "), l);
      in.readLine();
      return l.split(" ")[2];
    }

    @Override
    public void close() throws Exception {
      socket.close();
    }
  }

  @Test
  void optimisticModeTowardsAServerThatDoesNotSwitchAtOnce() throws Exception {
    try (java.net.ServerSocket listener = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      TestServer a = keep(TestServer.fromConf("server_name: a\ngateway { name: A, listen: \"127.0.0.1:-1\""
          + toGateway("B", listener.getLocalPort()) + " }\n"));
      listener.setSoTimeout(10_000);
      FakeGateway b = keep(new FakeGateway(listener.accept()));
      // nats-server before 2.9: no gateway_iom in its INFO
      b.send("INFO {\"server_id\":\"FAKEB\",\"server_name\":\"fakeb\",\"gateway\":\"B\",\"headers\":true}\r\n");
      String connect = b.line();
      assertTrue(connect.startsWith("CONNECT ") && connect.contains("\"gateway\":\"A\""), connect);
      assertTrue(b.line().contains("\"gateway_iom\":true"), "natsvx switches at once itself");
      awaitGateways(a, 1);
      Connection c = connect(a.url());
      // Optimistic: everything crosses unasked...
      c.publish("foo", new byte[0]);
      c.publish("bar", new byte[0]);
      c.flush(Duration.ofSeconds(2));
      assertEquals("foo", b.nextMessage());
      assertEquals("bar", b.nextMessage());
      // ...but a subject after RS-, until RS+ clears it
      b.send("RS- $G foo\r\n");
      b.sync();
      c.publish("foo", new byte[0]);
      c.publish("bar", new byte[0]);
      c.flush(Duration.ofSeconds(2));
      assertEquals("bar", b.nextMessage());
      b.send("RS+ $G foo\r\n");
      b.sync();
      c.publish("foo", new byte[0]);
      c.flush(Duration.ofSeconds(2));
      assertEquals("foo", b.nextMessage());
      // A-: nothing of the account, until A+
      b.send("A- $G\r\n");
      b.sync();
      c.publish("foo", new byte[0]);
      c.flush(Duration.ofSeconds(2));
      b.send("A+ $G\r\n");
      b.sync();
      c.publish("after", new byte[0]);
      c.flush(Duration.ofSeconds(2));
      assertEquals("after", b.nextMessage(), "nothing crossed between A- and A+");
      // The switch to interest-only mode: its subscriptions count, then only they do.
      String acc = java.util.Base64.getEncoder().encodeToString("$G".getBytes(StandardCharsets.UTF_8));
      b.send("INFO {\"gateway\":\"B\",\"gateway_cmd\":2,\"gateway_cmd_payload\":\"" + acc + "\"}\r\n"
          + "RS+ $G wanted.>\r\n"
          + "INFO {\"gateway\":\"B\",\"gateway_cmd\":3,\"gateway_cmd_payload\":\"" + acc + "\"}\r\n");
      b.sync();
      c.publish("foo", new byte[0]);
      c.publish("wanted.one", new byte[0]);
      c.flush(Duration.ofSeconds(2));
      assertEquals("wanted.one", b.nextMessage(), "interest-only: foo no longer crosses");
      b.send("RS- $G wanted.>\r\n");
      b.sync();
      c.publish("wanted.two", new byte[0]);
      c.publish("wanted.one", new byte[0]);
      c.flush(Duration.ofSeconds(2));
      b.send("RS+ $G last\r\n");
      b.sync();
      c.publish("last", new byte[0]);
      c.flush(Duration.ofSeconds(2));
      assertEquals("last", b.nextMessage(), "nothing on wanted.> after its RS-");
    }
  }

  // ---- with nats-server -----------------------------------------------------------------------

  @Test
  void aNatsvxClusterAndANatsServerClusterFormOneSuperCluster() throws Exception {
    assumeTrue(NatsServerProcess.available(), "nats-server not installed");
    int[] gw = {NatsServerProcess.freePort(), NatsServerProcess.freePort(), NatsServerProcess.freePort(),
        NatsServerProcess.freePort()};
    int[] rt = {NatsServerProcess.freePort(), NatsServerProcess.freePort(), NatsServerProcess.freePort(),
        NatsServerProcess.freePort()};
    // natsvx is A and names nats-server's first server; nats-server's B names natsvx's first.
    TestServer a1 = keep(node("a1", "A", gw[0], rt[0], 0, toGateway("B", gw[2]), "http_port: -1\n"));
    TestServer a2 = keep(node("a2", "A", gw[1], rt[1], rt[0], toGateway("B", gw[2]), "http_port: -1\n"));
    int httpPort = NatsServerProcess.freePort();
    NatsServerProcess b1 = natsServer("server_name: b1\nhttp_port: " + httpPort + "\ncluster { name: B, listen: \"127.0.0.1:" + rt[2] + "\" }\n"
        + "gateway { name: B, listen: \"127.0.0.1:" + gw[2] + "\"" + toGateway("A", gw[0]) + " }\n");
    NatsServerProcess b2 = natsServer("server_name: b2\ncluster { name: B, listen: \"127.0.0.1:" + rt[3]
        + "\", routes: [\"nats-route://127.0.0.1:" + rt[2] + "\"] }\n"
        + "gateway { name: B, listen: \"127.0.0.1:" + gw[3] + "\"" + toGateway("A", gw[0]) + " }\n");
    ClusterIT.awaitRoutes(1, a1, a2);
    awaitGateways(a1, 1);
    awaitGateways(a2, 1);
    Await.until("nats-server's gateways to A", () -> a1.verticle.gateways().inboundCount()
        + a2.verticle.gateways().inboundCount() >= 2);
    exchange(connect(a1.url()), connect(a2.url()), connect("nats://127.0.0.1:" + b1.port()),
        connect("nats://127.0.0.1:" + b2.port()));

    // /gatewayz: the same shape on both ends, each naming the other cluster
    JsonObject ours = Http.json(a1.verticle.monitorPort(), "/gatewayz?accs=1");
    JsonObject theirs = Http.json(httpPort, "/gatewayz?accs=1");
    assertEquals(theirs.fieldNames(), ours.fieldNames());
    assertEquals("A", ours.getString("name"));
    assertEquals(gw[0], ours.getInteger("port"));
    JsonObject ourOut = ours.getJsonObject("outbound_gateways").getJsonObject("B");
    JsonObject theirOut = theirs.getJsonObject("outbound_gateways").getJsonObject("A");
    assertEquals(theirOut.fieldNames(), ourOut.fieldNames());
    assertEquals(true, ourOut.getBoolean("configured"));
    assertEquals(new java.util.TreeSet<>(theirOut.getJsonObject("connection").fieldNames()),
        new java.util.TreeSet<>(ourOut.getJsonObject("connection").fieldNames()));
    assertEquals("Gateway", ourOut.getJsonObject("connection").getString("kind"));
    JsonObject ourAccount = account(ourOut, "$G");
    assertEquals("Interest-Only", ourAccount.getString("interest_mode"));
    assertEquals(account(theirOut, "$G").getInteger("interest_only_threshold"),
        ourAccount.getInteger("interest_only_threshold"));
    // B's servers dial whichever of A's gateway URLs they picked: look where the inbound links are.
    TestServer withInbound = a1.verticle.gateways().inboundCount() > 0 ? a1 : a2;
    JsonObject inbound = Http.json(withInbound.verticle.monitorPort(), "/gatewayz?accs=1").getJsonObject("inbound_gateways");
    assertEquals(withInbound.verticle.gateways().inboundCount(), inbound.getJsonArray("B").size());
    assertEquals(new java.util.TreeSet<>(theirs.getJsonObject("inbound_gateways").getJsonArray("A").getJsonObject(0)
        .fieldNames()), new java.util.TreeSet<>(inbound.getJsonArray("B").getJsonObject(0).fieldNames()));
    JsonObject none = Http.json(a1.verticle.monitorPort(), "/gatewayz?gw_name=C");
    assertEquals(0, none.getJsonObject("inbound_gateways").size() + none.getJsonObject("outbound_gateways").size(),
        "gw_name keeps one cluster");
    // subs=1|detail: the far cluster's subscriptions per account (nats-server 2.10's)
    Connection onB = connect("nats://127.0.0.1:" + b1.port());
    Subscription listed = onB.subscribe("listed.here");
    onB.flush(Duration.ofSeconds(2));
    awaitFlow(connect(a1.url()), listed, "listed.here");
    JsonObject withSubs = Http.json(a1.verticle.monitorPort(), "/gatewayz?accs=1&subs=1");
    assertTrue(account(withSubs.getJsonObject("outbound_gateways").getJsonObject("B"), "$G")
        .getJsonArray("subscriptions_list").contains("listed.here"), withSubs.encode());
    JsonObject detailed = Http.json(a1.verticle.monitorPort(), "/gatewayz?accs=1&subs=detail");
    assertTrue(account(detailed.getJsonObject("outbound_gateways").getJsonObject("B"), "$G")
        .getJsonArray("subscriptions_list_detail").stream()
        .anyMatch(d -> "listed.here".equals(((JsonObject) d).getString("subject"))), detailed.encode());
    // /varz gateway: the same block
    JsonObject ourVarz = Http.json(a1.verticle.monitorPort(), "/varz").getJsonObject("gateway");
    JsonObject theirVarz = Http.json(httpPort, "/varz").getJsonObject("gateway");
    assertEquals(theirVarz.fieldNames(), ourVarz.fieldNames());
    assertEquals(List.of("127.0.0.1:" + gw[2]), ourVarz.getJsonArray("gateways").getJsonObject(0)
        .getJsonArray("urls").getList());
  }

  @Test
  void restartingEitherEndOfALinkWithNatsServerHeals() throws Exception {
    assumeTrue(NatsServerProcess.available(), "nats-server not installed");
    int gwA = NatsServerProcess.freePort();
    int gwB = NatsServerProcess.freePort();
    String aConf = "server_name: a\ngateway { name: A, listen: \"127.0.0.1:" + gwA + "\"" + toGateway("B", gwB) + " }\n";
    String bConf = "server_name: b\ngateway { name: B, listen: \"127.0.0.1:" + gwB + "\"" + toGateway("A", gwA) + " }\n";
    TestServer a = TestServer.fromConf(aConf);
    NatsServerProcess b = natsServer(bConf);
    awaitGateways(a, 1);
    oneWay(connect(a.url()), connect("nats://127.0.0.1:" + b.port()), "first");
    b.close();
    Await.until("the link to B gone", () -> a.verticle.gateways().outboundCount() == 0);
    NatsServerProcess b2 = natsServer(bConf);
    awaitGateways(a, 1);
    Connection cb = connect("nats://127.0.0.1:" + b2.port());
    Connection ca = connect(a.url());
    oneWay(ca, cb, "after.b.ab");
    oneWay(cb, ca, "after.b.ba");
    a.close();
    TestServer a2 = keep(TestServer.fromConf(aConf));
    awaitGateways(a2, 1);
    Await.until("nats-server's link back", () -> a2.verticle.gateways().inboundCount() == 1);
    Connection ca2 = connect(a2.url());
    oneWay(ca2, cb, "after.a.ab");
    oneWay(cb, ca2, "after.a.ba");
    requestReply(cb, ca2, "svc.after.a");
  }

  @Test
  void systemRequestsAndEventsCrossTheSuperCluster() throws Exception {
    assumeTrue(NatsServerProcess.available(), "nats-server not installed");
    int gwA = NatsServerProcess.freePort();
    int gwB = NatsServerProcess.freePort();
    String accounts = "accounts { SYS { users [{user: sys, password: sys}] }, APP { users [{user: app, password: app}] } }\n"
        + "system_account: SYS\n";
    TestServer a = keep(TestServer.fromConf("server_name: a\n" + accounts + "gateway { name: A, listen: \"127.0.0.1:"
        + gwA + "\"" + toGateway("B", gwB) + " }\n"));
    NatsServerProcess b = natsServer("server_name: b\n" + accounts + "gateway { name: B, listen: \"127.0.0.1:" + gwB
        + "\"" + toGateway("A", gwA) + " }\n");
    awaitGateways(a, 1);
    Await.until("nats-server's gateway to A", () -> a.verticle.gateways().inboundCount() == 1);
    Connection sysA = connect("nats://sys:sys@127.0.0.1:" + a.port());
    Connection sysB = connect("nats://sys:sys@127.0.0.1:" + b.port());
    for (Connection asker : List.of(sysA, sysB)) {
      // Every server of the super-cluster answers a server ping, wherever it was asked.
      Await.until("both servers answer", () -> {
        String inbox = asker.createInbox();
        Subscription answers = asker.subscribe(inbox);
        asker.publish("$SYS.REQ.SERVER.PING", inbox, new byte[0]);
        java.util.Set<String> names = new java.util.HashSet<>();
        Message m;
        while ((m = answers.nextMessage(Duration.ofMillis(500))) != null) {
          names.add(new JsonObject(new String(m.getData(), StandardCharsets.UTF_8)).getJsonObject("server")
              .getString("name"));
        }
        answers.unsubscribe();
        return names.equals(java.util.Set.of("a", "b"));
      });
    }
    // A client's connect event on one cluster reaches the system account's subscribers on the other.
    Subscription events = sysA.subscribe("$SYS.ACCOUNT.APP.CONNECT");
    sysA.flush(Duration.ofSeconds(2));
    Await.until("a connect event from b", () -> {
      try (Connection app = Nats.connect("nats://app:app@127.0.0.1:" + b.port())) {
        app.flush(Duration.ofSeconds(2));
      }
      Message m = events.nextMessage(Duration.ofMillis(500));
      return m != null && "b".equals(new JsonObject(new String(m.getData(), StandardCharsets.UTF_8))
          .getJsonObject("server").getString("name"));
    });
  }

  private static JsonObject account(JsonObject gateway, String name) {
    for (Object o : gateway.getJsonArray("accounts")) {
      JsonObject a = (JsonObject) o;
      if (name.equals(a.getString("name"))) {
        return a;
      }
    }
    throw new AssertionError("no account " + name + " in " + gateway.encode());
  }
}
