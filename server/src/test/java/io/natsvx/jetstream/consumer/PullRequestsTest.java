package io.natsvx.jetstream.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsvx.jetstream.stream.StreamConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pull waiting list: nats-server's limits, statuses and timing, with times given. */
class PullRequestsTest {

  private static final long SECOND = 1_000_000_000L;
  private static final long T0 = 1_000 * SECOND;

  private final List<String> statuses = new ArrayList<>();

  private PullRequests requests(JsonObject consumer) {
    StreamConfig stream = StreamConfig.parse(new JsonObject().put("name", "S")
        .put("subjects", new JsonArray().add("s.>")), "S");
    return new PullRequests(ConsumerConfig.parse(consumer.put("durable_name", "C").put("ack_policy", "explicit"),
        stream), (to, status, extra) -> statuses.add(to + " " + status + (extra == null ? "" : " | " + extra)));
  }

  private static byte[] json(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void requestsBeyondTheConsumersLimitsGet409() {
    PullRequests r = requests(new JsonObject().put("max_batch", 10).put("max_expires", SECOND)
        .put("max_bytes", 100).put("max_waiting", 1));
    r.add("a", json("{\"batch\":11}"), T0);
    r.add("b", json("{\"batch\":1,\"expires\":2000000000}"), T0);
    r.add("c", json("{\"batch\":1,\"max_bytes\":101}"), T0);
    r.add("d", json("{broken"), T0);
    r.add("e", json("5"), T0);
    r.add("f", new byte[0], T0);
    assertEquals(List.of("a 409 Exceeded MaxRequestBatch of 10", "b 409 Exceeded MaxRequestExpires of 1s",
        "c 409 Exceeded MaxRequestMaxBytes of 100", "d 400 Bad Request", "f 409 Exceeded MaxWaiting"), statuses);
    assertEquals(1, r.size());
    assertEquals("e", r.first().reply());
  }

  @Test
  void anExpiredRequestEndsWith408AndWhatItStillWanted() {
    PullRequests r = requests(new JsonObject());
    r.add("a", json("{\"batch\":3,\"expires\":1000000000,\"max_bytes\":500}"), T0);
    assertTrue(r.first().fits(100));
    assertFalse(r.first().took(100));
    r.expire(T0 + SECOND - 1);
    assertTrue(statuses.isEmpty());
    assertEquals(T0 + SECOND, r.nextDeadline());
    r.expire(T0 + SECOND);
    assertEquals(List.of("a 408 Request Timeout | Nats-Pending-Messages: 2\r\nNats-Pending-Bytes: 500"), statuses);
    assertTrue(r.isEmpty());
  }

  @Test
  void noWaitEndsWith404WhenItGotNothingAnd408WhenSome() {
    PullRequests r = requests(new JsonObject());
    r.add("a", json("{\"batch\":2,\"no_wait\":true}"), T0);
    r.add("b", json("{\"batch\":2,\"no_wait\":true}"), T0);
    r.first().took(10);
    r.finishNoWait();
    assertEquals(List.of("a 408 Request Timeout | Nats-Pending-Messages: 1\r\nNats-Pending-Bytes: 0",
        "b 404 No Messages"), statuses);
    assertTrue(r.isEmpty());
  }

  @Test
  void aBatchCompletesAndMaxBytesEndsARequest() {
    PullRequests r = requests(new JsonObject());
    r.add("a", json("{\"batch\":2}"), T0);
    r.add("b", json("{\"batch\":5,\"max_bytes\":50}"), T0);
    assertFalse(r.first().took(10));
    assertTrue(r.first().took(10));
    r.removeFirst();
    assertFalse(r.first().fits(51));
    r.removeFirstTooSmall();
    assertEquals(List.of("b 409 Message Size Exceeds MaxBytes"), statuses);
    assertNull(r.first());
  }

  @Test
  void heartbeatsGoEveryIdleHeartbeatAndDeletionTellsEveryWaiter() {
    PullRequests r = requests(new JsonObject());
    r.add("a", json("{\"batch\":1,\"idle_heartbeat\":1000000000,\"expires\":5000000000}"), T0);
    r.add("b", json("{\"batch\":1}"), T0);
    assertEquals(T0 + SECOND, r.nextDeadline());
    r.heartbeats(T0 + SECOND - 1);
    assertTrue(statuses.isEmpty());
    r.heartbeats(T0 + SECOND);
    assertEquals(List.of("a 100 Idle Heartbeat"), statuses);
    assertEquals(T0 + 2 * SECOND, r.nextDeadline());
    statuses.clear();
    r.clear(true);
    assertEquals(List.of("a 409 Consumer Deleted", "b 409 Consumer Deleted"), statuses);
    assertTrue(r.isEmpty());
  }
}
