package io.natsvx.jetstream.stream;

import io.natsvx.account.Account;
import io.natsvx.messaging.InternalPublisher;
import io.natsvx.jetstream.wire.JsApiException;
import io.natsvx.jetstream.wire.JsError;
import io.natsvx.jetstream.store.StoreException;
import io.natsvx.jetstream.store.StreamState;
import io.natsvx.jetstream.store.StreamStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one writer of a stream: publishes queue up from any event loop; a drain on a worker takes
 * everything queued, checks each message as nats-server's processJetStreamMsg does (size, discard
 * new, the Nats-Expected-* headers, Nats-Msg-Id duplicates, Nats-Rollup), stores the burst in
 * one commit, and only then acknowledges each publish that asked ({@code {"stream","seq"}}).
 * Thread-safe: {@link #offer} from anywhere; one drain runs at a time.
 */
final class StreamWriter {

  /**
   * A publish waiting to be stored; or a copy from an origin stream ({@code copy}), which a
   * mirror stores under the origin's sequence ({@code seq} &gt; 0; a null subject only moves the
   * sequence on).
   */
  private record Pending(String subject, String reply, byte[] headers, byte[] data, long timestampNanos,
      boolean copy, long seq) {}

  /** An acknowledgement to send once the commit is done. */
  private record Ack(String reply, String body) {}

  /** A stored message published again (republish), sent with the acks. */
  private record Republished(String subject, byte[] headers, byte[] data) {}

  private static final int MAX_BURST = 4096;

  private final Vertx vertx;
  private final Stream stream;
  private final Account account;
  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  /** Nats-Msg-Id to its sequence and when it was published, oldest first (the duplicate window). Drain only. */
  private final Map<String, long[]> msgIds = new LinkedHashMap<>();
  private String lastMsgId = "";
  /** Whether the ids of the messages stored before this writer started are in {@link #msgIds}. */
  private boolean idsLoaded;
  private final List<Republished> republished = new ArrayList<>();
  /** Messages per subject in the burst not yet committed (discard_new_per_subject counts them). */
  private final Map<String, Integer> uncommittedPerSubject = new java.util.HashMap<>();

  private final StorageRoom room;

  /** What the burst not yet committed holds, for the header checks of the messages after it in the burst. Drain only. */
  private final Uncommitted uncommitted = new Uncommitted();

  private static final class Uncommitted {
    final Map<String, Long> lastBySubject = new java.util.HashMap<>();
    final Map<String, Long> ids = new java.util.HashMap<>();
    String lastMsgId;

    /** A message of the burst gets sequence {@code seq} ({@code subject} null: a sequence holding none). */
    void taken(String subject, long seq, byte[] headers) {
      if (subject != null) {
        lastBySubject.put(subject, seq);
      }
      String id = headers.length == 0 ? null : Headers.get(headers, "Nats-Msg-Id");
      lastMsgId = id == null ? "" : id;
      if (id != null && !id.isEmpty()) {
        ids.put(id, seq);
      }
    }

    void clear() {
      lastBySubject.clear();
      ids.clear();
      lastMsgId = null;
    }
  }

  private final String quotedDomain;

  /** max_buffered_msgs: publishes queued beyond it are refused with 429, so the queue stays bounded. */
  private final long maxBuffered;
  private final java.util.concurrent.atomic.AtomicLong queued = new java.util.concurrent.atomic.AtomicLong();

  StreamWriter(Vertx vertx, Stream stream, Account account, String domain, StorageRoom room, long maxBuffered) {
    this.maxBuffered = maxBuffered;
    this.room = room;
    this.quotedDomain = domain == null || domain.isEmpty() ? null : io.vertx.core.json.Json.encode(domain);
    this.vertx = vertx;
    this.stream = stream;
    this.account = account;
  }

  void offer(String subject, String reply, byte[] headers, byte[] data) {
    if (maxBuffered > 0 && queued.get() >= maxBuffered) {
      if (reply != null && !reply.isEmpty()) {
        InternalPublisher.publish(account, reply, null, null, new JsonObject()
            .put("error", JsError.STREAM_TOO_MANY_REQUESTS.json(null)).put("stream", stream.name()).put("seq", 0)
            .encode().getBytes(StandardCharsets.UTF_8));
      }
      return;
    }
    queued.incrementAndGet();
    java.time.Instant now = java.time.Instant.now();
    enqueue(new Pending(subject, reply, headers, data, now.getEpochSecond() * 1_000_000_000L + now.getNano(), false,
        0));
  }

  /**
   * A message copied from an origin stream: never refused for a full queue (the origin's flow
   * control bounds it), never acknowledged. A mirror's ({@code seq} &gt; 0) keeps the origin's
   * sequence and time and is stored once: a sequence not after the last is dropped.
   */
  void offerCopy(String subject, byte[] headers, byte[] data, long seq, long timestampNanos) {
    queued.incrementAndGet();
    enqueue(new Pending(subject, null, headers, data, timestampNanos, true, seq));
  }

  /**
   * Answers an origin's flow-control request once the copies queued before it are stored, so an
   * origin never runs further ahead of this stream's disk than its flow-control window.
   */
  void offerAfterCopies(String reply) {
    queued.incrementAndGet();
    enqueue(new Pending(null, reply, null, null, 0, true, 0));
  }

  private void enqueue(Pending p) {
    queue.add(p);
    if (draining.compareAndSet(false, true)) {
      vertx.executeBlocking(() -> {
        drain();
        return null;
      }, false);
    }
  }

  /** Drops what max_age let go of; through the queue's drain so it never races a burst. */
  void expire(long cutoffNanos) {
    vertx.executeBlocking(() -> {
      synchronized (this) {
        stream.store().expire(cutoffNanos);
      }
      return null;
    }, false);
  }

  private void drain() {
    try {
      while (true) {
        synchronized (this) {
          drainOnce();
        }
        draining.set(false);
        if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
          return;
        }
      }
    } catch (RuntimeException e) {
      draining.set(false);
      throw e;
    }
  }

  private void drainOnce() {
    List<StreamStore.Append> burst = new ArrayList<>();
    List<Pending> stored = new ArrayList<>();
    List<Ack> acks = new ArrayList<>();
    StreamState state = stream.store().state();
    long msgs = state.msgs();
    long bytes = state.bytes();
    long space = room.room(stream.config().memory());
    long lastGiven = state.lastSeq();
    Pending p;
    int n = 0;
    while (n++ < MAX_BURST && (p = queue.poll()) != null) {
      queued.decrementAndGet();
      StreamConfig c = stream.config();
      try {
        if (p.copy() && p.subject() == null && p.seq() == 0) {
          acks.add(new Ack(p.reply(), "")); // sent after this burst's commit
          continue;
        }
        if (p.seq() > 0) {
          if (p.seq() <= lastGiven) {
            continue; // had it already: a mirror's feed asked again from an older place
          }
          lastGiven = p.seq();
          if (p.subject() == null) {
            burst.add(StreamStore.Append.skipTo(p.seq(), p.timestampNanos()));
            stored.add(p);
            continue;
          }
          long size = io.natsvx.jetstream.store.StoredMessage.size(p.subject(), p.headers(), p.data());
          checkRoom(c, p, size, msgs, bytes);
          burst.add(new StreamStore.Append(p.subject(), p.headers(), p.data(), p.timestampNanos(), p.seq()));
          stored.add(p);
          msgs++;
          bytes += size;
          continue;
        }
        if (p.headers().length > 0 && needsState(p.headers())) {
          if (Headers.get(p.headers(), "Nats-Rollup") != null) {
            // a roll-up purges the store first: what is queued before it goes in now
            commit(burst, stored, acks);
            state = stream.store().state();
            lastGiven = state.lastSeq();
            msgs = state.msgs();
            bytes = state.bytes();
          }
          Long duplicate = checkHeaders(c, p, state, lastGiven);
          if (duplicate != null) {
            ack(acks, p, new JsonObject().put("stream", c.name()).put("seq", duplicate).put("duplicate", true));
            continue;
          }
        }
        checkMessage(c, p);
        if (c.retention().equals("interest") && !stream.wanted(p.subject())) {
          burst.add(StreamStore.Append.skip(p.timestampNanos()));
          stored.add(p);
          lastGiven++;
          uncommitted.taken(null, lastGiven, p.headers());
          continue;
        }
        long size = io.natsvx.jetstream.store.StoredMessage.size(p.subject(), p.headers(), p.data());
        checkRoom(c, p, size, msgs, bytes);
        if (size > space) {
          throw JsError.ACCOUNT_RESOURCES_EXCEEDED.exception();
        }
        space -= size;
        burst.add(new StreamStore.Append(p.subject(), p.headers(), p.data(), p.timestampNanos()));
        stored.add(p);
        lastGiven++;
        uncommitted.taken(p.subject(), lastGiven, p.headers());
        if (c.discardNewPerSubject()) {
          uncommittedPerSubject.merge(p.subject(), 1, Integer::sum);
        }
        msgs++;
        bytes += size;
      } catch (JsApiException e) {
        ack(acks, p, new JsonObject().put("error", e.json()).put("stream", c.name()).put("seq", 0));
      } catch (StoreException e) {
        ack(acks, p, new JsonObject().put("error", JsError.STREAM_STORE_FAILED.json(e.getMessage()))
            .put("stream", c.name()).put("seq", 0));
      }
    }
    commit(burst, stored, acks);
    stream.appended();
    InternalPublisher.Batch out = new InternalPublisher.Batch();
    for (Republished r : republished) {
      out.add(account, r.subject(), r.subject(), null, r.headers(), r.data());
    }
    republished.clear();
    for (Ack a : acks) {
      out.add(account, a.reply(), a.reply(), null, null, a.body().getBytes(StandardCharsets.UTF_8));
    }
    out.send();
  }

  private static boolean needsState(byte[] headers) {
    String h = new String(headers, StandardCharsets.UTF_8);
    return h.contains("Nats-Expected-") || h.contains("Nats-Msg-Id") || h.contains("Nats-Rollup");
  }

  /** Stores a burst; each publish gets its sequence, or the store's error. */
  private void commit(List<StreamStore.Append> burst, List<Pending> stored, List<Ack> acks) {
    uncommittedPerSubject.clear();
    uncommitted.clear();
    if (burst.isEmpty()) {
      return;
    }
    StreamConfig c = stream.config();
    try {
      RePublish rp = c.republish();
      String[] targets = new String[stored.size()];
      Map<String, Long> lastSeqs = new java.util.HashMap<>();
      for (int i = 0; rp != null && i < targets.length; i++) {
        if (burst.get(i).skipped()) {
          continue;
        }
        String subject = stored.get(i).subject();
        targets[i] = rp.target(subject);
        if (targets[i] != null) {
          lastSeqs.computeIfAbsent(subject, stream.store()::lastSeq); // before this burst
        }
      }
      long[] seqs = stream.store().append(burst, stream.limits());
      String quotedStream = io.vertx.core.json.Json.encode(c.name());
      for (int i = 0; i < seqs.length; i++) {
        Pending p = stored.get(i);
        if (targets[i] != null) {
          long last = lastSeqs.put(p.subject(), seqs[i]);
          republished.add(new Republished(targets[i], rp.headers(c.name(), p.subject(), seqs[i], p.timestampNanos(), last,
              p.headers(), p.data().length), rp.headersOnly() ? new byte[0] : p.data()));
        }
        String id = Headers.get(p.headers(), "Nats-Msg-Id");
        if (id != null && !id.isEmpty()) {
          msgIds.put(id, new long[] {seqs[i], p.timestampNanos()});
        }
        if (!p.copy()) {
          lastMsgId = id == null ? "" : id; // nats-server's lmsgId: the last message's id, none included
        }
        ack(acks, p, pubAck(quotedStream, seqs[i]));
      }
    } catch (StoreException e) {
      for (Pending p : stored) {
        ack(acks, p, new JsonObject().put("error", JsError.STREAM_STORE_FAILED.json(e.getMessage()))
            .put("stream", c.name()).put("seq", 0));
      }
    }
    burst.clear();
    stored.clear();
  }

  private void ack(List<Ack> acks, Pending p, JsonObject body) {
    ack(acks, p, body.encode());
  }

  private void ack(List<Ack> acks, Pending p, String body) {
    if (p.reply() != null && !p.reply().isEmpty() && !stream.config().noAck()) {
      acks.add(new Ack(p.reply(), body));
    }
  }

  /**
   * nats-server's PubAck, written by hand around the names JSON-quoted once per burst: one is
   * made per stored message, so no JSON tree on this path.
   */
  private String pubAck(String quotedStream, long seq) {
    StringBuilder b = new StringBuilder(48).append("{\"stream\":").append(quotedStream).append(",\"seq\":").append(seq);
    if (quotedDomain != null) {
      b.append(",\"domain\":").append(quotedDomain);
    }
    return b.append('}').toString();
  }

  /**
   * The checks that read the stream's state, the burst not yet committed counted in ({@code
   * lastGiven} is the sequence its last message will get); a duplicate's original sequence, or
   * null to store it.
   */
  private Long checkHeaders(StreamConfig c, Pending p, StreamState state, long lastGiven) {
    byte[] h = p.headers();
    String expectedStream = Headers.get(h, "Nats-Expected-Stream");
    if (expectedStream != null && !expectedStream.equals(c.name())) {
      throw JsError.STREAM_NOT_MATCH.exception();
    }
    loadIds(c, state);
    forgetOldIds(c);
    String id = Headers.get(h, "Nats-Msg-Id");
    if (id != null && !id.isEmpty()) {
      Long pending = uncommitted.ids.get(id);
      if (pending != null) {
        return pending;
      }
      if (msgIds.containsKey(id)) {
        return msgIds.get(id)[0];
      }
    }
    String lastSeq = Headers.get(h, "Nats-Expected-Last-Sequence");
    if (lastSeq != null && parse(lastSeq) != lastGiven) {
      throw JsError.STREAM_WRONG_LAST_SEQUENCE.exception(Long.toString(lastGiven));
    }
    String lastSubjectSeq = Headers.get(h, "Nats-Expected-Last-Subject-Sequence");
    if (lastSubjectSeq != null) {
      Long pending = uncommitted.lastBySubject.get(p.subject());
      long actual = pending != null ? pending : stream.store().lastSeq(p.subject());
      if (parse(lastSubjectSeq) != actual) {
        throw JsError.STREAM_WRONG_LAST_SEQUENCE.exception(Long.toString(actual));
      }
    }
    String lastMsgId = uncommitted.lastMsgId != null ? uncommitted.lastMsgId : this.lastMsgId;
    String lastId = Headers.get(h, "Nats-Expected-Last-Msg-Id");
    if (lastId != null && !lastId.equals(lastMsgId)) {
      throw JsError.STREAM_WRONG_LAST_MSG_ID.exception(lastMsgId);
    }
    String rollup = Headers.get(h, "Nats-Rollup");
    if (rollup != null) {
      if (!c.allowRollup() || c.denyPurge()) {
        throw JsError.STREAM_ROLLUP_FAILED.exception("rollup not permitted");
      }
      switch (rollup) {
        case "sub" -> stream.store().purge(p.subject(), 0, 0);
        case "all" -> stream.store().purge(null, 0, 0);
        default -> throw JsError.STREAM_ROLLUP_FAILED.exception("rollup value invalid: " + rollup);
      }
    }
    return null;
  }

  /**
   * nats-server's rebuildDedupe, done the first time a publish needs the ids: the Nats-Msg-Id of
   * every message stored within the duplicate window, so a publisher retrying across a restart
   * (or a crash) is answered with the original instead of storing its message twice.
   */
  private void loadIds(StreamConfig c, StreamState state) {
    if (idsLoaded) {
      return;
    }
    idsLoaded = true;
    long cutoff = System.currentTimeMillis() * 1_000_000L - c.duplicateWindowNanos();
    for (long from = stream.store().seqAtTime(cutoff); from > 0 && from <= state.lastSeq(); ) {
      List<io.natsvx.jetstream.store.StoredMessage> batch = stream.store().loadBatch(from, null, 1024);
      if (batch.isEmpty()) {
        break;
      }
      for (io.natsvx.jetstream.store.StoredMessage m : batch) {
        String id = m.headers().length == 0 ? null : Headers.get(m.headers(), "Nats-Msg-Id");
        if (id != null && !id.isEmpty()) {
          msgIds.remove(id);
          msgIds.put(id, new long[] {m.seq(), m.timestampNanos()});
        }
        if (m.seq() == state.lastSeq()) {
          lastMsgId = id == null ? "" : id;
        }
      }
      from = batch.get(batch.size() - 1).seq() + 1;
    }
  }

  private void forgetOldIds(StreamConfig c) {
    long cutoff = System.currentTimeMillis() * 1_000_000L - c.duplicateWindowNanos();
    Iterator<long[]> it = msgIds.values().iterator();
    while (it.hasNext() && it.next()[1] < cutoff) {
      it.remove();
    }
  }

  /** What refuses a message whatever the stream holds: sealed, too big. */
  private static void checkMessage(StreamConfig c, Pending p) {
    if (c.sealed()) {
      throw JsError.STREAM_SEALED.exception();
    }
    if (c.maxMsgSize() >= 0 && p.headers().length + p.data().length > c.maxMsgSize()) {
      throw JsError.STREAM_MESSAGE_EXCEEDS_MAXIMUM.exception();
    }
  }

  /** The discard-new checks, with the burst so far counted in. */
  private void checkRoom(StreamConfig c, Pending p, long size, long msgs, long bytes) {
    if (!c.discardNew()) {
      return;
    }
    if (c.maxMsgs() > 0 && msgs >= c.maxMsgs()) {
      throw JsError.STREAM_STORE_FAILED.exception("maximum messages exceeded");
    }
    if (c.maxBytes() > 0 && bytes + size > c.maxBytes()) {
      throw JsError.STREAM_STORE_FAILED.exception("maximum bytes exceeded");
    }
    if (c.discardNewPerSubject() && c.maxMsgsPerSubject() > 0
        && stream.store().subjectCount(p.subject()) + uncommittedPerSubject.getOrDefault(p.subject(), 0)
        >= c.maxMsgsPerSubject()) {
      throw JsError.STREAM_STORE_FAILED.exception("maximum messages per subject exceeded");
    }
  }

  private static long parse(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
