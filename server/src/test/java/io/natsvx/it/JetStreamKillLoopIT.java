package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once across crashes: publishers with {@code Nats-Msg-Id} keep publishing and retry
 * whatever was not acknowledged, a durable consumer fetches and acknowledges, and the server
 * (a child JVM) is SIGKILLed 20 times in the middle of it. In the end the stream holds every
 * publisher's messages once each, in the order published; the consumer got every one; its ack
 * floor never went back and never below what it had confirmed.
 */
@Tag("crash")
class JetStreamKillLoopIT {

  private static final int PUBLISHERS = 3;
  private static final int KILLS = 20;
  private static final int WINDOW = 64;
  /** New messages per publisher and round at most, so the reader keeps up. */
  private static final int PER_ROUND = 200;

  @TempDir
  Path dir;

  /** One publisher: messages 0 .. next-1 were sent at least once, those before confirmed are acknowledged. */
  private static final class Publisher {
    final int id;
    int confirmed;
    int next;

    Publisher(int id) {
      this.id = id;
    }

    NatsMessage message(int i) {
      Headers h = new Headers();
      h.add("Nats-Msg-Id", id + "-" + i);
      return NatsMessage.builder().subject("loop." + id).headers(h)
          .data((id + "-" + i).getBytes(StandardCharsets.UTF_8)).build();
    }
  }

  private static Connection connect(NatsServerProcess server) throws Exception {
    return Nats.connect(Options.builder().server(server.url()).maxReconnects(0)
        .connectionTimeout(Duration.ofSeconds(5)).build());
  }

  @Test
  void nothingLostNothingRepeatedAcrossTwentyKills() throws Exception {
    String[] args = {"-js", "-sd", dir.resolve("store").toString()};
    NatsServerProcess server = NatsServerProcess.natsvx(args);
    try (Connection nc = connect(server)) {
      nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("LOOP").subjects("loop.>")
          .storageType(StorageType.File).duplicateWindow(Duration.ofMinutes(10)).build());
      nc.jetStreamManagement().addOrUpdateConsumer("LOOP", ConsumerConfiguration.builder().durable("reader")
          .ackPolicy(AckPolicy.Explicit).ackWait(Duration.ofSeconds(1)).build());
    }
    List<Publisher> publishers = new ArrayList<>();
    for (int k = 0; k < PUBLISHERS; k++) {
      publishers.add(new Publisher(k));
    }
    Set<String> delivered = ConcurrentHashMap.newKeySet();
    Set<Long> ackConfirmed = ConcurrentHashMap.newKeySet();
    long lastFloor = 0;
    try {
      for (int round = 0; round <= KILLS; round++) {
        boolean last = round == KILLS;
        try (Connection nc = connect(server)) {
          AtomicBoolean stop = new AtomicBoolean();
          Thread reader = new Thread(() -> consume(nc, stop, delivered, ackConfirmed), "reader");
          reader.start();
          long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200 + ThreadLocalRandom.current().nextInt(400));
          publishRound(nc, publishers, until, last);
          if (last) {
            int total = publishers.stream().mapToInt(p -> p.next).sum();
            Await.until("the reader to get all " + total, Duration.ofSeconds(30), () -> delivered.size() == total);
          }
          stop.set(true);
          if (!last) {
            server.kill(); // SIGKILL with publishes, fetches and acks in flight
          }
          reader.join(10_000);
        }
        if (last) {
          break;
        }
        server = NatsServerProcess.natsvx(args);
        try (Connection nc = connect(server)) {
          long floor = nc.jetStreamManagement().getConsumerInfo("LOOP", "reader").getAckFloor().getStreamSequence();
          long prefix = 0;
          while (ackConfirmed.contains(prefix + 1)) {
            prefix++;
          }
          assertTrue(floor >= lastFloor, "round " + round + ": the ack floor went back from " + lastFloor + " to " + floor);
          assertTrue(floor >= prefix, "round " + round + ": the ack floor " + floor + " is below the confirmed " + prefix);
          lastFloor = floor;
        }
      }
      try (Connection nc = connect(server)) {
        assertStreamHoldsEachOnceInOrder(nc, publishers);
      }
      for (Publisher p : publishers) {
        for (int i = 0; i < p.next; i++) {
          assertTrue(delivered.contains(p.id + "-" + i), "the consumer never got " + p.id + "-" + i);
        }
      }
      assertTrue(publishers.stream().allMatch(p -> p.next > KILLS), "each publisher got through every round");
    } finally {
      server.close();
    }
  }

  /**
   * Each publisher retries from its first unconfirmed message, then goes on with new ones, at
   * most {@link #WINDOW} unacknowledged; the last round waits for every acknowledgement.
   */
  private static void publishRound(Connection nc, List<Publisher> publishers, long until, boolean last)
      throws Exception {
    JetStream js = nc.jetStream();
    List<List<CompletableFuture<PublishAck>>> acks = new ArrayList<>();
    int[] from = new int[publishers.size()];
    for (Publisher p : publishers) {
      from[p.id] = p.confirmed;
      List<CompletableFuture<PublishAck>> mine = new ArrayList<>();
      for (int i = p.confirmed; i < p.next; i++) {
        mine.add(js.publishAsync(p.message(i)));
      }
      acks.add(mine);
    }
    try {
      boolean more = true;
      while (more && System.nanoTime() < until) {
        more = false;
        for (Publisher p : publishers) {
          if (p.next - from[p.id] >= PER_ROUND) {
            continue; // done for this round: the kill comes with the last ones still in flight
          }
          more = true;
          List<CompletableFuture<PublishAck>> mine = acks.get(p.id);
          int inFlight = 0;
          for (int j = mine.size() - 1; j >= 0 && !mine.get(j).isDone(); j--) {
            inFlight++;
          }
          if (inFlight < WINDOW) {
            mine.add(js.publishAsync(p.message(p.next++)));
          } else {
            mine.get(mine.size() - inFlight).get(5, TimeUnit.SECONDS);
          }
        }
      }
      if (last) {
        for (List<CompletableFuture<PublishAck>> mine : acks) {
          for (CompletableFuture<PublishAck> f : mine) {
            f.get(10, TimeUnit.SECONDS);
          }
        }
      }
    } finally {
      for (Publisher p : publishers) {
        List<CompletableFuture<PublishAck>> mine = acks.get(p.id);
        int n = 0;
        while (n < mine.size() && mine.get(n).isDone() && !mine.get(n).isCompletedExceptionally()) {
          n++;
        }
        p.confirmed = from[p.id] + n;
      }
    }
  }

  /** Fetches and acknowledges (ack-sync) until told to stop or the connection dies. */
  private static void consume(Connection nc, AtomicBoolean stop, Set<String> delivered, Set<Long> ackConfirmed) {
    try {
      JetStreamSubscription sub = nc.jetStream().subscribe(null, PullSubscribeOptions.bind("LOOP", "reader"));
      while (!stop.get()) {
        for (Message m : sub.fetch(50, Duration.ofMillis(200))) {
          delivered.add(new String(m.getData(), StandardCharsets.UTF_8));
          m.ackSync(Duration.ofSeconds(2));
          ackConfirmed.add(m.metaData().streamSequence());
        }
      }
    } catch (Exception e) {
      // the server was killed under it: what was confirmed is recorded
    }
  }

  private static void assertStreamHoldsEachOnceInOrder(Connection nc, List<Publisher> publishers) throws Exception {
    JetStreamSubscription all = nc.jetStream().subscribe("loop.>", PullSubscribeOptions.builder()
        .configuration(ConsumerConfiguration.builder().ackPolicy(AckPolicy.None).build()).build());
    int[] expect = new int[publishers.size()];
    Set<String> seen = new HashSet<>();
    int total = publishers.stream().mapToInt(p -> p.next).sum();
    for (int n = 0; n < total; ) {
      List<Message> batch = all.fetch(500, Duration.ofSeconds(5));
      assertTrue(!batch.isEmpty(), "the stream ended after " + n + " of " + total);
      for (Message m : batch) {
        String body = new String(m.getData(), StandardCharsets.UTF_8);
        assertTrue(seen.add(body), body + " is stored twice (stream sequence " + m.metaData().streamSequence() + ")");
        int k = Integer.parseInt(body.substring(0, body.indexOf('-')));
        int i = Integer.parseInt(body.substring(body.indexOf('-') + 1));
        assertEquals(expect[k], i, "publisher " + k + " out of order at stream sequence " + m.metaData().streamSequence());
        expect[k]++;
        n++;
      }
    }
    assertEquals(total, nc.jetStreamManagement().getStreamInfo("LOOP").getStreamState().getMsgCount(),
        "nothing beyond what was published");
  }
}
