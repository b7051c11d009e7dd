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
import io.nats.client.PullSubscribeOptions;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Consumers through unchanged jnats: pull and push, acks, redelivery, ordered, work queues, a restart. */
class JetStreamConsumersIT extends JetStreamTests {

  private static String text(Message m) {
    return new String(m.getData(), StandardCharsets.UTF_8);
  }

  private static void stream(JetStreamManagement jsm, String name, RetentionPolicy retention) throws Exception {
    jsm.addStream(StreamConfiguration.builder().name(name).subjects(name.toLowerCase() + ".>")
        .retentionPolicy(retention).storageType(StorageType.File).build());
  }

  @Test
  void pullConsumersFetchAckAndKeepTheirPlaceAcrossARestart() throws Exception {
    try (TestServer server = start(); Connection nc = Nats.connect(server.url())) {
      JetStreamManagement jsm = nc.jetStreamManagement();
      stream(jsm, "ORDERS", RetentionPolicy.Limits);
      JetStream js = nc.jetStream();
      for (int i = 1; i <= 10; i++) {
        js.publish("orders." + i, bytes("o" + i));
      }
      JetStreamSubscription sub = js.subscribe("orders.>", PullSubscribeOptions.builder().durable("worker").build());
      List<Message> first = sub.fetch(4, Duration.ofSeconds(5));
      assertEquals(List.of("o1", "o2", "o3", "o4"), first.stream().map(JetStreamConsumersIT::text).toList());
      assertEquals(1, first.get(0).metaData().streamSequence());
      assertEquals(10 - 4, first.get(3).metaData().pendingCount());
      for (Message m : first) {
        m.ackSync(Duration.ofSeconds(5));
      }
      ConsumerInfo info = jsm.getConsumerInfo("ORDERS", "worker");
      assertEquals(4, info.getAckFloor().getStreamSequence());
      assertEquals(6, info.getNumPending());
      assertEquals(0, info.getNumAckPending());
    }
    try (TestServer again = start(); Connection nc = Nats.connect(again.url())) {
      ConsumerInfo info = nc.jetStreamManagement().getConsumerInfo("ORDERS", "worker");
      assertEquals(4, info.getAckFloor().getStreamSequence(), "the ack floor survives a restart");
      JetStreamSubscription sub = nc.jetStream().subscribe("orders.>",
          PullSubscribeOptions.bind("ORDERS", "worker"));
      List<Message> rest = sub.fetch(10, Duration.ofSeconds(2));
      assertEquals(6, rest.size());
      assertEquals("o5", text(rest.get(0)));
    }
  }

  @Test
  void unacknowledgedMessagesComeBackNaksAndTerms() throws Exception {
    try (TestServer server = start(); Connection nc = Nats.connect(server.url())) {
      JetStreamManagement jsm = nc.jetStreamManagement();
      stream(jsm, "JOBS", RetentionPolicy.Limits);
      jsm.addOrUpdateConsumer("JOBS", ConsumerConfiguration.builder().durable("slow").ackPolicy(AckPolicy.Explicit)
          .ackWait(Duration.ofMillis(300)).maxDeliver(3).build());
      JetStream js = nc.jetStream();
      js.publish("jobs.a", bytes("a"));
      js.publish("jobs.b", bytes("b"));
      js.publish("jobs.c", bytes("c"));
      JetStreamSubscription sub = js.subscribe(null, PullSubscribeOptions.bind("JOBS", "slow"));
      List<Message> got = sub.fetch(3, Duration.ofSeconds(5));
      assertEquals(3, got.size());
      got.get(0).ack();
      got.get(1).nak();
      got.get(2).term();
      Message again = sub.fetch(1, Duration.ofSeconds(5)).get(0);
      assertEquals("b", text(again), "a NAK comes back at once");
      assertEquals(2, again.metaData().deliveredCount());
      // left unacknowledged: back after ack_wait, until max_deliver
      Message third = sub.fetch(1, Duration.ofSeconds(5)).get(0);
      assertEquals("b", text(third));
      assertEquals(3, third.metaData().deliveredCount());
      assertTrue(sub.fetch(1, Duration.ofSeconds(1)).isEmpty(), "max_deliver reached; c was terminated");
      ConsumerInfo info = jsm.getConsumerInfo("JOBS", "slow");
      assertEquals(2, info.getRedelivered());
      assertEquals(3, info.getDelivered().getStreamSequence());
    }
  }

  @Test
  void pushConsumersAndOrderedConsumers() throws Exception {
    try (TestServer server = start(); Connection nc = Nats.connect(server.url())) {
      JetStreamManagement jsm = nc.jetStreamManagement();
      stream(jsm, "EVENTS", RetentionPolicy.Limits);
      JetStream js = nc.jetStream();
      for (int i = 1; i <= 5; i++) {
        js.publish("events." + (i % 2 == 0 ? "even" : "odd"), bytes("e" + i));
      }
      JetStreamSubscription push = js.subscribe("events.>", PushSubscribeOptions.builder().durable("pusher").build());
      List<String> seen = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        Message m = push.nextMessage(Duration.ofSeconds(5));
        assertNotNull(m, "message " + i);
        seen.add(text(m));
        m.ack();
      }
      assertEquals(List.of("e1", "e2", "e3", "e4", "e5"), seen);

      JetStreamSubscription ordered = js.subscribe("events.odd", PushSubscribeOptions.builder().ordered(true).build());
      assertEquals("e1", text(ordered.nextMessage(Duration.ofSeconds(5))));
      assertEquals("e3", text(ordered.nextMessage(Duration.ofSeconds(5))));
      assertEquals("e5", text(ordered.nextMessage(Duration.ofSeconds(5))));
      js.publish("events.odd", bytes("e7"));
      assertEquals("e7", text(ordered.nextMessage(Duration.ofSeconds(5))), "new messages follow");

      JetStreamSubscription last = js.subscribe("events.>", PushSubscribeOptions.builder()
          .configuration(ConsumerConfiguration.builder().deliverPolicy(DeliverPolicy.LastPerSubject).build()).build());
      List<String> lasts = new ArrayList<>();
      lasts.add(text(last.nextMessage(Duration.ofSeconds(5))));
      lasts.add(text(last.nextMessage(Duration.ofSeconds(5))));
      assertEquals(List.of("e4", "e7"), lasts, "the last of each subject");
    }
  }

  @Test
  void workQueuesDropWhatIsAcknowledged() throws Exception {
    try (TestServer server = start(); Connection nc = Nats.connect(server.url())) {
      JetStreamManagement jsm = nc.jetStreamManagement();
      stream(jsm, "WORK", RetentionPolicy.WorkQueue);
      JetStream js = nc.jetStream();
      for (int i = 0; i < 4; i++) {
        js.publish("work.item", bytes("w" + i));
      }
      JetStreamSubscription sub = js.subscribe("work.item", PullSubscribeOptions.builder().durable("w").build());
      for (Message m : sub.fetch(3, Duration.ofSeconds(5))) {
        m.ackSync(Duration.ofSeconds(5));
      }
      assertEquals(1, jsm.getStreamInfo("WORK").getStreamState().getMsgCount(), "acknowledged work is gone");
      JetStreamApiException ackNone = assertThrows(JetStreamApiException.class, () -> jsm.addOrUpdateConsumer("WORK",
          ConsumerConfiguration.builder().durable("lazy").ackPolicy(AckPolicy.None).build()));
      assertEquals(10098, ackNone.getApiErrorCode());
    }
  }

  @Test
  void consumerApiAndPullStatuses() throws Exception {
    try (TestServer server = start(); Connection nc = Nats.connect(server.url())) {
      JetStreamManagement jsm = nc.jetStreamManagement();
      stream(jsm, "API", RetentionPolicy.Limits);
      jsm.addOrUpdateConsumer("API", ConsumerConfiguration.builder().durable("one").build());
      jsm.addOrUpdateConsumer("API", ConsumerConfiguration.builder().durable("two").filterSubject("api.x").build());
      assertEquals(List.of("one", "two"), jsm.getConsumerNames("API"));
      assertEquals(2, jsm.getConsumers("API").size());
      assertEquals("api.x", jsm.getConsumerInfo("API", "two").getConsumerConfiguration().getFilterSubject());
      assertEquals(2, jsm.getStreamInfo("API").getStreamState().getConsumerCount());

      Message empty = nc.request("$JS.API.CONSUMER.MSG.NEXT.API.one", bytes("{\"batch\":1,\"no_wait\":true}"),
          Duration.ofSeconds(5));
      assertTrue(empty.isStatusMessage());
      assertEquals(404, empty.getStatus().getCode());
      Message timeout = nc.request("$JS.API.CONSUMER.MSG.NEXT.API.one", bytes("{\"batch\":1,\"expires\":100000000}"),
          Duration.ofSeconds(5));
      assertEquals(408, timeout.getStatus().getCode());

      assertTrue(jsm.deleteConsumer("API", "two"));
      JetStreamApiException gone = assertThrows(JetStreamApiException.class, () -> jsm.getConsumerInfo("API", "two"));
      assertEquals(10014, gone.getApiErrorCode());
      var answer = nc.request("$JS.API.CONSUMER.MSG.NEXT.API.two", bytes("1"));
      // jnats cancels a request that has no responders (a timeout would be a TimeoutException)
      assertThrows(java.util.concurrent.CancellationException.class, () -> answer.get(5, java.util.concurrent.TimeUnit.SECONDS),
          "a deleted consumer has no responders");
    }
  }

  /** A filtered consumer's pending count is exact: in each ack reply (down to 0 at the end) and in its info. */
  @Test
  void pendingCountsAreExactForFilteredConsumers() throws Exception {
    try (TestServer server = start(); Connection nc = Nats.connect(server.url())) {
      JetStreamManagement jsm = nc.jetStreamManagement();
      stream(jsm, "MIX", RetentionPolicy.Limits);
      JetStream js = nc.jetStream();
      for (int i = 1; i <= 12; i++) {
        js.publish(i % 3 == 0 ? "mix.wanted" : "mix.other", bytes("m" + i));
      }
      jsm.addOrUpdateConsumer("MIX", ConsumerConfiguration.builder().durable("w").filterSubject("mix.wanted")
          .ackPolicy(AckPolicy.Explicit).build());
      assertEquals(4, jsm.getConsumerInfo("MIX", "w").getNumPending());
      jsm.deleteMessage("MIX", 9);
      assertEquals(3, jsm.getConsumerInfo("MIX", "w").getNumPending(), "a deleted message is no longer pending");
      JetStreamSubscription sub = js.subscribe(null, PullSubscribeOptions.bind("MIX", "w"));
      List<Long> pending = new ArrayList<>();
      for (Message m : sub.fetch(10, Duration.ofSeconds(2))) {
        pending.add(m.metaData().pendingCount());
        m.ack();
      }
      assertEquals(List.of(2L, 1L, 0L), pending);
      // the fetch's pull request may outlive the client's wait by a moment: it would take "y"
      Await.until("the fetch's pull request to end", () -> jsm.getConsumerInfo("MIX", "w").getNumWaiting() == 0);
      js.publish("mix.other", bytes("x"));
      js.publish("mix.wanted", bytes("y"));
      assertEquals(1, jsm.getConsumerInfo("MIX", "w").getNumPending());
    }
  }
}
