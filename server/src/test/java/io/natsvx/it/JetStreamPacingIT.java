package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.Subscription;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ReplayPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** How push consumers pace their deliveries: flow control, rate_limit_bps, replay_policy original. */
class JetStreamPacingIT extends JetStreamTests {

  private static final Duration WAIT = Duration.ofSeconds(5);

  private static void stream(JetStreamManagement jsm, String name, long maxMsgSize) throws Exception {
    jsm.addStream(StreamConfiguration.builder().name(name).subjects(name.toLowerCase() + ".>")
        .storageType(StorageType.Memory).maximumMessageSize((int) maxMsgSize).build());
  }

  private static void fill(JetStream js, String subject, int count, int size) throws Exception {
    List<CompletableFuture<?>> acks = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] data = new byte[size];
      data[0] = (byte) i;
      acks.add(js.publishAsync(subject, data));
    }
    CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get();
  }

  private static boolean flowControlRequest(Message m) {
    return m.isStatusMessage() && m.getStatus().getCode() == 100 && m.getReplyTo() != null;
  }

  /**
   * Past half its window a push consumer asks for flow control; left unanswered it stops and its
   * heartbeats say it is stalled on that request; each answer lets it go on, in order.
   */
  @Test
  void flowControlStopsAnUnansweredPushConsumerAndAnswersResumeIt() throws Exception {
    int total = 40;
    try (TestServer server = start(); Connection nc = Nats.connect(server.url())) {
      JetStreamManagement jsm = nc.jetStreamManagement();
      stream(jsm, "FC", -1);
      fill(nc.jetStream(), "fc.in", total, 100_000);
      Subscription out = nc.subscribe("fc.out");
      nc.flush(WAIT);
      jsm.addOrUpdateConsumer("FC", ConsumerConfiguration.builder().durable("fc").deliverSubject("fc.out")
          .ackPolicy(AckPolicy.None).flowControl(Duration.ofMillis(200)).build());

      int data = 0;
      String request = null;
      String stalledOn = null;
      while (stalledOn == null) {
        Message m = out.nextMessage(WAIT);
        assertNotNull(m, "deliveries, then a flow control request, then a stalled heartbeat");
        if (flowControlRequest(m)) {
          assertTrue(m.getReplyTo().startsWith("$JS.FC.FC.fc."), m.getReplyTo());
          assertTrue(data >= 10, "about 1 MiB goes before the first request: " + data);
          request = m.getReplyTo();
        } else if (m.isStatusMessage()) {
          stalledOn = m.getHeaders() == null ? null : m.getHeaders().getFirst("Nats-Consumer-Stalled");
        } else {
          assertEquals(data, m.getData()[0], "in order");
          data++;
        }
      }
      assertEquals(request, stalledOn, "the heartbeat names the unanswered request");
      assertTrue(data < total, "an unanswered consumer stops short of the stream's end: " + data);

      nc.publish(request, new byte[0]);
      while (data < total) {
        Message m = out.nextMessage(WAIT);
        assertNotNull(m, "answered, the consumer goes on (" + data + " so far)");
        if (flowControlRequest(m)) {
          nc.publish(m.getReplyTo(), new byte[0]);
        } else if (!m.isStatusMessage()) {
          assertEquals(data, m.getData()[0], "in order");
          data++;
        }
      }

      // an unchanged client answers flow control itself
      JetStreamSubscription js = nc.jetStream().subscribe("fc.in", PushSubscribeOptions.builder()
          .configuration(ConsumerConfiguration.builder().flowControl(Duration.ofMillis(200)).build()).build());
      for (int i = 0; i < total; i++) {
        Message m = js.nextMessage(WAIT);
        assertNotNull(m, "jnats message " + i);
        assertEquals(i, m.getData()[0]);
        m.ack();
      }
    }
  }

  /** rate_limit_bps spaces the deliveries out: 20 messages of 500 bytes at 10 kB/s take most of a second. */
  @Test
  void rateLimitSpacesDeliveries() throws Exception {
    try (TestServer server = start(); Connection nc = Nats.connect(server.url())) {
      JetStreamManagement jsm = nc.jetStreamManagement();
      stream(jsm, "RL", 1000);
      fill(nc.jetStream(), "rl.in", 20, 500);
      Subscription out = nc.subscribe("rl.out");
      nc.flush(WAIT);
      jsm.addOrUpdateConsumer("RL", ConsumerConfiguration.builder().durable("rl").deliverSubject("rl.out")
          .ackPolicy(AckPolicy.None).rateLimit(80_000).build());
      long first = 0;
      for (int i = 0; i < 20; i++) {
        Message m = out.nextMessage(WAIT);
        assertNotNull(m, "message " + i);
        assertEquals(i, m.getData()[0]);
        if (i == 0) {
          first = System.nanoTime();
        }
      }
      long tookMillis = (System.nanoTime() - first) / 1_000_000;
      // 10 kB less the 1000-byte burst, at 10 kB/s: at least 0.9 s
      assertTrue(tookMillis >= 700, "rate limited deliveries took " + tookMillis + " ms");
    }
  }

  /** replay_policy original keeps the gaps between the stored messages; instant does not wait. */
  @Test
  void originalReplayKeepsTheGapsBetweenMessages() throws Exception {
    try (TestServer server = start(); Connection nc = Nats.connect(server.url())) {
      JetStreamManagement jsm = nc.jetStreamManagement();
      stream(jsm, "RP", -1);
      JetStream js = nc.jetStream();
      js.publish("rp.1", "one".getBytes(StandardCharsets.UTF_8));
      Thread.sleep(600); // the gap is what is replayed
      js.publish("rp.2", "two".getBytes(StandardCharsets.UTF_8));

      JetStreamSubscription original = js.subscribe("rp.>", PushSubscribeOptions.builder()
          .configuration(ConsumerConfiguration.builder().replayPolicy(ReplayPolicy.Original).build()).build());
      Message one = original.nextMessage(WAIT);
      long at = System.nanoTime();
      Message two = original.nextMessage(WAIT);
      long gapMillis = (System.nanoTime() - at) / 1_000_000;
      assertEquals("rp.1", one.getSubject());
      assertEquals("rp.2", two.getSubject());
      assertTrue(gapMillis >= 400, "the second came " + gapMillis + " ms after the first");
      js.publish("rp.3", "three".getBytes(StandardCharsets.UTF_8));
      assertEquals("rp.3", original.nextMessage(WAIT).getSubject(), "caught up, new messages come at once");
    }
  }

  /** What nats-server refuses to change on a consumer update, natsvx refuses with its words. */
  @Test
  void consumerUpdatesKeepWhatMayNotChange() throws Exception {
    try (TestServer server = start(); Connection nc = Nats.connect(server.url())) {
      JetStreamManagement jsm = nc.jetStreamManagement();
      stream(jsm, "UP", -1);
      ConsumerConfiguration.Builder base = ConsumerConfiguration.builder().durable("u").deliverSubject("up.out")
          .ackPolicy(AckPolicy.Explicit).idleHeartbeat(Duration.ofSeconds(1));
      jsm.addOrUpdateConsumer("UP", base.build());
      String[][] refused = {
          {"flow control can not be updated", "fc"},
          {"replay policy can not be updated", "replay"},
          {"ack policy can not be updated", "ack"},
          {"heart beats can not be updated", "hb"}};
      for (String[] r : refused) {
        ConsumerConfiguration.Builder next = ConsumerConfiguration.builder(base.build());
        switch (r[1]) {
          case "fc" -> next.flowControl(Duration.ofSeconds(1));
          case "replay" -> next.replayPolicy(ReplayPolicy.Original);
          case "ack" -> next.ackPolicy(AckPolicy.All);
          default -> next.idleHeartbeat(Duration.ofSeconds(2));
        }
        JetStreamApiException e = assertThrows(JetStreamApiException.class,
            () -> jsm.addOrUpdateConsumer("UP", next.build()));
        assertEquals(10012, e.getApiErrorCode(), r[0]);
        assertEquals(r[0], e.getErrorDescription());
      }
      ConsumerConfiguration push = ConsumerConfiguration.builder().durable("v").deliverSubject("up.v").build();
      jsm.addOrUpdateConsumer("UP", push);
      JetStreamApiException toPull = assertThrows(JetStreamApiException.class,
          () -> jsm.addOrUpdateConsumer("UP", ConsumerConfiguration.builder(push).deliverSubject(null).build()));
      assertEquals("can not update push consumer to pull based", toPull.getErrorDescription());
      jsm.addOrUpdateConsumer("UP", ConsumerConfiguration.builder(base.build()).description("changed").build());
      assertEquals("changed", jsm.getConsumerInfo("UP", "u").getConsumerConfiguration().getDescription());
    }
  }
}
