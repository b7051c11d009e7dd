package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * When an unacknowledged message comes back to a pull consumer: one ack_wait after each
 * delivery, or the backoff step for that delivery, until max_deliver; progress acks push it
 * back. Timed at the client, on natsvx and (when it is installed) on nats-server alike.
 */
@Tag("jetstream")
class JetStreamRedeliveryIT extends JetStreamTests {

  /**
   * How much shorter than the wait a gap may look: the first receipt may be the later one, and
   * natsvx counts the wait from the start of the pump that sends (a cold first pump took 12 ms).
   */
  private static final long EARLY_MS = 50;
  /** How much longer: a timer on a busy machine, and the receipts. */
  private static final long LATE_MS = 300;

  private record Received(Message msg, long atNanos) {
    /** The delivery count from the ack subject, $JS.ACK.[domain.hash.]stream.consumer.delivered.sseq.... */
    long deliveries() {
      String[] t = msg.getReplyTo().split("\\.");
      return Long.parseLong(t[(t.length >= 12 ? 4 : 2) + 2]);
    }
  }

  @Test
  void ackWaitSpacesTheRedeliveriesAndMaxDeliverEndsThem() throws Exception {
    try (TestServer server = start()) {
      ackWaitThenMaxDeliver(server.url());
    }
    if (NatsServerProcess.available()) {
      try (NatsServerProcess reference = NatsServerProcess.start("-js", "-sd", dir.resolve("ref").toString())) {
        ackWaitThenMaxDeliver("nats://127.0.0.1:" + reference.port());
      }
    }
  }

  @Test
  void backoffSetsTheWaitAfterEachDelivery() throws Exception {
    try (TestServer server = start()) {
      backoffThenMaxDeliver(server.url());
    }
    if (NatsServerProcess.available()) {
      try (NatsServerProcess reference = NatsServerProcess.start("-js", "-sd", dir.resolve("ref").toString())) {
        backoffThenMaxDeliver("nats://127.0.0.1:" + reference.port());
      }
    }
  }

  @Test
  void inProgressStartsTheAckWaitAgain() throws Exception {
    try (TestServer server = start()) {
      inProgress(server.url());
    }
    if (NatsServerProcess.available()) {
      try (NatsServerProcess reference = NatsServerProcess.start("-js", "-sd", dir.resolve("ref").toString())) {
        inProgress("nats://127.0.0.1:" + reference.port());
      }
    }
  }

  /** ack_wait 500 ms, max_deliver 3: three deliveries 500 ms apart, then none. */
  private static void ackWaitThenMaxDeliver(String url) throws Exception {
    try (Connection nc = Nats.connect(url)) {
      JetStreamManagement jsm = consumer(nc, ConsumerConfiguration.builder().durable("c")
          .ackPolicy(AckPolicy.Explicit).ackWait(Duration.ofMillis(500)).maxDeliver(3));
      warmUp(nc);
      nc.jetStream().publish("rd.1", bytes("one"));
      // a fourth delivery would come about 1.5 s in; the request ends at 2.5 s
      List<Received> got = pullUntilTimeout(nc, 10, Duration.ofMillis(2500));
      assertEquals(List.of(1L, 2L, 3L), got.stream().map(Received::deliveries).toList(),
          "delivered three times, then max_deliver stops it (" + url + ")");
      assertGap(got.get(0), got.get(1), 500, url);
      assertGap(got.get(1), got.get(2), 500, url);
      Await.until("the message past max_deliver to leave ack pending",
          () -> jsm.getConsumerInfo("RD", "c").getNumAckPending() == 0);
    }
  }

  /** backoff [200 ms, 600 ms], max_deliver 3: the second delivery 200 ms after the first, the third 600 ms later. */
  private static void backoffThenMaxDeliver(String url) throws Exception {
    try (Connection nc = Nats.connect(url)) {
      consumer(nc, ConsumerConfiguration.builder().durable("c").ackPolicy(AckPolicy.Explicit)
          .backoff(Duration.ofMillis(200), Duration.ofMillis(600)).maxDeliver(3));
      warmUp(nc);
      nc.jetStream().publish("rd.1", bytes("one"));
      // a fourth delivery (the last step again) would come about 1.4 s in; the request ends at 2.4 s
      List<Received> got = pullUntilTimeout(nc, 10, Duration.ofMillis(2400));
      assertEquals(List.of(1L, 2L, 3L), got.stream().map(Received::deliveries).toList(),
          "delivered three times, then max_deliver stops it (" + url + ")");
      assertGap(got.get(0), got.get(1), 200, url);
      assertGap(got.get(1), got.get(2), 600, url);
    }
  }

  /** A +WPI 300 ms into a 500 ms ack_wait: the redelivery comes 500 ms after it, not after the delivery. */
  private static void inProgress(String url) throws Exception {
    try (Connection nc = Nats.connect(url)) {
      consumer(nc, ConsumerConfiguration.builder().durable("c").ackPolicy(AckPolicy.Explicit)
          .ackWait(Duration.ofMillis(500)).maxDeliver(2));
      warmUp(nc);
      nc.jetStream().publish("rd.1", bytes("one"));
      Subscription inbox = pull(nc, 10, Duration.ofMillis(2500));
      Received first = next(inbox);
      assertEquals(1, first.deliveries());
      Thread.sleep(300); // the time passing is the point: progress is reported part way into the ack wait
      long progressAt = System.nanoTime();
      nc.publish(first.msg().getReplyTo(), bytes("+WPI"));
      nc.flush(Duration.ofSeconds(2));
      Received second = next(inbox);
      assertEquals(2, second.deliveries(), url);
      assertGap(new Received(first.msg(), progressAt), second, 500, url + ", after the progress ack");
      inbox.unsubscribe();
    }
  }

  /** One message delivered and acknowledged first, so the timed one does not meet cold code paths. */
  private static void warmUp(Connection nc) throws Exception {
    nc.jetStream().publish("rd.0", bytes("warm"));
    Subscription inbox = pull(nc, 1, Duration.ofSeconds(5));
    Received warm = next(inbox);
    assertEquals(1, warm.deliveries());
    assertNotNull(nc.request(warm.msg().getReplyTo(), bytes("+ACK"), Duration.ofSeconds(5)), "the ack confirmed");
    inbox.unsubscribe();
  }

  private static JetStreamManagement consumer(Connection nc, ConsumerConfiguration.Builder config) throws Exception {
    JetStreamManagement jsm = nc.jetStreamManagement();
    jsm.addStream(StreamConfiguration.builder().name("RD").subjects("rd.>").storageType(StorageType.Memory).build());
    jsm.addOrUpdateConsumer("RD", config.build());
    return jsm;
  }

  /** One pull request to consumer {@code c} of RD, answered on a plain subscription (so each receipt is timed). */
  private static Subscription pull(Connection nc, int batch, Duration expires) throws Exception {
    Subscription inbox = nc.subscribe(nc.createInbox());
    nc.flush(Duration.ofSeconds(2));
    String request = "{\"batch\":" + batch + ",\"expires\":" + expires.toNanos() + "}";
    nc.publish("$JS.API.CONSUMER.MSG.NEXT.RD.c", inbox.getSubject(), request.getBytes(StandardCharsets.UTF_8));
    return inbox;
  }

  /** The next message on {@code inbox} and when it came. */
  private static Received next(Subscription inbox) throws Exception {
    Message m = inbox.nextMessage(Duration.ofSeconds(10));
    long at = System.nanoTime();
    assertNotNull(m, "a delivery or the request's end");
    return new Received(m, at);
  }

  /** What one pull request gets until it ends with its 408 Request Timeout. */
  private static List<Received> pullUntilTimeout(Connection nc, int batch, Duration expires) throws Exception {
    Subscription inbox = pull(nc, batch, expires);
    List<Received> got = new ArrayList<>();
    Received r;
    for (r = next(inbox); !r.msg().isStatusMessage(); r = next(inbox)) {
      got.add(r);
    }
    assertEquals(408, r.msg().getStatus().getCode(), "the request ends as it expires");
    inbox.unsubscribe();
    return got;
  }

  private static void assertGap(Received before, Received after, long waitMillis, String where) {
    long gap = (after.atNanos() - before.atNanos()) / 1_000_000;
    assertTrue(gap >= waitMillis - EARLY_MS && gap <= waitMillis + LATE_MS,
        "delivery " + after.deliveries() + " came " + gap + " ms after the one before, waiting " + waitMillis + " ms ("
            + where + ")");
  }
}
