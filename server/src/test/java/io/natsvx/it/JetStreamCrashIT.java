package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server in a child JVM takes acknowledged async publishes into a file stream and is
 * SIGKILLed while more are in flight, at several points; after each restart on the same
 * directory, every acknowledged message is there under its sequence, once, in order.
 */
@Tag("crash")
class JetStreamCrashIT {

  @TempDir
  Path dir;

  private Process server;
  private int port;

  private void startServer() throws Exception {
    port = NatsServerProcess.freePort();
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "io.natsvx.Main",
        "-a", "127.0.0.1", "-p", Integer.toString(port), "-js", "-sd", dir.resolve("store").toString()));
    server = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("server-" + port + ".log").toFile()).start();
    Await.until("the server to listen", Duration.ofSeconds(30), () -> {
      assertTrue(server.isAlive(), "the server exited");
      try (Socket s = new Socket("127.0.0.1", port)) {
        return true;
      }
    });
  }

  private void kill() throws Exception {
    server.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
    server.waitFor(30, TimeUnit.SECONDS);
  }

  private Connection connect() throws Exception {
    return Nats.connect(Options.builder().server("nats://127.0.0.1:" + port).maxReconnects(0)
        .connectionTimeout(Duration.ofSeconds(5)).build());
  }

  @Test
  void everyAcknowledgedMessageSurvivesAKill() throws Exception {
    Map<Long, String> acked = new TreeMap<>();
    startServer();
    try (Connection nc = connect()) {
      nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("CRASH").subjects("crash.>")
          .storageType(StorageType.File).build());
    }
    int[] killAfter = {150, 400, 50};
    int expected = 0;
    for (int round = 0; round < killAfter.length; round++) {
      publishUntilKilled(round, killAfter[round], acked);
      expected += killAfter[round];
      assertTrue(acked.size() >= expected, "round " + round + " had " + acked.size() + " acknowledgements");
      startServer();
      try (Connection nc = connect()) {
        JetStreamManagement jsm = nc.jetStreamManagement();
        long last = jsm.getStreamInfo("CRASH").getStreamState().getLastSequence();
        assertTrue(last >= acked.keySet().stream().mapToLong(Long::longValue).max().orElse(0),
            "round " + round + ": nothing acknowledged is beyond the last sequence");
        for (Map.Entry<Long, String> e : acked.entrySet()) {
          MessageInfo m = jsm.getMessage("CRASH", e.getKey());
          assertEquals(e.getValue(), new String(m.getData(), StandardCharsets.UTF_8),
              "round " + round + ": sequence " + e.getKey());
        }
      }
    }
    kill();
  }

  /**
   * A durable consumer's acknowledgements are confirmed (ack-sync) while the server is killed at
   * several points with more in flight; after each restart its ack floor is at least the longest
   * run of confirmed acknowledgements from the start, and never below the floor seen before.
   */
  @Test
  void aConsumersAckFloorNeverGoesBack() throws Exception {
    startServer();
    try (Connection nc = connect()) {
      nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("ACKS").subjects("acks")
          .storageType(StorageType.File).build());
      JetStream js = nc.jetStream();
      List<CompletableFuture<PublishAck>> acks = new ArrayList<>();
      for (int i = 0; i < 600; i++) {
        acks.add(js.publishAsync("acks", ("m" + i).getBytes(StandardCharsets.UTF_8)));
      }
      for (CompletableFuture<PublishAck> a : acks) {
        a.get(10, TimeUnit.SECONDS);
      }
      nc.jetStreamManagement().addOrUpdateConsumer("ACKS", io.nats.client.api.ConsumerConfiguration.builder()
          .durable("reader").ackPolicy(io.nats.client.api.AckPolicy.Explicit).ackWait(Duration.ofMillis(500))
          .build());
    }
    java.util.Set<Long> confirmed = new java.util.HashSet<>();
    long lastFloor = 0;
    for (int killAfter : new int[] {120, 200, 60}) {
      try (Connection nc = connect()) {
        io.nats.client.JetStreamSubscription sub = nc.jetStream().subscribe(null,
            io.nats.client.PullSubscribeOptions.bind("ACKS", "reader"));
        int n = 0;
        while (n < killAfter) {
          for (io.nats.client.Message m : sub.fetch(20, Duration.ofSeconds(5))) {
            m.ackSync(Duration.ofSeconds(5));
            confirmed.add(m.metaData().streamSequence());
            n++;
          }
        }
        // more acks in flight, unconfirmed, as the server dies
        for (io.nats.client.Message m : sub.fetch(20, Duration.ofSeconds(5))) {
          m.ack();
        }
        kill();
      }
      startServer();
      try (Connection nc = connect()) {
        long floor = nc.jetStreamManagement().getConsumerInfo("ACKS", "reader").getAckFloor().getStreamSequence();
        long prefix = 0;
        while (confirmed.contains(prefix + 1)) {
          prefix++;
        }
        assertTrue(floor >= prefix, "floor " + floor + " is below the confirmed acknowledgements up to " + prefix);
        assertTrue(floor >= lastFloor, "floor " + floor + " went back from " + lastFloor);
        lastFloor = floor;
      }
    }
    kill();
  }

  /** Publishes asynchronously; once {@code killAfter} are acknowledged, kills the server with more in flight. */
  private void publishUntilKilled(int round, int killAfter, Map<Long, String> acked) throws Exception {
    List<CompletableFuture<PublishAck>> inFlight = new ArrayList<>();
    List<String> payloads = new ArrayList<>();
    try (Connection nc = connect()) {
      JetStream js = nc.jetStream();
      int confirmed = 0;
      for (int i = 0; i < 20_000 && confirmed < killAfter; i++) {
        String payload = "r" + round + "-" + i;
        payloads.add(payload);
        inFlight.add(js.publishAsync("crash." + (i % 7), payload.getBytes(StandardCharsets.UTF_8)));
        if (i % 50 == 49) {
          inFlight.get(i - 25).get(10, TimeUnit.SECONDS);
          confirmed = (int) inFlight.stream().filter(f -> f.isDone() && !f.isCompletedExceptionally()).count();
        }
      }
      kill();
    }
    for (int i = 0; i < inFlight.size(); i++) {
      CompletableFuture<PublishAck> f = inFlight.get(i);
      if (f.isDone() && !f.isCompletedExceptionally()) {
        String previous = acked.put(f.get().getSeqno(), payloads.get(i));
        assertEquals(null, previous, "sequence " + f.get().getSeqno() + " acknowledged twice");
      }
    }
  }

  /**
   * A stream directory that cannot be read (a damaged meta.json; a foreign, non-Xodus log) is
   * reported in the log with its path; the server starts and serves the other streams.
   */
  @Test
  void aDamagedStreamDirectoryIsReportedWithItsPath() throws Exception {
    startServer();
    try (Connection nc = connect()) {
      for (String name : List.of("GOOD", "BAD")) {
        nc.jetStreamManagement().addStream(StreamConfiguration.builder().name(name).subjects(name.toLowerCase())
            .storageType(StorageType.File).build());
        nc.jetStream().publish(name.toLowerCase(), "kept".getBytes(StandardCharsets.UTF_8));
      }
    }
    kill();
    Path streams = dir.resolve("store").resolve("jetstream").resolve("$G").resolve("streams");
    Path bad = streams.resolve("BAD");
    java.nio.file.Files.writeString(bad.resolve("meta.json"), "{ not json");
    Path foreign = streams.resolve("FOREIGN");
    java.nio.file.Files.createDirectories(foreign.resolve("msgs"));
    java.nio.file.Files.copy(streams.resolve("GOOD").resolve("meta.json"), foreign.resolve("meta.json"));
    java.nio.file.Files.writeString(foreign.resolve("msgs").resolve("00000000000.xd"), "not a xodus log");

    startServer();
    try (Connection nc = connect()) {
      assertEquals("kept", new String(nc.jetStreamManagement().getMessage("GOOD", 1).getData(),
          StandardCharsets.UTF_8), "the readable stream serves");
    }
    Path log = dir.resolve("server-" + port + ".log");
    String text = Await.value("both unreadable streams in the log", Await.DEFAULT_TIMEOUT,
        () -> java.nio.file.Files.readString(log), t -> t.contains(bad.toString()) && t.contains(foreign.toString()));
    assertTrue(text.contains("cannot restore stream from " + bad), text);
    assertTrue(text.contains(foreign.resolve("msgs").toString()), text);
    assertTrue(server.isAlive());
    kill();
  }
}
