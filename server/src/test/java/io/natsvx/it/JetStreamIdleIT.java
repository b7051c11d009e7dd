package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.natsvx.jetstream.consumer.Consumer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A consumer with nothing it can do does no work: it waits for the event that lets it act (a
 * message, a pull request, an ack) instead of waking on a timer that is already due.
 */
@Tag("jetstream")
class JetStreamIdleIT extends JetStreamTests {

  /** An idle second: waiting out time is what is measured here, so it is slept, not awaited. */
  private static long pumpsOver(Consumer c, long millis) throws InterruptedException {
    long before = c.pumps();
    Thread.sleep(millis);
    return c.pumps() - before;
  }

  private static Consumer consumer(TestServer s, String stream, String name) {
    var account = s.verticle.jetStream().account("$G");
    return account.consumers(account.stream(stream)).get(name);
  }

  @Test
  void aDurableConsumerOnAMemoryStreamRestsWhileNothingHappens() throws Exception {
    try (TestServer s = start(); Connection nc = Nats.connect(s.url())) {
      nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("MEM").subjects("mem.>")
          .storageType(StorageType.Memory).build());
      nc.jetStreamManagement().addOrUpdateConsumer("MEM", ConsumerConfiguration.builder().durable("idle")
          .ackPolicy(AckPolicy.Explicit).build());
      Consumer c = consumer(s, "MEM", "idle");
      long pumps = pumpsOver(c, 1000);
      assertTrue(pumps < 10, "an idle consumer ran " + pumps + " times in a second");
    }
  }

  @Test
  void anOverdueRedeliveryWaitsForAPullRequestThenGoesOut() throws Exception {
    try (TestServer s = start(); Connection nc = Nats.connect(s.url())) {
      nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("F").subjects("f.>").build());
      JetStreamSubscription sub = nc.jetStream().subscribe("f.>", PullSubscribeOptions.builder().durable("late")
          .configuration(ConsumerConfiguration.builder().ackPolicy(AckPolicy.Explicit)
              .ackWait(Duration.ofMillis(200)).build()).build());
      nc.jetStream().publish("f.1", bytes("one"));
      List<Message> first = sub.fetch(1, Duration.ofSeconds(2));
      assertEquals(1, first.size());
      Consumer c = consumer(s, "F", "late");
      Await.until("the fetch's request to end", () -> nc.jetStreamManagement()
          .getConsumerInfo("F", "late").getNumWaiting() == 0);
      // Not acked: its redelivery falls due 200 ms in, with no request to carry it.
      long pumps = pumpsOver(c, 1000);
      assertTrue(pumps < 10, "a consumer with no request to serve ran " + pumps + " times in a second");

      List<Message> again = sub.fetch(1, Duration.ofSeconds(2));
      assertEquals(1, again.size(), "the next request gets the redelivery");
      assertEquals(2, again.get(0).metaData().deliveredCount());
      assertEquals("one", new String(again.get(0).getData()));
      again.get(0).ack();
    }
  }
}
