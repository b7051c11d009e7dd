package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three natsvx server processes clustered with the command-line flags; one is killed with
 * SIGKILL and started again: the mesh heals, its client fails over, nothing arrives twice.
 */
class ClusterProcessIT {

  @TempDir
  Path dir;

  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (Process p : processes) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private record Node(String name, int port, int clusterPort, int httpPort) {
    String url() {
      return "nats://127.0.0.1:" + port;
    }
  }

  private static Node node(String name) throws IOException {
    return new Node(name, NatsServerProcess.freePort(), NatsServerProcess.freePort(), NatsServerProcess.freePort());
  }

  private Process start(Node n, Node seed) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "io.natsvx.Main",
        "-a", "127.0.0.1", "-p", Integer.toString(n.port()), "-n", n.name(), "-m", Integer.toString(n.httpPort()),
        "--cluster", "nats://127.0.0.1:" + n.clusterPort(), "--cluster_name", "procs"));
    if (seed != null) {
      cmd.addAll(List.of("--routes", "nats-route://127.0.0.1:" + seed.clusterPort()));
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve(n.name() + "-" + processes.size() + ".log").toFile()).start();
    processes.add(p);
    Await.until(n.name() + " to listen", Duration.ofSeconds(30), () -> {
      assertTrue(p.isAlive(), n.name() + " died");
      try (Socket s = new Socket("127.0.0.1", n.port())) {
        return true;
      }
    });
    return p;
  }

  private static void awaitRoutes(int count, Node... nodes) {
    Await.until(count + " routes on each node", () -> {
      for (Node n : nodes) {
        if (Http.json(n.httpPort(), "/varz").getInteger("routes") != count) {
          return false;
        }
      }
      return true;
    });
  }

  /** Publishes probes on {@code from} until {@code sub} gets one, then drains the probes. */
  private static void awaitFlow(Connection from, Subscription sub, String subject) throws Exception {
    Await.until("flow on " + subject, () -> {
      from.publish(subject, "probe".getBytes(StandardCharsets.UTF_8));
      from.flush(Duration.ofSeconds(2));
      return sub.nextMessage(Duration.ofMillis(50)) != null;
    });
    while (sub.nextMessage(Duration.ofMillis(100)) != null) {
      // the other probes: nothing more for 100 ms
    }
  }

  @Test
  void aKilledNodeComesBackAndTheClusterHeals() throws Exception {
    Node a = node("A");
    Node b = node("B");
    Node c = node("C");
    start(a, null);
    Process pb = start(b, a);
    start(c, a);
    awaitRoutes(2, a, b, c);

    try (Connection onC = Nats.connect(c.url());
        Connection onB = Nats.connect(new io.nats.client.Options.Builder().server(b.url())
            .reconnectWait(Duration.ofMillis(100)).maxReconnects(-1).build())) {
      Subscription sub = onC.subscribe("proc.>");
      onC.flush(Duration.ofSeconds(2));
      awaitFlow(onB, sub, "proc.probe");
      Await.until("three cluster URLs", () -> onB.getServerInfo().getConnectURLs().size() == 3);
      queueAndRequestAcrossProcesses(a, c, onB);

      pb.destroyForcibly();
      pb.waitFor(10, TimeUnit.SECONDS);
      awaitRoutes(1, a, c);
      Await.until("B's client to fail over", () -> onB.getStatus() == Connection.Status.CONNECTED
          && !"B".equals(onB.getServerInfo().getServerName()));

      start(b, a);
      awaitRoutes(2, a, b, c);
      try (Connection again = Nats.connect(b.url())) {
        awaitFlow(again, sub, "proc.probe");
        for (int i = 0; i < 100; i++) {
          again.publish("proc.b", Integer.toString(i).getBytes(StandardCharsets.UTF_8));
          onB.publish("proc.moved", Integer.toString(i).getBytes(StandardCharsets.UTF_8));
        }
        again.flush(Duration.ofSeconds(2));
        onB.flush(Duration.ofSeconds(2));
        int fromB = 0;
        int moved = 0;
        for (int i = 0; i < 200; i++) {
          Message m = sub.nextMessage(Duration.ofSeconds(5));
          assertNotNull(m, "message " + i);
          if (m.getSubject().equals("proc.b")) {
            assertEquals(Integer.toString(fromB++), new String(m.getData(), StandardCharsets.UTF_8));
          } else {
            assertEquals(Integer.toString(moved++), new String(m.getData(), StandardCharsets.UTF_8));
          }
        }
        assertNull(sub.nextMessage(Duration.ofMillis(200)), "nothing twice");
      }
    }
  }

  /** Queue members on A and C share B's messages, each once; a responder on C answers B. */
  private static void queueAndRequestAcrossProcesses(Node a, Node c, Connection onB) throws Exception {
    java.util.Map<String, java.util.concurrent.atomic.AtomicInteger> seen = new java.util.concurrent.ConcurrentHashMap<>();
    try (Connection qa = Nats.connect(a.url()); Connection qc = Nats.connect(c.url())) {
      for (Connection q : new Connection[] {qa, qc}) {
        q.createDispatcher(m -> seen.computeIfAbsent(new String(m.getData(), StandardCharsets.UTF_8),
            k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet()).subscribe("proc.q", "g");
        q.createDispatcher(m -> q.publish(m.getReplyTo(), "pong".getBytes(StandardCharsets.UTF_8)))
            .subscribe("proc.svc");
        q.flush(Duration.ofSeconds(2));
      }
      // no responders (an exception) or no reply in time (null): interest still crossing
      Message reply = Await.value("a request from B answered on another node", Await.DEFAULT_TIMEOUT,
          () -> onB.request("proc.svc", new byte[0], Duration.ofMillis(500)), java.util.Objects::nonNull);
      assertEquals("pong", new String(reply.getData(), StandardCharsets.UTF_8));
      for (int i = 0; i < 300; i++) {
        onB.publish("proc.q", ("j" + i).getBytes(StandardCharsets.UTF_8));
      }
      onB.flush(Duration.ofSeconds(2));
      Await.until("300 jobs", () -> seen.size() == 300);
      assertTrue(seen.values().stream().allMatch(n -> n.get() == 1), "each job once across processes");
    }
  }
}
