package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leaf nodes: a natsvx leaf on a natsvx hub, on a nats-server hub, and a nats-server leaf on a
 * natsvx hub; messages, queue groups and request/reply both ways, accounts bound on each side,
 * deny lists, a loop refused, and a restarted end that heals the link without duplicates.
 */
class LeafNodeIT extends Resources {

  static final String ACCOUNTS = "accounts { A { users [{user: a, password: a}] }, "
      + "B { users [{user: b, password: b}] } }\n";

  static TestServer hub(String extra) throws Exception {
    return TestServer.fromConf("server_name: HUB\nleafnodes { listen: \"127.0.0.1:-1\"\n" + extra + "\n}\n");
  }

  static TestServer leaf(String name, int hubPort, String remoteExtra, String extra) throws Exception {
    return TestServer.fromConf("server_name: " + name + "\n" + extra + "leafnodes { remotes [{ url: \"nats-leaf://"
        + "127.0.0.1:" + hubPort + "\" " + remoteExtra + " }] }\n");
  }

  static void awaitLeafs(TestServer s, int n) {
    Await.until(n + " leaf links on " + s.verticle.server().serverName(),
        () -> s.verticle.leafNodes().count() == n);
  }

  /** Publishes on {@code from} until {@code sub} gets it: interest crosses the link asynchronously. */
  static void awaitFlow(Connection from, Subscription sub, String subject) throws Exception {
    Await.until("message flow to " + subject, () -> {
      from.publish(subject, "probe".getBytes(StandardCharsets.UTF_8));
      from.flush(Duration.ofSeconds(2));
      return sub.nextMessage(Duration.ofMillis(50)) != null;
    });
    while (sub.nextMessage(Duration.ofMillis(100)) != null) {
      // drain the other probes
    }
  }

  /** Requests {@code subject} on {@code client} until a responder answers: interest crosses asynchronously. */
  static void awaitService(Connection client, String subject) {
    Await.until("an answer on " + subject, () -> {
      try {
        return client.request(subject, "ping".getBytes(StandardCharsets.UTF_8), Duration.ofMillis(500)) != null;
      } catch (Exception e) {
        return false;
      }
    });
  }

  /** Both ways: plain messages once each, a queue group served once, request/reply. */
  static void exchange(Connection hubClient, Connection leafClient) throws Exception {
    Connection[] ends = {hubClient, leafClient};
    for (int f = 0; f < 2; f++) {
      final int from = f;
      Connection pub = ends[from];
      Connection recv = ends[1 - from];
      String subject = "to." + (1 - from);
      Subscription sub = recv.subscribe(subject);
      recv.flush(Duration.ofSeconds(2));
      awaitFlow(pub, sub, subject);
      for (int i = 0; i < 20; i++) {
        pub.publish(subject, ("m" + i).getBytes(StandardCharsets.UTF_8));
      }
      pub.flush(Duration.ofSeconds(2));
      for (int i = 0; i < 20; i++) {
        Message m = sub.nextMessage(Duration.ofSeconds(5));
        assertNotNull(m, "message " + i + " from " + from);
        assertEquals("m" + i, new String(m.getData(), StandardCharsets.UTF_8), "in order, once");
      }
      assertNull(sub.nextMessage(Duration.ofMillis(200)), "no duplicates");
      sub.unsubscribe();

      // request/reply: the responder on the far side
      io.nats.client.Dispatcher d = recv.createDispatcher(m -> recv.publish(m.getReplyTo(), m.getData()));
      d.subscribe("svc." + from, "workers");
      recv.flush(Duration.ofSeconds(2));
      awaitService(pub, "svc." + from);
      Message reply = pub.request("svc." + from, "hi".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
      assertEquals("hi", new String(reply.getData(), StandardCharsets.UTF_8));
      recv.closeDispatcher(d);
    }
  }

  @Test
  void natsvxLeafOnNatsvxHub() throws Exception {
    TestServer hub = keep(hub(""));
    TestServer leaf = keep(leaf("LEAF", hub.verticle.leafNodePort(), "", ""));
    awaitLeafs(hub, 1);
    awaitLeafs(leaf, 1);
    exchange(connect(hub.url()), connect(leaf.url()));
  }

  @Test
  void aLeafOnOneNodeOfAHubClusterReachesTheOther() throws Exception {
    // Hub cluster A-B; the leaf dials A. B's clients reach the leaf through A's route, and back.
    TestServer a = keep(TestServer.fromConf("server_name: A\ncluster { name: hub, listen: \"127.0.0.1:-1\" }\n"
        + "leafnodes { listen: \"127.0.0.1:-1\" }\n"));
    TestServer b = keep(TestServer.fromConf("server_name: B\ncluster { name: hub, listen: \"127.0.0.1:-1\", "
        + "routes: [\"nats-route://127.0.0.1:" + a.verticle.clusterPort() + "\"] }\n"));
    ClusterIT.awaitRoutes(1, a, b);
    TestServer leaf = keep(leaf("LEAF", a.verticle.leafNodePort(), "", ""));
    awaitLeafs(a, 1);
    exchange(connect(b.url()), connect(leaf.url()));
  }

  @Test
  void aLeafFailsOverToTheHubNodeItLearnedOf() throws Exception {
    // The leaf is configured with A alone; A's INFO names B's leaf port too (from B's route INFO).
    TestServer a = keep(TestServer.fromConf("server_name: A\ncluster { name: hub, listen: \"127.0.0.1:-1\" }\n"
        + "leafnodes { listen: \"127.0.0.1:-1\" }\n"));
    TestServer b = keep(TestServer.fromConf("server_name: B\ncluster { name: hub, listen: \"127.0.0.1:-1\", "
        + "routes: [\"nats-route://127.0.0.1:" + a.verticle.clusterPort() + "\"] }\n"
        + "leafnodes { listen: \"127.0.0.1:-1\" }\n"));
    ClusterIT.awaitRoutes(1, a, b);
    TestServer leaf = keep(leaf("LEAF", a.verticle.leafNodePort(), "", ""));
    awaitLeafs(a, 1);
    a.close();
    awaitLeafs(b, 1);
    exchange(connect(b.url()), connect(leaf.url()));
    if (!NatsServerProcess.available()) {
      return;
    }
    // A nats-server leaf learns the same from a natsvx hub cluster.
    TestServer c = keep(TestServer.fromConf("server_name: C\ncluster { name: hub, listen: \"127.0.0.1:-1\", "
        + "routes: [\"nats-route://127.0.0.1:" + b.verticle.clusterPort() + "\"] }\n"
        + "leafnodes { listen: \"127.0.0.1:-1\" }\n"));
    ClusterIT.awaitRoutes(1, b, c);
    NatsServerProcess theirs = natsServer("leafnodes { remotes [{ url: \"nats-leaf://127.0.0.1:"
        + c.verticle.leafNodePort() + "\" }] }\n");
    awaitLeafs(c, 1);
    awaitLeafs(b, 1); // ours still on B
    c.close();
    awaitLeafs(b, 2);
    exchange(connect(b.url()), connect("nats://127.0.0.1:" + theirs.port()));
  }

  /** Publishes {@code n} messages and counts what each subscriber got: exactly {@code n} each, no more. */
  private static void once(Connection pub, String subject, Subscription... subs) throws Exception {
    for (Subscription sub : subs) {
      awaitFlow(pub, sub, subject);
    }
    // the probes may still come in on the other subscribers: drain them all
    for (Subscription sub : subs) {
      while (sub.nextMessage(Duration.ofMillis(200)) != null) {
        // a probe
      }
    }
    for (int i = 0; i < 20; i++) {
      pub.publish(subject, ("m" + i).getBytes(StandardCharsets.UTF_8));
    }
    pub.flush(Duration.ofSeconds(2));
    for (Subscription sub : subs) {
      for (int i = 0; i < 20; i++) {
        Message m = sub.nextMessage(Duration.ofSeconds(5));
        assertNotNull(m, "message " + i);
        assertEquals("m" + i, new String(m.getData(), StandardCharsets.UTF_8), "in order, once");
      }
      assertNull(sub.nextMessage(Duration.ofMillis(300)), "no duplicates on " + subject);
    }
  }

  @Test
  void aLeafClusterOnAHubClusterGetsEachMessageOnce() throws Exception {
    // Hub cluster H (h1, h2) and leaf cluster L (l1, l2): l1 dials h1, l2 dials h2. What l1's
    // clients publish reaches l2 over L's route, and must not come back to l2 through H too.
    TestServer h1 = keep(TestServer.fromConf("server_name: h1\ncluster { name: H, listen: \"127.0.0.1:-1\" }\n"
        + "leafnodes { listen: \"127.0.0.1:-1\" }\n"));
    TestServer h2 = keep(TestServer.fromConf("server_name: h2\ncluster { name: H, listen: \"127.0.0.1:-1\", "
        + "routes: [\"nats-route://127.0.0.1:" + h1.verticle.clusterPort() + "\"] }\n"
        + "leafnodes { listen: \"127.0.0.1:-1\" }\n"));
    ClusterIT.awaitRoutes(1, h1, h2);
    TestServer l1 = keep(TestServer.fromConf("server_name: l1\ncluster { name: L, listen: \"127.0.0.1:-1\" }\n"
        + "leafnodes { remotes [{url: \"nats-leaf://127.0.0.1:" + h1.verticle.leafNodePort() + "\"}] }\n"));
    TestServer l2 = keep(TestServer.fromConf("server_name: l2\ncluster { name: L, listen: \"127.0.0.1:-1\", "
        + "routes: [\"nats-route://127.0.0.1:" + l1.verticle.clusterPort() + "\"] }\n"
        + "leafnodes { remotes [{url: \"nats-leaf://127.0.0.1:" + h2.verticle.leafNodePort() + "\"}] }\n"));
    ClusterIT.awaitRoutes(1, l1, l2);
    awaitLeafs(l1, 1);
    awaitLeafs(l2, 1);
    Connection cl1 = connect(l1.url());
    Connection cl2 = connect(l2.url());
    Connection ch1 = connect(h1.url());
    Connection ch2 = connect(h2.url());
    Subscription onL2 = cl2.subscribe("from.l1");
    cl2.flush(Duration.ofSeconds(2));
    once(cl1, "from.l1", onL2);
    Subscription onH1 = ch1.subscribe("from.l1.both");
    Subscription onL2b = cl2.subscribe("from.l1.both");
    ch1.flush(Duration.ofSeconds(2));
    cl2.flush(Duration.ofSeconds(2));
    once(cl1, "from.l1.both", onH1, onL2b);
    Subscription l1sub = cl1.subscribe("from.h2");
    Subscription l2sub = cl2.subscribe("from.h2");
    cl1.flush(Duration.ofSeconds(2));
    cl2.flush(Duration.ofSeconds(2));
    once(ch2, "from.h2", l1sub, l2sub);
  }

  @Test
  void aLeafClusterOnAHubClusterWithANatsServerNodeGetsEachMessageOnce() throws Exception {
    assumeTrue(NatsServerProcess.available(), "nats-server not installed");
    // Hub cluster H: natsvx h1 and nats-server h2; leaf cluster L (natsvx l1, l2) dials one each.
    // Leaf-origin interest and messages cross the mixed route in nats-server's lnoc words.
    TestServer h1 = keep(TestServer.fromConf("server_name: h1\ncluster { name: H, listen: \"127.0.0.1:-1\" }\n"
        + "leafnodes { listen: \"127.0.0.1:-1\" }\n"));
    int h2Leaf = NatsServerProcess.freePort();
    NatsServerProcess h2 = natsServer("server_name: h2\ncluster { name: H, listen: \"127.0.0.1:"
        + NatsServerProcess.freePort() + "\", routes: [\"nats-route://127.0.0.1:" + h1.verticle.clusterPort()
        + "\"] }\nleafnodes { listen: \"127.0.0.1:" + h2Leaf + "\" }\n");
    Await.until("h2's route", () -> h1.verticle.server().cluster().routeCount() == 1);
    TestServer l1 = keep(TestServer.fromConf("server_name: l1\ncluster { name: L, listen: \"127.0.0.1:-1\" }\n"
        + "leafnodes { remotes [{url: \"nats-leaf://127.0.0.1:" + h1.verticle.leafNodePort() + "\"}] }\n"));
    TestServer l2 = keep(TestServer.fromConf("server_name: l2\ncluster { name: L, listen: \"127.0.0.1:-1\", "
        + "routes: [\"nats-route://127.0.0.1:" + l1.verticle.clusterPort() + "\"] }\n"
        + "leafnodes { remotes [{url: \"nats-leaf://127.0.0.1:" + h2Leaf + "\"}] }\n"));
    ClusterIT.awaitRoutes(1, l1, l2);
    awaitLeafs(l1, 1);
    awaitLeafs(l2, 1);
    Connection cl1 = connect(l1.url());
    Connection cl2 = connect(l2.url());
    Connection ch1 = connect(h1.url());
    Connection ch2 = connect("nats://127.0.0.1:" + h2.port());
    // The hub's subscribers first (see from.l2 below).
    Subscription onH1 = ch1.subscribe("from.l1");
    Subscription onH2 = ch2.subscribe("from.l1");
    for (Connection c : List.of(ch1, ch2)) {
      c.flush(Duration.ofSeconds(2));
    }
    awaitFlow(cl1, onH2, "from.l1");
    Subscription onL2 = cl2.subscribe("from.l1");
    cl2.flush(Duration.ofSeconds(2));
    once(cl1, "from.l1", onL2, onH1, onH2);
    // h1's own subscriber first: nats-server 2.9 keys a route's interest by subject alone, so
    // whichever of h1's subscriber and l1's (for leaf cluster L) reaches h2 first names the
    // origin, and h2 tells l2 of an L-origin interest never (its own cluster's).
    Subscription onH1b = ch1.subscribe("from.l2");
    ch1.flush(Duration.ofSeconds(2));
    awaitFlow(cl2, onH1b, "from.l2");
    Subscription onL1 = cl1.subscribe("from.l2");
    cl1.flush(Duration.ofSeconds(2));
    once(cl2, "from.l2", onL1, onH1b);
    Subscription l1sub = cl1.subscribe("from.h2");
    Subscription l2sub = cl2.subscribe("from.h2");
    cl1.flush(Duration.ofSeconds(2));
    cl2.flush(Duration.ofSeconds(2));
    once(ch2, "from.h2", l1sub, l2sub);
  }

  /**
   * Through {@code client}, JetStream domain {@code domain}: a stream made, a message stored
   * and fetched back by a pull consumer, all by the domain's API subjects.
   */
  private static void useDomain(Connection client, String domain, String stream) throws Exception {
    io.nats.client.JetStreamOptions jso = io.nats.client.JetStreamOptions.builder().domain(domain).build();
    io.nats.client.JetStreamManagement jsm = client.jetStreamManagement(jso);
    Await.until("domain " + domain + " answers", () -> {
      try {
        return domain.equals(jsm.getAccountStatistics().getDomain());
      } catch (Exception e) {
        return false;
      }
    });
    jsm.addStream(io.nats.client.api.StreamConfiguration.builder().name(stream).subjects(stream + ".>")
        .storageType(io.nats.client.api.StorageType.File).build());
    io.nats.client.JetStream js = client.jetStream(jso);
    Await.until("the stream's subjects reached", () -> {
      try {
        js.publish(stream + ".probe", "p".getBytes(StandardCharsets.UTF_8),
            io.nats.client.PublishOptions.builder().expectedStream(stream).build());
        return true;
      } catch (Exception e) {
        return false;
      }
    });
    io.nats.client.api.PublishAck ack = js.publish(stream + ".a", "stored".getBytes(StandardCharsets.UTF_8));
    assertEquals(stream, ack.getStream());
    assertEquals(domain, ack.getDomain());
    io.nats.client.JetStreamSubscription pull = js.subscribe(stream + ".a",
        io.nats.client.PullSubscribeOptions.builder().durable("d").build());
    List<Message> got = pull.fetch(1, Duration.ofSeconds(5));
    assertEquals(1, got.size());
    assertEquals("stored", new String(got.get(0).getData(), StandardCharsets.UTF_8));
    got.get(0).ack();
    assertEquals(2, jsm.getStreamInfo(stream).getStreamState().getMsgCount());
  }

  @Test
  void jetStreamDomainsAcrossTheLeaf(@TempDir Path hubStore, @TempDir Path leafStore) throws Exception {
    TestServer h = keep(TestServer.fromConf("server_name: HUB\njetstream { domain: hub, store_dir: \""
        + hubStore + "\" }\nleafnodes { listen: \"127.0.0.1:-1\" }\n"));
    TestServer leaf = keep(leaf("LEAF", h.verticle.leafNodePort(), "",
        "jetstream { domain: leaf, store_dir: \"" + leafStore + "\" }\n"));
    awaitLeafs(leaf, 1);
    Connection hubClient = connect(h.url());
    Connection leafClient = connect(leaf.url());
    useDomain(hubClient, "leaf", "ONLEAF");
    useDomain(leafClient, "hub", "ONHUB");
    // each side's own $JS.API stays its own: the leaf's stream is not the hub's
    assertEquals(List.of("ONHUB"), hubClient.jetStreamManagement().getStreamNames());
    assertEquals(List.of("ONLEAF"), leafClient.jetStreamManagement().getStreamNames());
  }

  @Test
  void jetStreamDomainsAcrossALeafOnANatsServerHub(@TempDir Path hubStore, @TempDir Path leafStore)
      throws Exception {
    assumeTrue(NatsServerProcess.available(), "nats-server not installed");
    int leafPort = NatsServerProcess.freePort();
    NatsServerProcess hub = natsServer("jetstream { domain: hub, store_dir: \"" + hubStore + "\" }\n"
        + "leafnodes { listen: \"127.0.0.1:" + leafPort + "\" }\n");
    TestServer leaf = keep(leaf("LEAF", leafPort, "", "jetstream { domain: leaf, store_dir: \"" + leafStore
        + "\" }\n"));
    awaitLeafs(leaf, 1);
    Connection hubClient = connect("nats://127.0.0.1:" + hub.port());
    Connection leafClient = connect(leaf.url());
    useDomain(hubClient, "leaf", "ONLEAF");
    useDomain(leafClient, "hub", "ONHUB");
  }

  private static final String PERMITTED_HUB = "authorization { users [{user: leaf, password: p, "
      + "permissions { publish: \"up.>\", subscribe: \"down.>\" }}, {user: app, password: app}] }\n";

  @Test
  void theLeafUsersPermissionsDecideWhatCrosses() throws Exception {
    TestServer hub = keep(TestServer.fromConf("server_name: HUB\n" + PERMITTED_HUB
        + "leafnodes { listen: \"127.0.0.1:-1\" }\n"));
    permissionsCross("nats://app:app@127.0.0.1:" + hub.port(), hub.verticle.leafNodePort());
  }

  @Test
  void theLeafUsersPermissionsDecideWhatCrossesAsOnANatsServerHub() throws Exception {
    assumeTrue(NatsServerProcess.available(), "nats-server not installed");
    int leafPort = NatsServerProcess.freePort();
    NatsServerProcess hub = natsServer(PERMITTED_HUB + "leafnodes { listen: \"127.0.0.1:" + leafPort + "\" }\n");
    permissionsCross("nats://app:app@127.0.0.1:" + hub.port(), leafPort);
  }

  /**
   * As nats-server: the leaf gets what its user may subscribe to, hears of what it may publish
   * to, and asking for a subject it may not receive cuts the link.
   */
  private void permissionsCross(String hubUrl, int hubLeafPort) throws Exception {
    TestServer leaf = keep(TestServer.fromConf("server_name: LEAF\nleafnodes { remotes [{ url: \"nats-leaf://leaf:p@"
        + "127.0.0.1:" + hubLeafPort + "\" }] }\n"));
    awaitLeafs(leaf, 1);
    Connection hubClient = connect(hubUrl);
    Connection leafClient = connect(leaf.url());
    Subscription down = leafClient.subscribe("down.>");
    Subscription wide = leafClient.subscribe(">");
    leafClient.flush(Duration.ofSeconds(2));
    awaitFlow(hubClient, down, "down.x");
    while (wide.nextMessage(Duration.ofMillis(100)) != null) {
      // the probes
    }
    hubClient.publish("elsewhere", "no".getBytes(StandardCharsets.UTF_8));
    hubClient.publish("down.y", "yes".getBytes(StandardCharsets.UTF_8));
    hubClient.flush(Duration.ofSeconds(2));
    assertEquals("down.y", wide.nextMessage(Duration.ofSeconds(5)).getSubject(), "only what the user may receive");
    assertEquals("down.y", down.nextMessage(Duration.ofSeconds(5)).getSubject());
    Subscription up = hubClient.subscribe("up.1");
    Subscription side = hubClient.subscribe("side.1");
    hubClient.flush(Duration.ofSeconds(2));
    awaitFlow(leafClient, up, "up.1");
    leafClient.publish("side.1", new byte[0]);
    leafClient.publish("up.1", "up".getBytes(StandardCharsets.UTF_8));
    leafClient.flush(Duration.ofSeconds(2));
    assertEquals("up", new String(up.nextMessage(Duration.ofSeconds(5)).getData(), StandardCharsets.UTF_8));
    assertNull(side.nextMessage(Duration.ofMillis(300)), "the leaf never heard of side.1");
    // The hub told the leaf its user's permissions (INFO import/export): the leaf never asks for
    // what the user may not receive, so the link stays, as a nats-server leaf's does.
    long before = leaf.verticle.leafNodes().closedLinks();
    Subscription forbidden = leafClient.subscribe("forbidden");
    leafClient.flush(Duration.ofSeconds(2));
    hubClient.publish("forbidden", new byte[0]);
    hubClient.publish("down.z", new byte[0]);
    hubClient.flush(Duration.ofSeconds(2));
    assertEquals("down.z", down.nextMessage(Duration.ofSeconds(5)).getSubject(), "the link is up");
    assertNull(forbidden.nextMessage(Duration.ofMillis(300)));
    assertEquals(before, leaf.verticle.leafNodes().closedLinks());
    // A leaf that asks anyway has its link cut.
    io.vertx.core.json.JsonObject told = rawLeafAsksForbidden(hubLeafPort);
    assertEquals(new io.vertx.core.json.JsonObject().put("allow", List.of("down.>")), told.getJsonObject("import"));
    assertEquals(new io.vertx.core.json.JsonObject().put("allow", List.of("up.>")), told.getJsonObject("export"));
  }

  /** A raw leaf logs in as the permitted user, then subscribes past its rights; the INFO it was told. */
  private static io.vertx.core.json.JsonObject rawLeafAsksForbidden(int hubLeafPort) throws Exception {
    try (RawClient raw = RawClient.connect(hubLeafPort)) {
      raw.send("CONNECT {\"user\":\"leaf\",\"pass\":\"p\",\"name\":\"raw\",\"headers\":true}\r\n");
      String line = raw.next();
      while (!line.startsWith("INFO ")) {
        line = raw.next();
      }
      io.vertx.core.json.JsonObject info = new io.vertx.core.json.JsonObject(line.substring(5));
      raw.send("LS+ forbidden\r\n");
      line = raw.next();
      while (line.startsWith("LS")) {
        line = raw.next();
      }
      assertEquals("-ERR 'Permissions Violation for Subscription to \"forbidden\"'", line);
      assertTrue(raw.isClosedByServer(5000), "the link is cut");
      return info;
    }
  }

  @Test
  void aLeafLogsInWithTheBlocksNkey() throws Exception {
    io.nats.client.NKey key = io.nats.client.NKey.createUser(null);
    TestServer hub = keep(TestServer.fromConf("server_name: HUB\n" + ACCOUNTS + "leafnodes { listen: \"127.0.0.1:-1\", "
        + "authorization { nkey: " + new String(key.getPublicKey()) + ", account: B } }\n"));
    String remote = "leafnodes { remotes [{ url: \"nats-leaf://127.0.0.1:" + hub.verticle.leafNodePort()
        + "\", account: A, nkey: %s }] }\n";
    TestServer leaf = keep(TestServer.fromConf("server_name: LEAF\n" + ACCOUNTS
        + String.format(remote, new String(key.getSeed()))));
    awaitLeafs(hub, 1);
    exchange(connect("nats://b:b@127.0.0.1:" + hub.port()), connect("nats://a:a@127.0.0.1:" + leaf.port()));
    TestServer stranger = keep(TestServer.fromConf("server_name: STRANGER\n" + ACCOUNTS
        + String.format(remote, new String(io.nats.client.NKey.createUser(null).getSeed()))));
    Await.until("refused dials", () -> stranger.verticle.leafNodes().closedLinks() >= 2);
    assertEquals(0, stranger.verticle.leafNodes().count());
    assertEquals(1, hub.verticle.leafNodes().count());
  }

  @Test
  void aLeafIsBoundByItsCertificate(@TempDir Path dir) throws Exception {
    assumeTrue(TestCertificates.available(), "openssl not installed");
    TestCertificates certs = TestCertificates.create(dir, "edge1", "edge2");
    String hubBlock = "leafnodes { listen: \"127.0.0.1:%d\", tls { cert_file: \"" + certs.path("server.pem")
        + "\", key_file: \"" + certs.path("server-key.pem") + "\", ca_file: \"" + certs.path("ca.pem")
        + "\", verify_and_map: true }, authorization { users [{user: \"CN=edge1\", account: B}] } }\n";
    String remote = "leafnodes { remotes [{ url: \"nats-leaf://localhost:%d\", account: A, tls { cert_file: \""
        + certs.path("%1$s.pem") + "\", key_file: \"" + certs.path("%1$s-key.pem") + "\", ca_file: \""
        + certs.path("ca.pem") + "\" } }] }\n";
    int natsvxPort = NatsServerProcess.freePort();
    TestServer hub = keep(TestServer.fromConf("server_name: HUB\n" + ACCOUNTS + String.format(hubBlock, natsvxPort)));
    List<int[]> hubs = new ArrayList<>(List.of(new int[] {natsvxPort, hub.port()}));
    if (NatsServerProcess.available()) {
      int theirPort = NatsServerProcess.freePort();
      NatsServerProcess theirs = natsServer(ACCOUNTS + String.format(hubBlock, theirPort));
      hubs.add(new int[] {theirPort, theirs.port()});
    }
    for (int[] h : hubs) {
      TestServer leaf = keep(TestServer.fromConf("server_name: LEAF" + h[0] + "\n" + ACCOUNTS
          + String.format(remote.replace("%1$s", "edge1"), h[0])));
      awaitLeafs(leaf, 1);
      exchange(connect("nats://b:b@127.0.0.1:" + h[1]), connect("nats://a:a@127.0.0.1:" + leaf.port()));
      // a certificate the hub trusts but maps to no user
      TestServer other = keep(TestServer.fromConf("server_name: OTHER" + h[0] + "\n" + ACCOUNTS
          + String.format(remote.replace("%1$s", "edge2"), h[0])));
      Await.until("refused dials", () -> other.verticle.leafNodes().closedLinks() >= 2);
      assertEquals(0, other.verticle.leafNodes().count());
    }
  }

  /** The hub's accounts: S exports a service and a stream, A imports both; leafs bind to either. */
  private static final String SHARING = "accounts {\n"
      + "  S { users [{user: s, password: s}], exports [{service: \"svc.>\"}, {stream: \"feed.>\"}] }\n"
      + "  A { users [{user: a, password: a}], imports [{service: {account: S, subject: \"svc.>\"}}, "
      + "{stream: {account: S, subject: \"feed.>\"}}] }\n"
      + "  LS { users [{user: ls, password: ls}] }\n  LA { users [{user: la, password: la}] }\n}\n";

  @Test
  void importsAndExportsOfTheHubServeItsLeafs() throws Exception {
    TestServer hub = keep(TestServer.fromConf("server_name: HUB\n" + SHARING + "leafnodes { listen: \"127.0.0.1:-1\", "
        + "authorization { users [{user: ls, password: p, account: S}, {user: la, password: p, account: A}] } }\n"));
    importsCross(hub.port(), hub.verticle.leafNodePort());
  }

  @Test
  void importsAndExportsOfANatsServerHubServeItsLeafs() throws Exception {
    assumeTrue(NatsServerProcess.available(), "nats-server not installed");
    int leafPort = NatsServerProcess.freePort();
    NatsServerProcess hub = natsServer(SHARING + "leafnodes { listen: \"127.0.0.1:" + leafPort + "\", "
        + "authorization { users [{user: ls, password: p, account: S}, {user: la, password: p, account: A}] } }\n");
    importsCross(hub.port(), leafPort);
  }

  /**
   * A leaf bound to the importer asks the exporter's service; a leaf bound to the exporter
   * feeds the importer's subscribers on the hub, and the other way round.
   */
  private void importsCross(int hubPort, int hubLeafPort) throws Exception {
    TestServer leaf = keep(TestServer.fromConf("server_name: LEAF\n" + SHARING + "leafnodes { remotes ["
        + "{ url: \"nats-leaf://la:p@127.0.0.1:" + hubLeafPort + "\", account: LA }, "
        + "{ url: \"nats-leaf://ls:p@127.0.0.1:" + hubLeafPort + "\", account: LS }] }\n"));
    awaitLeafs(leaf, 2);
    Connection exporter = connect("nats://s:s@127.0.0.1:" + hubPort);
    Connection importer = connect("nats://a:a@127.0.0.1:" + hubPort);
    Connection leafImporter = connect("nats://la:la@127.0.0.1:" + leaf.port());
    Connection leafExporter = connect("nats://ls:ls@127.0.0.1:" + leaf.port());
    // the service: a leaf client of the importer asks, the exporter's responder on the hub answers
    io.nats.client.Dispatcher d = exporter.createDispatcher(m -> exporter.publish(m.getReplyTo(), m.getData()));
    d.subscribe("svc.echo");
    exporter.flush(Duration.ofSeconds(2));
    awaitService(leafImporter, "svc.echo");
    // the stream: the exporter's leaf publishes, the importer's subscriber on the hub gets it
    Subscription feed = importer.subscribe("feed.x");
    importer.flush(Duration.ofSeconds(2));
    awaitFlow(leafExporter, feed, "feed.x");
    // and a leaf subscriber of the importer gets what the exporter publishes on the hub
    Subscription leafFeed = leafImporter.subscribe("feed.y");
    leafImporter.flush(Duration.ofSeconds(2));
    awaitFlow(exporter, leafFeed, "feed.y");
    for (int i = 0; i < 10; i++) {
      exporter.publish("feed.y", ("m" + i).getBytes(StandardCharsets.UTF_8));
    }
    exporter.flush(Duration.ofSeconds(2));
    for (int i = 0; i < 10; i++) {
      assertEquals("m" + i, new String(leafFeed.nextMessage(Duration.ofSeconds(5)).getData(), StandardCharsets.UTF_8));
    }
    assertNull(leafFeed.nextMessage(Duration.ofMillis(300)), "once each");
  }

  @Test
  void queueGroupPrefersLocalMembersAndCrossesWhenNone() throws Exception {
    TestServer hub = keep(hub(""));
    TestServer leaf = keep(leaf("LEAF", hub.verticle.leafNodePort(), "", ""));
    awaitLeafs(leaf, 1);
    Connection h = connect(hub.url());
    Connection l = connect(leaf.url());
    Subscription onHub = h.subscribe("work", "q");
    h.flush(Duration.ofSeconds(2));
    awaitFlow(l, onHub, "work");
    Subscription onLeaf = l.subscribe("work", "q");
    l.flush(Duration.ofSeconds(2));
    for (int i = 0; i < 20; i++) {
      l.publish("work", new byte[] {(byte) i});
    }
    l.flush(Duration.ofSeconds(2));
    int local = 0;
    while (onLeaf.nextMessage(Duration.ofMillis(300)) != null) {
      local++;
    }
    assertEquals(20, local, "a local member takes them all");
    assertNull(onHub.nextMessage(Duration.ofMillis(100)), "once per group");
  }

  @Test
  void accountsAreBoundOnBothSidesAndDenyListsHold() throws Exception {
    TestServer hub = keep(TestServer.fromConf("server_name: HUB\n" + ACCOUNTS
        + "leafnodes { listen: \"127.0.0.1:-1\", authorization { users [{user: ln, password: p, account: B}] } }\n"));
    TestServer leaf = keep(TestServer.fromConf("server_name: LEAF\n" + ACCOUNTS + "leafnodes { remotes [{ url: "
        + "\"nats-leaf://ln:p@127.0.0.1:" + hub.verticle.leafNodePort() + "\", account: A, "
        + "deny_exports: [\"secret.>\"], deny_imports: [\"private.>\"] }] }\n"));
    awaitLeafs(hub, 1);
    Connection hubB = connect("nats://b:b@127.0.0.1:" + hub.port());
    Connection hubA = connect("nats://a:a@127.0.0.1:" + hub.port());
    Connection leafA = connect("nats://a:a@127.0.0.1:" + leaf.port());
    exchange(hubB, leafA);
    // the hub's account A is not linked
    Subscription otherAccount = hubA.subscribe("to.0");
    Subscription linked = hubB.subscribe("to.0");
    hubA.flush(Duration.ofSeconds(2));
    hubB.flush(Duration.ofSeconds(2));
    awaitFlow(leafA, linked, "to.0");
    assertNull(otherAccount.nextMessage(Duration.ofMillis(200)), "only the bound account");
    // deny_exports: the leaf never sends secret.>; deny_imports: never takes private.>
    Subscription secret = hubB.subscribe("secret.x");
    Subscription privateOnLeaf = leafA.subscribe("private.x");
    Subscription open = hubB.subscribe("open.x");
    hubB.flush(Duration.ofSeconds(2));
    leafA.flush(Duration.ofSeconds(2));
    awaitFlow(leafA, open, "open.x");
    leafA.publish("secret.x", "s".getBytes(StandardCharsets.UTF_8));
    hubB.publish("private.x", "p".getBytes(StandardCharsets.UTF_8));
    leafA.flush(Duration.ofSeconds(2));
    hubB.flush(Duration.ofSeconds(2));
    assertNull(secret.nextMessage(Duration.ofMillis(300)), "deny_exports");
    // JetStream's API never crosses (nats-server's deny without a shared domain): each side answers its own
    Subscription jsApi = hubB.subscribe("$JS.API.>");
    hubB.flush(Duration.ofSeconds(2));
    awaitFlow(leafA, open, "open.x");
    leafA.publish("$JS.API.INFO", "{}".getBytes(StandardCharsets.UTF_8));
    leafA.flush(Duration.ofSeconds(2));
    assertNull(jsApi.nextMessage(Duration.ofMillis(300)), "no JetStream API across the leaf");
    assertNull(privateOnLeaf.nextMessage(Duration.ofMillis(300)), "deny_imports");
  }

  @Test
  void aLeafWithTheWrongPasswordIsRefused() throws Exception {
    TestServer hub = keep(hub("authorization { user: ln, password: right }"));
    TestServer leaf = keep(TestServer.fromConf("server_name: LEAF\nleafnodes { reconnect: 1, remotes [{ url: "
        + "\"nats-leaf://ln:wrong@127.0.0.1:" + hub.verticle.leafNodePort() + "\" }] }\n"));
    Await.until("two refused attempts", () -> hub.verticle.leafNodes().closedLinks() >= 2);
    assertEquals(0, hub.verticle.leafNodes().count());
    assertEquals(0, leaf.verticle.leafNodes().count());
  }

  @Test
  void restartingTheHubHealsTheLink() throws Exception {
    TestServer hub = hub("");
    int leafPort = hub.verticle.leafNodePort();
    TestServer leaf = keep(leaf("LEAF", leafPort, "", ""));
    awaitLeafs(leaf, 1);
    hub.close();
    Await.until("link gone", () -> leaf.verticle.leafNodes().count() == 0);
    TestServer again = keep(TestServer.fromConf("server_name: HUB\nleafnodes { listen: \"127.0.0.1:" + leafPort
        + "\" }\n"));
    awaitLeafs(leaf, 1);
    exchange(connect(again.url()), connect(leaf.url()));
  }

  @Test
  void aLoopIsDetectedAndRefused() throws Exception {
    // A dials B and B dials A: each side's loop detection subject comes back over the other link.
    int aPort = NatsServerProcess.freePort();
    int bPort = NatsServerProcess.freePort();
    TestServer a = keep(TestServer.fromConf("server_name: A\nleafnodes { listen: \"127.0.0.1:" + aPort
        + "\", remotes [{url: \"nats-leaf://127.0.0.1:" + bPort + "\"}] }\n"));
    TestServer b = keep(TestServer.fromConf("server_name: B\nleafnodes { listen: \"127.0.0.1:" + bPort
        + "\", remotes [{url: \"nats-leaf://127.0.0.1:" + aPort + "\"}] }\n"));
    Await.until("a loop detected", () -> a.verticle.leafNodes().loops() + b.verticle.leafNodes().loops() > 0);
    Connection ca = connect(a.url());
    Connection cb = connect(b.url());
    Subscription sub = cb.subscribe("loop.test");
    cb.flush(Duration.ofSeconds(2));
    // Whatever link is left (the cut ones wait 30 s to redial), a message never goes round.
    ca.publish("loop.test", "once".getBytes(StandardCharsets.UTF_8));
    ca.flush(Duration.ofSeconds(2));
    int got = 0;
    while (sub.nextMessage(Duration.ofMillis(300)) != null) {
      got++;
    }
    assertEquals(true, got <= 1, "at most once, got " + got);
  }

  // ---- with nats-server -----------------------------------------------------------------------

  @Test
  void natsvxLeafOnNatsServerHub() throws Exception {
    assumeTrue(NatsServerProcess.available(), "nats-server not installed");
    int leafPort = NatsServerProcess.freePort();
    int httpPort = NatsServerProcess.freePort();
    NatsServerProcess hub = natsServer("http_port: " + httpPort + "\n" + ACCOUNTS + "leafnodes { listen: \"127.0.0.1:" + leafPort + "\", "
        + "authorization { users [{user: ln, password: p, account: B}] } }\n");
    TestServer leaf = keep(TestServer.fromConf("server_name: LEAF\nhttp_port: -1\n" + ACCOUNTS
        + "leafnodes { remotes [{ url: \"nats-leaf://ln:p@127.0.0.1:" + leafPort + "\", account: A }] }\n"));
    awaitLeafs(leaf, 1);
    exchange(connect("nats://b:b@127.0.0.1:" + hub.port()), connect("nats://a:a@127.0.0.1:" + leaf.port()));
    // /leafz: the same fields on both ends, each naming its own account
    io.vertx.core.json.JsonObject theirs = Http.json(httpPort, "/leafz?subs=1");
    io.vertx.core.json.JsonObject ours = Http.json(leaf.verticle.monitorPort(), "/leafz?subs=1");
    assertEquals(theirs.fieldNames(), ours.fieldNames());
    assertEquals(1, ours.getInteger("leafnodes"));
    io.vertx.core.json.JsonObject theirLeaf = theirs.getJsonArray("leafs").getJsonObject(0);
    io.vertx.core.json.JsonObject ourLeaf = ours.getJsonArray("leafs").getJsonObject(0);
    assertEquals(new java.util.TreeSet<>(theirLeaf.fieldNames()), new java.util.TreeSet<>(ourLeaf.fieldNames()));
    assertEquals("B", theirLeaf.getString("account"));
    assertEquals("A", ourLeaf.getString("account"));
    assertEquals(1, Http.json(leaf.verticle.monitorPort(), "/varz").getInteger("leafnodes"));
    // /varz leaf: the same block for the same remotes (nats-server's hub has no remotes, this leaf no listener)
    io.vertx.core.json.JsonObject ourVarz = Http.json(leaf.verticle.monitorPort(), "/varz").getJsonObject("leaf");
    io.vertx.core.json.JsonObject remote = ourVarz.getJsonArray("remotes").getJsonObject(0);
    assertEquals("A", remote.getString("local_account"));
    assertEquals(List.of("127.0.0.1:" + leafPort), remote.getJsonArray("urls").getList());
    io.vertx.core.json.JsonObject theirVarz = Http.json(httpPort, "/varz").getJsonObject("leaf");
    assertEquals(java.util.Set.of("host", "port", "auth_timeout", "tls_timeout"), theirVarz.fieldNames());
    assertEquals(java.util.Set.of("auth_timeout", "tls_timeout", "remotes"), ourVarz.fieldNames());
    assertEquals(leafPort, theirVarz.getInteger("port"));
  }

  @Test
  void natsServerLeafOnNatsvxHub() throws Exception {
    assumeTrue(NatsServerProcess.available(), "nats-server not installed");
    TestServer hub = keep(TestServer.fromConf("server_name: HUB\n" + ACCOUNTS + "leafnodes { listen: "
        + "\"127.0.0.1:-1\", authorization { users [{user: ln, password: p, account: B}] } }\n"));
    NatsServerProcess leaf = natsServer(ACCOUNTS + "leafnodes { remotes [{ url: \"nats-leaf://ln:p@127.0.0.1:"
        + hub.verticle.leafNodePort() + "\", account: A }] }\n");
    awaitLeafs(hub, 1);
    exchange(connect("nats://b:b@127.0.0.1:" + hub.port()), connect("nats://a:a@127.0.0.1:" + leaf.port()));
  }
}
