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

/** Redelivery timing and the ack kinds, on the consumer's bookkeeping alone (times given, not waited for). */
class AcksTest {

  private static final long SECOND = 1_000_000_000L;
  private static final long T0 = 1_000 * SECOND;

  private static Acks acks(JsonObject consumer, String retention) {
    StreamConfig stream = StreamConfig.parse(new JsonObject().put("name", "S")
        .put("subjects", new JsonArray().add("s.>")).put("retention", retention), "S");
    return new Acks(ConsumerConfig.parse(consumer.put("durable_name", "C"), stream), retention.equals("limits"));
  }

  private static Acks explicit(long ackWaitNanos) {
    return acks(new JsonObject().put("ack_policy", "explicit").put("ack_wait", ackWaitNanos), "limits");
  }

  private static Acks.Answer ack(Acks acks, long sseq, String body, long now) {
    return acks.ack("$JS.ACK.S.C.1." + sseq + ".1.0.0", body.getBytes(StandardCharsets.UTF_8), now);
  }

  private static JsonObject info(Acks acks) {
    JsonObject info = new JsonObject();
    acks.info(info);
    return info;
  }

  @Test
  void aMessageIsDueAgainOneAckWaitAfterItWasSent() {
    Acks acks = explicit(2 * SECOND);
    assertEquals(1, acks.sent(5, 0, T0));
    assertNull(acks.due(T0 + 2 * SECOND - 1));
    assertEquals(5L, acks.due(T0 + 2 * SECOND));
    // the redelivery restarts the wait from its own send
    long t1 = T0 + 3 * SECOND;
    assertEquals(2, acks.sent(5, 0, t1));
    assertNull(acks.due(t1 + 2 * SECOND - 1));
    assertEquals(5L, acks.due(t1 + 2 * SECOND));
    assertEquals(1L, info(acks).getLong("num_redelivered"));
    assertEquals(2L, acks.deliveredConsumer());
  }

  @Test
  void backoffGivesEachDeliveryItsStepAndTheLastStepAfterThat() {
    Acks acks = acks(new JsonObject().put("ack_policy", "explicit").put("max_deliver", 4)
        .put("backoff", new JsonArray().add(SECOND).add(5 * SECOND)), "limits");
    acks.sent(7, 0, T0);
    assertEquals(T0 + SECOND, acks.nextDeadline());
    acks.sent(7, 0, T0 + SECOND);
    assertEquals(T0 + 6 * SECOND, acks.nextDeadline());
    acks.sent(7, 0, T0 + 6 * SECOND);
    assertEquals(T0 + 11 * SECOND, acks.nextDeadline());
  }

  @Test
  void aMessageDeliveredMaxDeliverTimesIsDroppedAndTheFloorPassesIt() {
    Acks acks = acks(new JsonObject().put("ack_policy", "explicit").put("ack_wait", SECOND).put("max_deliver", 2),
        "limits");
    acks.sent(1, 0, T0);
    acks.sent(1, 0, T0 + SECOND);
    acks.sent(2, 0, T0 + SECOND + SECOND / 2);
    assertNull(acks.due(T0 + 2 * SECOND), "1 was delivered twice, 2 once and not yet due");
    assertEquals(1, acks.pendingCount());
    assertEquals(2L, acks.due(T0 + 3 * SECOND));
    JsonObject floor = info(acks).getJsonObject("ack_floor");
    assertEquals(1L, floor.getLong("stream_seq"));
  }

  @Test
  void nakWaitsItsDelayOrNothingAndProgressRestartsTheWait() {
    Acks acks = explicit(30 * SECOND);
    acks.sent(1, 0, T0);
    acks.sent(2, 0, T0);
    acks.sent(3, 0, T0);
    assertEquals(Acks.Answer.CONFIRM, ack(acks, 1, "-NAK {\"delay\": 2000000000}", T0 + SECOND));
    assertEquals(Acks.Answer.CONFIRM, ack(acks, 2, "-NAK {not json", T0 + SECOND));
    assertEquals(2L, acks.due(T0 + SECOND), "a malformed delay is no delay");
    acks.sent(2, 0, T0 + SECOND);
    assertNull(acks.due(T0 + 3 * SECOND - 1));
    assertEquals(1L, acks.due(T0 + 3 * SECOND));
    acks.sent(1, 0, T0 + 3 * SECOND); // due at 33s; 2 at 31s
    ack(acks, 3, "+WPI", T0 + 20 * SECOND);
    assertNull(acks.due(T0 + 30 * SECOND), "progress moved 3's deadline from 30s to 50s");
    assertEquals(T0 + 31 * SECOND, acks.nextDeadline());
  }

  @Test
  void ackMovesTheFloorToJustBelowTheOldestPending() {
    Acks acks = explicit(SECOND);
    for (long s = 1; s <= 3; s++) {
      acks.sent(s, 0, T0);
    }
    ack(acks, 2, "+ACK", T0);
    assertEquals(0L, info(acks).getJsonObject("ack_floor").getLong("stream_seq"));
    ack(acks, 1, "", T0);
    assertEquals(2L, info(acks).getJsonObject("ack_floor").getLong("stream_seq"));
    ack(acks, 3, "+ACK", T0);
    assertEquals(3L, info(acks).getJsonObject("ack_floor").getLong("stream_seq"));
    assertEquals(0, acks.pendingCount());
    assertTrue(acks.changed());
  }

  @Test
  void ackAllAcknowledgesEverythingUpToIt() {
    Acks acks = acks(new JsonObject().put("ack_policy", "all"), "limits");
    for (long s = 1; s <= 3; s++) {
      acks.sent(s, 0, T0);
    }
    ack(acks, 2, "+ACK", T0);
    assertEquals(1, acks.pendingCount());
    assertTrue(acks.isPending(3));
    assertEquals(2L, info(acks).getJsonObject("ack_floor").getLong("stream_seq"));
  }

  @Test
  void aWorkQueueReleasesWhatIsAcknowledgedOrTerminatedAndNextAsksForMore() {
    Acks acks = acks(new JsonObject().put("ack_policy", "explicit"), "workqueue");
    for (long s = 1; s <= 3; s++) {
      acks.sent(s, 0, T0);
    }
    ack(acks, 1, "+ACK", T0);
    ack(acks, 2, "+TERM", T0);
    assertEquals(Acks.Answer.NEXT, ack(acks, 3, "+NXT {\"batch\":2}", T0));
    List<Long> released = new ArrayList<>();
    acks.drainReleased(released::add);
    assertEquals(List.of(1L, 2L, 3L), released);
    released.clear();
    acks.drainReleased(released::add);
    assertTrue(released.isEmpty());
  }

  @Test
  void bothAckSubjectFormsAreReadAndOthersIgnored() {
    Acks acks = explicit(SECOND);
    acks.sent(4, 0, T0);
    acks.sent(9, 0, T0);
    byte[] ack = "+ACK".getBytes(StandardCharsets.UTF_8);
    assertEquals(Acks.Answer.CONFIRM, acks.ack("$JS.ACK.S.C.1.4.1.0.1", ack, T0));
    assertEquals(Acks.Answer.CONFIRM, acks.ack("$JS.ACK.hub.ACCHASH.S.C.1.9.2.0.0.rnd", ack, T0));
    assertEquals(0, acks.pendingCount());
    assertEquals(Acks.Answer.IGNORED, acks.ack("$JS.ACK.S.C.1", ack, T0));
  }

  @Test
  void withoutAcksDeliveryMovesTheFloorAndNothingIsPending() {
    Acks acks = acks(new JsonObject().put("ack_policy", "none"), "limits");
    acks.sent(1, 0, T0);
    acks.sent(2, 0, T0);
    assertEquals(0, acks.pendingCount());
    assertNull(acks.due(Long.MAX_VALUE));
    assertEquals(2L, info(acks).getJsonObject("ack_floor").getLong("consumer_seq"));
  }

  @Test
  void savedStateComesBackWithPendingDueOneAckWaitAfterTheRestart() {
    Acks before = explicit(10 * SECOND);
    before.sent(1, 111, T0);
    before.sent(2, 222, T0);
    before.sent(2, 222, T0 + 11 * SECOND);
    ack(before, 1, "+ACK", T0);
    JsonObject saved = before.writeTo(new JsonObject());

    Acks after = explicit(10 * SECOND);
    long restart = T0 + 100 * SECOND;
    after.readFrom(saved, restart);
    assertEquals(info(before), info(after));
    assertFalse(after.isPending(1));
    assertNull(after.due(restart + 10 * SECOND - 1));
    assertEquals(2L, after.due(restart + 10 * SECOND));
    assertEquals(3, after.sent(2, 222, restart + 10 * SECOND), "its delivery count survives");
  }
}
