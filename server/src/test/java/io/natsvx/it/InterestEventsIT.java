package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.natsvx.server.EventBusAddresses;
import io.natsvx.server.EventBusAddresses.InterestChange;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Interest changes reach the event bus, where routes, gateways and leaf nodes will listen. */
class InterestEventsIT {

  @Test
  void subUnsubAndCloseArePublished() throws Exception {
    try (TestServer server = TestServer.start()) {
      LinkedBlockingQueue<InterestChange> seen = new LinkedBlockingQueue<>();
      server.vertx.eventBus().<InterestChange>localConsumer(EventBusAddresses.INTEREST, m -> seen.add(m.body()))
          .completion().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      try (RawClient c = RawClient.connect(server.port())) {
        c.send("CONNECT {\"verbose\":false}\r\nSUB a.* 1\r\nSUB b q 2\r\nUNSUB 1\r\n").sync();
        assertEquals(new InterestChange("$G", "a.*", null, true, null, null), seen.poll(5, TimeUnit.SECONDS));
        assertEquals(new InterestChange("$G", "b", "q", true, null, null), seen.poll(5, TimeUnit.SECONDS));
        assertEquals(new InterestChange("$G", "a.*", null, false, null, null), seen.poll(5, TimeUnit.SECONDS));
      }
      // The client went away: its remaining subscription goes too.
      assertEquals(new InterestChange("$G", "b", "q", false, null, null), seen.poll(5, TimeUnit.SECONDS));
    }
  }
}
