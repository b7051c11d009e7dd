package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import io.natsvx.config.ClusterOptions;
import io.natsvx.route.RouteConnection;
import io.natsvx.subject.MatchResult;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three natsvx servers in this JVM form a cluster from one seed (B and C know only A; C finds B
 * by gossip), and jnats clients on different nodes talk through it.
 */
class ClusterIT {

  private TestServer a;
  private TestServer b;
  private TestServer c;
  private final List<Connection> clients = new ArrayList<>();

  @BeforeEach
  void meshOfThree() throws Exception {
    a = node("A", List.of());
    b = node("B", List.of(routeTo(a)));
    c = node("C", List.of(routeTo(a)));
    awaitMesh(a, b, c);
  }

  @AfterEach
  void stop() throws Exception {
    for (Connection nc : clients) {
      nc.close();
    }
    for (TestServer s : new TestServer[] {c, b, a}) {
      if (s != null) {
        s.close();
      }
    }
  }

  static TestServer node(String name, List<URI> routes) throws Exception {
    return TestServer.start(o -> o.serverName(name).httpPort(-1)
        .cluster(ClusterOptions.NONE.withListen("127.0.0.1", -1).withName("it").withRoutes(routes)));
  }

  static URI routeTo(TestServer s) {
    return URI.create("nats-route://127.0.0.1:" + s.verticle.clusterPort());
  }

  /** Every node has a route to every other one. */
  static void awaitMesh(TestServer... nodes) {
    awaitRoutes(nodes.length - 1, nodes);
  }

  /** Each of {@code nodes} has {@code count} routes. */
  static void awaitRoutes(int count, TestServer... nodes) {
    Await.until(count + " routes on each node", () -> {
      for (TestServer n : nodes) {
        if (n.verticle.server().cluster().routeCount() != count) {
          return false;
        }
      }
      return true;
    });
  }

  /** {@code on} has learned over a route that some other server's clients want {@code subject}. */
  static void awaitRemoteInterest(TestServer on, String subject, int routes) {
    Await.until("interest in " + subject + " over " + routes + " routes", () -> {
      MatchResult r = on.verticle.server().globalAccount().subjects().match(subject);
      java.util.Set<Object> owners = new java.util.HashSet<>();
      for (io.natsvx.subject.Subscription s : r.plain()) {
        if (s.owner() instanceof RouteConnection rc) {
          owners.add(rc);
        }
      }
      for (io.natsvx.subject.Subscription[] q : r.queues()) {
        for (io.natsvx.subject.Subscription s : q) {
          if (s.owner() instanceof RouteConnection rc) {
            owners.add(rc);
          }
        }
      }
      return owners.size() >= routes;
    });
  }

  private Connection connect(TestServer s) throws Exception {
    Connection nc = Nats.connect(new io.nats.client.Options.Builder().server(s.url()).build());
    clients.add(nc);
    return nc;
  }

  @Test
  void gossipMakesAFullMeshFromOneSeed() {
    // C knew only A: its route to B came from A forwarding B's INFO.
    assertEquals(2, c.verticle.server().cluster().routeCount());
    assertEquals(2, b.verticle.server().cluster().routeCount());
  }

  @Test
  void messagesCrossEveryPairOfNodes() throws Exception {
    TestServer[] nodes = {a, b, c};
    Connection[] ncs = {connect(a), connect(b), connect(c)};
    Subscription[] subs = new Subscription[3];
    for (int i = 0; i < 3; i++) {
      subs[i] = ncs[i].subscribe("pair." + i);
      ncs[i].flush(Duration.ofSeconds(2));
    }
    for (int i = 0; i < 3; i++) {
      awaitRemoteInterest(nodes[(i + 1) % 3], "pair." + i, 1);
      awaitRemoteInterest(nodes[(i + 2) % 3], "pair." + i, 1);
    }
    for (int from = 0; from < 3; from++) {
      for (int to = 0; to < 3; to++) {
        if (from != to) {
          ncs[from].publish("pair." + to, (from + ">" + to).getBytes(StandardCharsets.UTF_8));
        }
      }
      ncs[from].flush(Duration.ofSeconds(2));
    }
    for (int to = 0; to < 3; to++) {
      List<String> got = new ArrayList<>();
      for (int k = 0; k < 2; k++) {
        Message m = subs[to].nextMessage(Duration.ofSeconds(5));
        assertNotNull(m, "node " + to + " message " + k);
        got.add(new String(m.getData(), StandardCharsets.UTF_8));
      }
      got.sort(null);
      assertEquals(List.of((to + 1) % 3 < (to + 2) % 3 ? ((to + 1) % 3 + ">" + to) : ((to + 2) % 3 + ">" + to),
          (to + 1) % 3 < (to + 2) % 3 ? ((to + 2) % 3 + ">" + to) : ((to + 1) % 3 + ">" + to)), got);
      assertNull(subs[to].nextMessage(Duration.ofMillis(100)), "each message once");
    }
  }

  @Test
  void wildcardInterestAndHeadersCrossOnce() throws Exception {
    Connection sub = connect(c);
    Subscription wild = sub.subscribe("orders.*.created");
    Subscription full = sub.subscribe("orders.>");
    sub.flush(Duration.ofSeconds(2));
    awaitRemoteInterest(a, "orders.eu.created", 1);
    Connection pub = connect(a);
    io.nats.client.impl.Headers h = new io.nats.client.impl.Headers().add("Trace", "t1");
    pub.publish("orders.eu.created", "reply.here", h, "x".getBytes(StandardCharsets.UTF_8));
    pub.flush(Duration.ofSeconds(2));
    for (Subscription s : new Subscription[] {wild, full}) {
      Message m = s.nextMessage(Duration.ofSeconds(5));
      assertNotNull(m);
      assertEquals("t1", m.getHeaders().getFirst("Trace"));
      assertEquals("reply.here", m.getReplyTo());
      assertNull(s.nextMessage(Duration.ofMillis(100)), "one RMSG per route, delivered to each local sub once");
    }
    assertEquals(1, c.verticle.routes().withRoutes(rs -> rs.stream()
        .filter(r -> "A".equals(r.remoteName())).mapToLong(RouteConnection::inMsgs).sum())
        .toCompletionStage().toCompletableFuture().get(), "one message crossed the route from A");
  }

  @Test
  void requestReplyAcrossNodes() throws Exception {
    Connection responder = connect(b);
    Dispatcher d = responder.createDispatcher(m -> responder.publish(m.getReplyTo(),
        ("re:" + new String(m.getData(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)));
    d.subscribe("svc.echo");
    responder.flush(Duration.ofSeconds(2));
    awaitRemoteInterest(c, "svc.echo", 1);
    Connection requester = connect(c);
    Message reply = requester.request("svc.echo", "hi".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
    assertEquals("re:hi", new String(reply.getData(), StandardCharsets.UTF_8));
  }

  @Test
  void queueGroupsDeliverEachMessageOnceClusterWide() throws Exception {
    Map<String, AtomicInteger> perNode = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> perMessage = new ConcurrentHashMap<>();
    TestServer[] nodes = {b, c};
    for (TestServer n : nodes) {
      Connection nc = connect(n);
      for (int k = 0; k < 2; k++) {
        Dispatcher d = nc.createDispatcher(m -> {
          perNode.computeIfAbsent(nc.getServerInfo().getServerName(), x -> new AtomicInteger()).incrementAndGet();
          perMessage.computeIfAbsent(new String(m.getData(), StandardCharsets.UTF_8), x -> new AtomicInteger())
              .incrementAndGet();
        });
        d.subscribe("work", "workers");
      }
      nc.flush(Duration.ofSeconds(2));
    }
    awaitRemoteInterest(a, "work", 2);
    Connection pub = connect(a);
    int total = 400;
    for (int i = 0; i < total; i++) {
      pub.publish("work", Integer.toString(i).getBytes(StandardCharsets.UTF_8));
    }
    pub.flush(Duration.ofSeconds(2));
    Await.until(total + " messages", () -> perMessage.size() == total);
    assertTrue(perMessage.values().stream().allMatch(n -> n.get() == 1), "each message exactly once");
    assertTrue(perNode.get("B").get() > 0 && perNode.get("C").get() > 0, "both nodes' members work: " + perNode);
  }

  @Test
  void aLocalQueueMemberIsPreferred() throws Exception {
    Connection remote = connect(b);
    Subscription far = remote.subscribe("jobs", "g");
    remote.flush(Duration.ofSeconds(2));
    awaitRemoteInterest(a, "jobs", 1);
    Connection local = connect(a);
    Subscription near = local.subscribe("jobs", "g");
    local.flush(Duration.ofSeconds(2));
    for (int i = 0; i < 50; i++) {
      local.publish("jobs", new byte[] {(byte) i});
    }
    local.flush(Duration.ofSeconds(2));
    for (int i = 0; i < 50; i++) {
      assertNotNull(near.nextMessage(Duration.ofSeconds(5)));
    }
    assertNull(far.nextMessage(Duration.ofMillis(200)));
  }

  @Test
  void unsubscribeRemovesTheRemoteInterest() throws Exception {
    Connection nc = connect(b);
    Subscription s = nc.subscribe("gone.soon");
    nc.flush(Duration.ofSeconds(2));
    awaitRemoteInterest(a, "gone.soon", 1);
    s.unsubscribe();
    nc.flush(Duration.ofSeconds(2));
    Await.until("the remote interest to go",
        () -> a.verticle.server().globalAccount().subjects().match("gone.soon").isEmpty());
  }

  @Test
  void clientsLearnTheClusterUrlsAndHearOfChanges() throws Exception {
    Connection nc = connect(a);
    String bUrl = "127.0.0.1:" + b.port();
    String cUrl = "127.0.0.1:" + c.port();
    Await.until("B's and C's URLs", () -> nc.getServerInfo().getConnectURLs().containsAll(List.of(bUrl, cUrl)));
    assertTrue(nc.getServerInfo().getConnectURLs().contains("127.0.0.1:" + a.port()), "its own URL too");
    c.close();
    c = null;
    Await.until("C's URL to go", () -> !nc.getServerInfo().getConnectURLs().contains(cUrl));
    assertTrue(nc.getServerInfo().getConnectURLs().contains(bUrl));
  }

  @Test
  void aNodeRestartHealsTheMeshAndClientsFailOverWithoutDuplicates() throws Exception {
    Connection watcher = connect(c);
    Subscription plain = watcher.subscribe("after.*");
    Map<String, AtomicInteger> worked = new ConcurrentHashMap<>();
    for (TestServer n : new TestServer[] {a, c}) {
      Connection nc = connect(n);
      nc.createDispatcher(m -> worked.computeIfAbsent(new String(m.getData(), StandardCharsets.UTF_8),
          k -> new AtomicInteger()).incrementAndGet()).subscribe("work", "g");
      nc.flush(Duration.ofSeconds(2));
    }
    watcher.flush(Duration.ofSeconds(2));
    // A client that only knows B: the cluster tells it about A and C.
    Connection mover = Nats.connect(new io.nats.client.Options.Builder().server(b.url())
        .reconnectWait(Duration.ofMillis(50)).maxReconnects(-1).build());
    clients.add(mover);
    Await.until("three cluster URLs", () -> mover.getServerInfo().getConnectURLs().size() == 3);
    String bName = "B";
    b.close();
    Await.until("the client to fail over from B", () -> mover.getStatus() == Connection.Status.CONNECTED
        && !bName.equals(mover.getServerInfo().getServerName()));
    awaitRoutes(1, a, c);

    b = node("B", List.of(routeTo(a)));
    awaitMesh(a, b, c);
    awaitRemoteInterest(b, "after.x", 1);
    awaitRemoteInterest(b, "work", 2);
    Connection onB = connect(b);
    int total = 200;
    for (int i = 0; i < total; i++) {
      onB.publish("after.x", Integer.toString(i).getBytes(StandardCharsets.UTF_8));
      mover.publish("work", ("m" + i).getBytes(StandardCharsets.UTF_8));
      onB.publish("work", ("b" + i).getBytes(StandardCharsets.UTF_8));
    }
    onB.flush(Duration.ofSeconds(2));
    mover.flush(Duration.ofSeconds(2));
    for (int i = 0; i < total; i++) {
      Message m = plain.nextMessage(Duration.ofSeconds(5));
      assertNotNull(m, "message " + i);
      assertEquals(Integer.toString(i), new String(m.getData(), StandardCharsets.UTF_8), "in order, once");
    }
    assertNull(plain.nextMessage(Duration.ofMillis(200)), "no duplicates after the restart");
    Await.until(2 * total + " jobs", () -> worked.size() == 2 * total);
    assertTrue(worked.values().stream().allMatch(n -> n.get() == 1), "each job once");
  }

  @Test
  void routezAndVarzShowTheRoutes() throws Exception {
    Connection nc = connect(b);
    nc.subscribe("seen.here");
    nc.subscribe("work.q", "grp");
    nc.flush(Duration.ofSeconds(2));
    awaitRemoteInterest(a, "seen.here", 1);
    awaitRemoteInterest(a, "work.q", 1);
    io.vertx.core.json.JsonObject routez = Http.json(a.verticle.monitorPort(), "/routez?subs=1");
    assertEquals(a.verticle.server().serverId(), routez.getString("server_id"));
    assertEquals(2, routez.getInteger("num_routes"));
    io.vertx.core.json.JsonObject toB = null;
    for (Object o : routez.getJsonArray("routes")) {
      io.vertx.core.json.JsonObject r = (io.vertx.core.json.JsonObject) o;
      if (b.verticle.server().serverId().equals(r.getString("remote_id"))) {
        toB = r;
      }
    }
    assertNotNull(toB, routez.encodePrettily());
    assertEquals(false, toB.getBoolean("did_solicit"), "B dialled A");
    assertEquals("127.0.0.1", toB.getString("ip"));
    assertTrue(toB.getJsonArray("subscriptions_list").contains("seen.here"), toB.encode());
    for (String key : List.of("rid", "remote_id", "did_solicit", "is_configured", "ip", "port", "start",
        "last_activity", "uptime", "idle", "pending_size", "in_msgs", "out_msgs", "in_bytes", "out_bytes",
        "subscriptions")) {
      assertTrue(toB.containsKey(key), key);
    }
    io.vertx.core.json.JsonObject detail = Http.json(a.verticle.monitorPort(), "/routez?subs=detail");
    String detailText = detail.encode();
    assertTrue(detailText.contains("\"qgroup\":\"grp\""), detailText);

    io.vertx.core.json.JsonObject varz = Http.json(b.verticle.monitorPort(), "/varz");
    assertEquals(2, varz.getInteger("routes"));
    io.vertx.core.json.JsonObject cluster = varz.getJsonObject("cluster");
    assertEquals("it", cluster.getString("name"));
    assertEquals(b.verticle.clusterPort(), cluster.getInteger("cluster_port"));
    assertEquals(List.of("127.0.0.1:" + a.verticle.clusterPort()), cluster.getJsonArray("urls").getList());
  }

  @Test
  void configuredRoutesAreRedialledWhenTheirPeerComesBack() throws Exception {
    int seedPort = a.verticle.clusterPort();
    a.close();
    a = null;
    awaitRoutes(1, b, c);
    a = TestServer.start(o -> o.serverName("A").cluster(ClusterOptions.NONE.withListen("127.0.0.1", seedPort)
        .withName("it")));
    awaitMesh(a, b, c); // B and C dial their configured route again; A dials no one
    Connection onA = connect(a);
    Subscription s = onA.subscribe("back");
    onA.flush(Duration.ofSeconds(2));
    awaitRemoteInterest(b, "back", 1);
    connect(b).publish("back", new byte[] {1});
    assertNotNull(s.nextMessage(Duration.ofSeconds(5)));
  }

  @Test
  void accountsTravelWithInterestAndMessages() throws Exception {
    java.util.function.UnaryOperator<io.natsvx.config.ServerOptions.Builder> accounts = o -> o.accounts(List.of(
        new io.natsvx.config.AccountOptions("A", List.of(new io.natsvx.config.AuthOptions.UserOptions("a", "a", null,
            null)), List.of(), List.of()),
        new io.natsvx.config.AccountOptions("B", List.of(new io.natsvx.config.AuthOptions.UserOptions("b", "b", null,
            null)), List.of(), List.of())));
    try (TestServer x = TestServer.start(o -> accounts.apply(o.serverName("X")
            .cluster(ClusterOptions.NONE.withListen("127.0.0.1", -1).withName("acc"))));
        TestServer y = TestServer.start(o -> accounts.apply(o.serverName("Y")
            .cluster(ClusterOptions.NONE.withListen("127.0.0.1", -1).withName("acc").withRoutes(List.of(routeTo(x))))));
        Connection subA = Nats.connect(new io.nats.client.Options.Builder().server(y.url()).userInfo("a", "a").build());
        Connection subB = Nats.connect(new io.nats.client.Options.Builder().server(y.url()).userInfo("b", "b").build());
        Connection pubA = Nats.connect(new io.nats.client.Options.Builder().server(x.url()).userInfo("a", "a").build())) {
      awaitMesh(x, y);
      Subscription inA = subA.subscribe("shared.subject");
      Subscription inB = subB.subscribe("shared.subject");
      subA.flush(Duration.ofSeconds(2));
      subB.flush(Duration.ofSeconds(2));
      Await.until("interest in both accounts",
          () -> !x.verticle.server().accounts().get("A").subjects().match("shared.subject").isEmpty()
              && !x.verticle.server().accounts().get("B").subjects().match("shared.subject").isEmpty());
      pubA.publish("shared.subject", "for A".getBytes(StandardCharsets.UTF_8));
      pubA.flush(Duration.ofSeconds(2));
      Message m = inA.nextMessage(Duration.ofSeconds(5));
      assertNotNull(m);
      assertEquals("for A", new String(m.getData(), StandardCharsets.UTF_8));
      assertNull(inB.nextMessage(Duration.ofMillis(200)), "account B's subscriber hears nothing of account A");
    }
  }
}
