package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
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
 * Two natsvx nodes and one nats-server 2.9 node in one cluster: nats-server knows only natsvx
 * A, natsvx B knows only A, and gossip makes the mesh. Messages, queue groups and request/reply
 * go every way. Skipped where nats-server is not installed.
 */
class MixedClusterIT {

  private TestServer a;
  private TestServer b;
  private NatsServerProcess n;
  private final List<Connection> clients = new ArrayList<>();

  @BeforeEach
  void mixedMesh() throws Exception {
    assumeTrue(NatsServerProcess.available(), "nats-server not installed");
    a = ClusterIT.node("A", List.of());
    n = NatsServerProcess.start("-n", "N", "--cluster_name", "it",
        "--cluster", "nats://127.0.0.1:" + NatsServerProcess.freePort(),
        "--routes", ClusterIT.routeTo(a).toString());
    b = ClusterIT.node("B", List.of(ClusterIT.routeTo(a)));
    ClusterIT.awaitRoutes(2, a, b);
  }

  @AfterEach
  void stop() throws Exception {
    for (Connection nc : clients) {
      nc.close();
    }
    if (b != null) {
      b.close();
    }
    if (n != null) {
      n.close();
    }
    if (a != null) {
      a.close();
    }
  }

  private Connection connect(String url) throws Exception {
    Connection nc = Nats.connect(new io.nats.client.Options.Builder().server(url).build());
    clients.add(nc);
    return nc;
  }

  private String nUrl() {
    return "nats://127.0.0.1:" + n.port();
  }

  /** Sends on {@code from} until {@code sub} gets it: interest crosses the mesh asynchronously. */
  private static void awaitFlow(Connection from, Subscription sub, String subject) throws Exception {
    Await.until("message flow to " + subject, () -> {
      from.publish(subject, "probe".getBytes(StandardCharsets.UTF_8));
      from.flush(Duration.ofSeconds(2));
      return sub.nextMessage(Duration.ofMillis(50)) != null;
    });
    while (sub.nextMessage(Duration.ofMillis(100)) != null) {
      // drain the other probes: nothing more for 100 ms
    }
  }

  @Test
  void messagesFlowBetweenEveryPair() throws Exception {
    String[] names = {"A", "B", "N"};
    Connection[] ncs = {connect(a.url()), connect(b.url()), connect(nUrl())};
    Subscription[] subs = new Subscription[3];
    for (int i = 0; i < 3; i++) {
      subs[i] = ncs[i].subscribe("to." + names[i]);
      ncs[i].flush(Duration.ofSeconds(2));
    }
    for (int from = 0; from < 3; from++) {
      for (int to = 0; to < 3; to++) {
        if (from == to) {
          continue;
        }
        awaitFlow(ncs[from], subs[to], "to." + names[to]);
        io.nats.client.impl.Headers h = new io.nats.client.impl.Headers().add("From", names[from]);
        ncs[from].publish("to." + names[to], "r." + names[from], h, names[from].getBytes(StandardCharsets.UTF_8));
        ncs[from].flush(Duration.ofSeconds(2));
        Message m = subs[to].nextMessage(Duration.ofSeconds(5));
        assertNotNull(m, names[from] + " -> " + names[to]);
        assertEquals(names[from], new String(m.getData(), StandardCharsets.UTF_8));
        assertEquals(names[from], m.getHeaders().getFirst("From"));
        assertEquals("r." + names[from], m.getReplyTo());
        assertNull(subs[to].nextMessage(Duration.ofMillis(100)), "once");
      }
    }
  }

  @Test
  void requestReplyEveryWay() throws Exception {
    String[] names = {"A", "B", "N"};
    Connection[] ncs = {connect(a.url()), connect(b.url()), connect(nUrl())};
    for (int i = 0; i < 3; i++) {
      Connection nc = ncs[i];
      String name = names[i];
      Dispatcher d = nc.createDispatcher(m -> nc.publish(m.getReplyTo(), name.getBytes(StandardCharsets.UTF_8)));
      d.subscribe("svc." + name);
      nc.flush(Duration.ofSeconds(2));
    }
    for (int from = 0; from < 3; from++) {
      for (int to = 0; to < 3; to++) {
        if (from == to) {
          continue;
        }
        // no responders (an exception) or no reply in time (null): interest not there yet
        Connection asking = ncs[from];
        String service = "svc." + names[to];
        Message reply = Await.value(names[from] + " asks " + names[to], Await.DEFAULT_TIMEOUT,
            () -> asking.request(service, new byte[0], Duration.ofMillis(500)), java.util.Objects::nonNull);
        assertEquals(names[to], new String(reply.getData(), StandardCharsets.UTF_8));
      }
    }
  }

  @Test
  void queueGroupsSpanBothKindsOfServer() throws Exception {
    Map<String, AtomicInteger> perMessage = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> perServer = new ConcurrentHashMap<>();
    Connection onB = connect(b.url());
    Connection onN = connect(nUrl());
    for (Connection nc : new Connection[] {onB, onN}) {
      Dispatcher d = nc.createDispatcher(m -> {
        perMessage.computeIfAbsent(new String(m.getData(), StandardCharsets.UTF_8), k -> new AtomicInteger())
            .incrementAndGet();
        perServer.computeIfAbsent(nc.getServerInfo().getServerName(), k -> new AtomicInteger()).incrementAndGet();
      });
      d.subscribe("jobs", "workers");
      nc.flush(Duration.ofSeconds(2));
    }
    Connection pub = connect(a.url());
    ClusterIT.awaitRemoteInterest(a, "jobs", 2);
    int total = 300;
    for (int i = 0; i < total; i++) {
      pub.publish("jobs", Integer.toString(i).getBytes(StandardCharsets.UTF_8));
    }
    pub.flush(Duration.ofSeconds(2));
    Await.until(total + " jobs from B", () -> perMessage.size() == total);
    assertTrue(perMessage.values().stream().allMatch(c -> c.get() == 1), "each job once");
    assertTrue(perServer.containsKey("B") && perServer.containsKey("N"), "both servers' members: " + perServer);

    // And from nats-server's side: its own member is preferred or not, each message still goes once.
    perMessage.clear();
    Connection pubN = connect(nUrl());
    for (int i = 0; i < total; i++) {
      pubN.publish("jobs", ("n" + i).getBytes(StandardCharsets.UTF_8));
    }
    pubN.flush(Duration.ofSeconds(2));
    Await.until(total + " jobs from N", () -> perMessage.size() == total);
    assertTrue(perMessage.values().stream().allMatch(c -> c.get() == 1), "each job once");
  }
}
