package io.natsvx.jetstream.consumer;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * What a consumer delivered and what of it is still unacknowledged, as nats-server's consumer.go
 * counts it: the delivered and ack-floor sequences, the pending messages with their delivery
 * counts and deadlines, and the acknowledgement kinds ({@code +ACK}, {@code -NAK} with a delay,
 * {@code +WPI}, {@code +TERM}, {@code +NXT}). A message is due again {@code ack_wait} (or the
 * backoff step) after it was sent, until {@code max_deliver}. Confined to the consumer's pump.
 */
final class Acks {

  /** What an acknowledgement asks of the consumer beyond the bookkeeping done here. */
  enum Answer {
    /** Not an acknowledgement this consumer understands: no reply. */
    IGNORED,
    /** Done; a waiting client gets its confirmation once the state is kept. */
    CONFIRM,
    /** {@code +NXT}: acknowledged, and the reply is a pull request for more. */
    NEXT
  }

  /** A delivered message not yet acknowledged. */
  private static final class Pending {
    long consumerSeq;
    int deliveries;
    long deadline; // System.nanoTime() when it is due again
    final long timestampNanos;

    Pending(long consumerSeq, int deliveries, long deadline, long timestampNanos) {
      this.consumerSeq = consumerSeq;
      this.deliveries = deliveries;
      this.deadline = deadline;
      this.timestampNanos = timestampNanos;
    }
  }

  private final ConsumerConfig config;
  private final boolean keepsMessages;
  private final TreeMap<Long, Pending> pending = new TreeMap<>();
  /** Acknowledged for good: a work queue or interest stream may drop these. */
  private final List<Long> released = new ArrayList<>();
  private long deliveredConsumer;
  private long deliveredStream;
  private long floorConsumer;
  private long floorStream;
  private long numRedelivered;
  private boolean changed;

  /**
   * @param keepsMessages whether the stream keeps acknowledged messages (limits retention); when
   *     not, acknowledged sequences are handed out by {@link #drainReleased}
   */
  Acks(ConsumerConfig config, boolean keepsMessages) {
    this.config = config;
    this.keepsMessages = keepsMessages;
  }

  /** Delivery begins after {@code streamSeq}: nothing before it is pending. */
  void startAfter(long streamSeq) {
    deliveredStream = streamSeq;
    floorStream = streamSeq;
  }

  /**
   * Handles one acknowledgement on {@code $JS.ACK.<stream>.<consumer>.<delivered>.<sseq>...}
   * (v1, or v2 with domain and account hash).
   */
  Answer ack(String subject, byte[] payload, long now) {
    String[] t = subject.split("\\.");
    if (t.length < 9) {
      return Answer.IGNORED;
    }
    int base = t.length >= 12 ? 4 : 2;
    long sseq = parseLong(t[base + 3]);
    String body = new String(payload, StandardCharsets.UTF_8).trim();
    if (body.isEmpty() || body.startsWith("+ACK")) {
      acked(sseq);
    } else if (body.startsWith("-NAK")) {
      Pending p = pending.get(sseq);
      if (p != null) {
        p.deadline = now + Math.max(0, nakDelay(body.substring(4).trim()));
      }
    } else if (body.startsWith("+WPI")) {
      Pending p = pending.get(sseq);
      if (p != null) {
        p.deadline = now + ackWait(p.deliveries);
      }
    } else if (body.startsWith("+TERM")) {
      if (pending.remove(sseq) != null) {
        moveFloor();
        release(sseq);
      }
    } else if (body.startsWith("+NXT")) {
      acked(sseq);
      return Answer.NEXT;
    }
    return Answer.CONFIRM;
  }

  private static long nakDelay(String rest) {
    if (rest.startsWith("{")) {
      try {
        return new JsonObject(rest).getLong("delay", 0L);
      } catch (RuntimeException ignored) {
        // a malformed delay is no delay, as in nats-server
      }
    }
    return 0;
  }

  private void acked(long sseq) {
    if (config.ackNone()) {
      return;
    }
    boolean any = false;
    if (config.ackAll()) {
      Iterator<Long> it = pending.headMap(sseq, true).keySet().iterator();
      while (it.hasNext()) {
        release(it.next());
        it.remove();
        any = true;
      }
    } else if (pending.remove(sseq) != null) {
      release(sseq);
      any = true;
    }
    if (any) {
      moveFloor();
    }
  }

  private void release(long sseq) {
    if (!keepsMessages) {
      released.add(sseq);
    }
  }

  /** Hands the sequences acknowledged for good since the last call to {@code to}. */
  void drainReleased(LongConsumer to) {
    for (long sseq : released) {
      to.accept(sseq);
    }
    released.clear();
  }

  /** The ack floor: just below the oldest pending message, or what was delivered when none is. */
  private void moveFloor() {
    if (pending.isEmpty()) {
      floorStream = Math.max(floorStream, deliveredStream);
      floorConsumer = Math.max(floorConsumer, deliveredConsumer);
    } else {
      Map.Entry<Long, Pending> oldest = pending.firstEntry();
      floorStream = Math.max(floorStream, oldest.getKey() - 1);
      floorConsumer = Math.max(floorConsumer, oldest.getValue().consumerSeq - 1);
    }
    changed = true;
  }

  /**
   * The oldest pending message whose time is up and that may be delivered again, or null; those
   * that reached {@code max_deliver} are dropped on the way.
   */
  Long due(long now) {
    if (config.ackNone()) {
      return null;
    }
    Iterator<Map.Entry<Long, Pending>> it = pending.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Long, Pending> e = it.next();
      Pending p = e.getValue();
      if (p.deadline > now) {
        continue;
      }
      if (config.maxDeliver() > 0 && p.deliveries >= config.maxDeliver()) {
        it.remove();
        moveFloor();
        continue;
      }
      return e.getKey();
    }
    return null;
  }

  /** A due message that is no longer in the stream: it stops being pending. */
  void vanished(long sseq) {
    pending.remove(sseq);
    moveFloor();
  }

  /** A message taken for delivery that could not go: it is due at once. */
  boolean retryAtOnce(long sseq) {
    Pending p = pending.get(sseq);
    if (p != null) {
      p.deadline = 0;
    }
    return p != null;
  }

  /** Whether max_ack_pending stops new messages. */
  boolean full() {
    return !config.ackNone() && config.maxAckPending() > 0 && pending.size() >= config.maxAckPending();
  }

  /**
   * Counts a delivery of stream message {@code sseq} at {@code now}; its ack wait runs from here.
   *
   * @return the delivery count of the message (1 the first time); {@link #deliveredConsumer()} is
   *     its consumer sequence
   */
  int sent(long sseq, long timestampNanos, long now) {
    Pending p = pending.get(sseq);
    long cseq = ++deliveredConsumer;
    int deliveries;
    if (p != null) {
      deliveries = ++p.deliveries;
      p.consumerSeq = cseq;
      p.deadline = now + ackWait(deliveries);
      numRedelivered++;
    } else {
      deliveries = 1;
      if (!config.ackNone()) {
        pending.put(sseq, new Pending(cseq, 1, now + ackWait(1), timestampNanos));
      }
    }
    deliveredStream = Math.max(deliveredStream, sseq);
    if (config.ackNone()) {
      floorStream = deliveredStream;
      floorConsumer = deliveredConsumer;
      changed = true; // without acks, delivery is what moves the floor
    }
    return deliveries;
  }

  /** The earliest deadline of a pending message, or Long.MAX_VALUE. */
  long nextDeadline() {
    long next = Long.MAX_VALUE;
    for (Pending p : pending.values()) {
      next = Math.min(next, p.deadline);
    }
    return next;
  }

  boolean isPending(long sseq) {
    return pending.containsKey(sseq);
  }

  boolean belowFloor(long sseq) {
    return sseq <= floorStream;
  }

  long ackWait(int deliveries) {
    List<Long> backoff = config.backoff();
    if (!backoff.isEmpty()) {
      return backoff.get(Math.max(0, Math.min(deliveries, backoff.size()) - 1));
    }
    return config.ackWaitNanos();
  }

  /** Whether the floor moved since the last {@link #saved()}. */
  boolean changed() {
    return changed;
  }

  void saved() {
    changed = false;
  }

  long deliveredConsumer() {
    return deliveredConsumer;
  }

  long deliveredStream() {
    return deliveredStream;
  }

  int pendingCount() {
    return pending.size();
  }

  /** Adds the saved fields ({@code dc ds fc fs redelivered pending}) to {@code state}. */
  JsonObject writeTo(JsonObject state) {
    JsonArray p = new JsonArray();
    pending.forEach((sseq, e) -> p.add(new JsonArray().add(sseq).add(e.consumerSeq).add(e.deliveries)
        .add(e.timestampNanos)));
    return state.put("dc", deliveredConsumer).put("ds", deliveredStream)
        .put("fc", floorConsumer).put("fs", floorStream).put("redelivered", numRedelivered).put("pending", p);
  }

  /** Takes back what {@link #writeTo} saved; pending messages are due one ack wait after {@code now}. */
  void readFrom(JsonObject state, long now) {
    deliveredConsumer = state.getLong("dc", 0L);
    deliveredStream = state.getLong("ds", 0L);
    floorConsumer = state.getLong("fc", 0L);
    floorStream = state.getLong("fs", 0L);
    numRedelivered = state.getLong("redelivered", 0L);
    JsonArray p = state.getJsonArray("pending", new JsonArray());
    for (int i = 0; i < p.size(); i++) {
      JsonArray e = p.getJsonArray(i);
      int deliveries = e.getInteger(2);
      pending.put(e.getLong(0), new Pending(e.getLong(1), deliveries, now + ackWait(deliveries), e.getLong(3)));
    }
  }

  /** nats-server's ConsumerInfo fields for deliveries and acks. */
  void info(JsonObject info) {
    info.put("delivered", new JsonObject().put("consumer_seq", deliveredConsumer).put("stream_seq", deliveredStream))
        .put("ack_floor", new JsonObject().put("consumer_seq", floorConsumer).put("stream_seq", floorStream))
        .put("num_ack_pending", pending.size())
        .put("num_redelivered", numRedelivered);
  }

  static long parseLong(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
