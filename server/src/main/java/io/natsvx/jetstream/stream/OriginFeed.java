package io.natsvx.jetstream.stream;

import io.natsvx.account.Account;
import io.natsvx.messaging.InternalPublisher;
import io.natsvx.messaging.InternalSink;
import io.natsvx.subject.Subscription;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * Copies one origin stream into a stream, as nats-server's mirror and source do: it asks the
 * origin's JetStream API (local, or behind the {@code external} API prefix: another account, a
 * JetStream domain over a leaf node) for a push consumer of its own (ack none, flow control,
 * 1 s heartbeats, {@code direct}) starting after the last sequence it took, and hands each
 * delivery to the stream's writer. A mirror keeps the origin's sequences (the writer stores each
 * once), a source adds {@code Nats-Stream-Source: <origin> <seq>} so a restart finds its place.
 * A gap in the consumer's sequence, a heartbeat naming a delivery not seen, or 3 s of silence
 * makes a new consumer from where it stands, so nothing is lost or taken twice. Thread-safe.
 */
final class OriginFeed {

  /** What a source's copies carry: the origin's name and sequence. */
  static final String SOURCE_HEADER = "Nats-Stream-Source";

  private static final long HEARTBEAT_NANOS = 1_000_000_000L;
  private static final long STALLED_MILLIS = 3_000;
  private static final long RETRY_MILLIS = 2_000;
  private static final long ANSWER_MILLIS = 5_000;
  private static final String API = "$JS.API";

  private final Vertx vertx;
  private final Account account;
  private final Stream stream;
  private final StreamOrigin origin;
  private final boolean mirror;

  // guarded by this
  /** The last origin sequence taken. */
  private long sseq;
  /** The last consumer sequence seen from the current consumer. */
  private long dseq;
  /** Where the first consumer starts when nothing was taken yet: a time, or the origin's own start. */
  private String startTime;
  private String consumer;
  /** Deliveries went missing: the consumer is asked for again as soon as the pace allows. */
  private boolean broken;
  private Subscription deliveries;
  private Subscription answers;
  private long requestedMillis;
  private boolean asking;
  private long heardMillis;
  private long lag;
  private JsonObject error;
  private boolean stopped;
  private long timer = -1;

  OriginFeed(Vertx vertx, Account account, Stream stream, StreamOrigin origin, boolean mirror) {
    this.vertx = vertx;
    this.account = account;
    this.stream = stream;
    this.origin = origin;
    this.mirror = mirror;
  }

  StreamOrigin origin() {
    return origin;
  }

  /** Starts after origin sequence {@code taken} (0: nothing taken; {@code startTime}, when set, says where). */
  synchronized void start(long taken, String startTime) {
    this.sseq = taken;
    this.startTime = startTime;
    timer = vertx.setPeriodic(1000, t -> check());
    ask();
  }

  synchronized void stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    cancel();
  }

  /** nats-server's StreamSourceInfo: name, lag, how long since it heard from the origin, the error. */
  synchronized JsonObject info() {
    JsonObject o = new JsonObject().put("name", origin.name());
    if (origin.external()) {
      o.put("external", new JsonObject().put("api", origin.apiPrefix()).put("deliver", origin.deliverPrefix()));
    }
    o.put("lag", lag).put("active", heardMillis == 0 ? -1 : (System.currentTimeMillis() - heardMillis) * 1_000_000L);
    if (!origin.filterSubject().isEmpty()) {
      o.put("filter_subject", origin.filterSubject());
    }
    if (error != null) {
      o.put("error", error);
    }
    return o;
  }

  /** Every second: a stalled or missing consumer is made again, at most every 2 s. */
  private synchronized void check() {
    long now = System.currentTimeMillis();
    if (stopped) {
      return;
    }
    if (asking && now - requestedMillis > ANSWER_MILLIS) {
      asking = false;
      error = setupFailed("no answer from " + api() + " for a consumer of " + origin.name());
    }
    if (!asking && (consumer == null || broken || now - heardMillis > STALLED_MILLIS)) {
      ask();
    }
  }

  /** Asks for a new consumer starting after {@link #sseq}; the old one is dropped. */
  private void ask() {
    long now = System.currentTimeMillis();
    if (stopped || asking || now - requestedMillis < RETRY_MILLIS) {
      return;
    }
    cancel();
    broken = false;
    asking = true;
    requestedMillis = now;
    String id = io.natsvx.jetstream.wire.RandomName.of(16);
    String prefix = origin.deliverPrefix().isEmpty() ? "$JS." + (mirror ? "M" : "S")
        : origin.deliverPrefix() + "." + (mirror ? "M" : "S");
    String deliverSubject = prefix + "." + id;
    deliveries = new Subscription(new Sink(false), deliverSubject, null, "origin:" + origin.name());
    account.subscribe(deliveries);
    String inbox = "_INBOX." + id;
    answers = new Subscription(new Sink(true), inbox, null, "origin-answer:" + origin.name());
    account.subscribe(answers);
    JsonObject config = new JsonObject().put("deliver_subject", deliverSubject).put("ack_policy", "none")
        .put("ack_wait", 22L * 3600 * 1_000_000_000L).put("max_deliver", 1).put("idle_heartbeat", HEARTBEAT_NANOS)
        .put("flow_control", true).put("direct", true);
    if (sseq > 0) {
      config.put("deliver_policy", "by_start_sequence").put("opt_start_seq", sseq + 1);
    } else if (origin.optStartSeq() > 0) {
      config.put("deliver_policy", "by_start_sequence").put("opt_start_seq", origin.optStartSeq());
    } else if (startTime != null || !origin.optStartTime().isEmpty()) {
      config.put("deliver_policy", "by_start_time")
          .put("opt_start_time", startTime != null ? startTime : origin.optStartTime());
    } else {
      config.put("deliver_policy", "all");
    }
    String subject = api() + ".CONSUMER.CREATE." + origin.name();
    java.util.List<String> filters = origin.filters();
    if (filters.size() == 1) {
      String name = (mirror ? "mirror-" : "src-") + id;
      config.put("name", name).put("filter_subject", filters.get(0));
      subject += "." + name + "." + filters.get(0);
    } else if (!filters.isEmpty()) {
      config.put("filter_subjects", new io.vertx.core.json.JsonArray(new java.util.ArrayList<>(filters)));
    }
    byte[] request = new JsonObject().put("stream_name", origin.name()).put("config", config).encode()
        .getBytes(StandardCharsets.UTF_8);
    if (!InternalPublisher.publish(account, subject, inbox, null, request)) {
      asking = false; // nobody answers there (yet: the API starts after the streams): the next check asks again
      requestedMillis = 0;
      error = setupFailed("no JetStream API on " + api() + " for stream " + origin.name());
    }
  }

  /** Drops the current consumer: unsubscribes, and asks the origin to delete it. */
  private void cancel() {
    if (deliveries != null) {
      account.unsubscribe(deliveries);
      deliveries = null;
    }
    if (answers != null) {
      account.unsubscribe(answers);
      answers = null;
    }
    if (consumer != null) {
      InternalPublisher.publish(account, api() + ".CONSUMER.DELETE." + origin.name() + "." + consumer, null, null,
          new byte[0]);
      consumer = null;
    }
    asking = false;
    dseq = 0;
  }

  /** nats-server's mirror (10029) or source (10045) consumer setup error. */
  private JsonObject setupFailed(String why) {
    return (mirror ? io.natsvx.jetstream.wire.JsError.MIRROR_CONSUMER_SETUP_FAILED
        : io.natsvx.jetstream.wire.JsError.SOURCE_CONSUMER_SETUP_FAILED).json(why);
  }

  private String api() {
    return origin.external() ? origin.apiPrefix() : API;
  }

  private synchronized void answered(InternalSink from, byte[] payload) {
    if (answers == null || from != answers.owner()) {
      return; // an older request's
    }
    account.unsubscribe(answers);
    answers = null;
    asking = false;
    JsonObject reply;
    try {
      reply = new JsonObject(new String(payload, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      error = io.natsvx.jetstream.wire.JsError.INVALID_JSON.json(String.valueOf(e.getMessage()));
      return;
    }
    if (reply.getValue("error") instanceof JsonObject e) {
      error = e;
      return;
    }
    error = null;
    consumer = reply.getString("name");
    heardMillis = System.currentTimeMillis();
    JsonObject delivered = reply.getJsonObject("delivered", new JsonObject());
    long start = delivered.getLong("stream_seq", 0L);
    if (mirror && start > sseq) {
      // the origin starts further on (opt_start_seq, or it lost messages): the mirror's sequences follow
      stream.copy(null, null, null, start, 0);
      sseq = start;
    }
  }

  private synchronized void delivered(InternalSink from, String subject, String reply, byte[] headers,
      byte[] payload) {
    if (deliveries == null || from != deliveries.owner() || stopped) {
      return; // an older consumer's
    }
    heardMillis = System.currentTimeMillis();
    if (payload.length == 0 && headers.length > 12
        && new String(headers, 0, 12, StandardCharsets.US_ASCII).equals("NATS/1.0 100")) {
      control(reply, headers);
      return;
    }
    String[] t = reply == null ? new String[0] : reply.split("\\.");
    if (t.length < 9 || !t[0].equals("$JS") || !t[1].equals("ACK")) {
      return;
    }
    int at = t.length == 9 ? 2 : 4; // $JS.ACK.<stream>... or $JS.ACK.<domain>.<account hash>.<stream>...
    if (consumer == null) {
      consumer = t[at + 1]; // delivering before the create answer came
    } else if (!consumer.equals(t[at + 1])) {
      return;
    }
    long dc = parse(t[at + 2]);
    long s = parse(t[at + 3]);
    long d = parse(t[at + 4]);
    long ts = parse(t[at + 5]);
    long pending = parse(t[at + 6]);
    if (dc > 1 || broken) {
      return;
    }
    boolean next = mirror ? s == sseq + 1 || (s > sseq && d == dseq + 1) : d == dseq + 1;
    if (!next) {
      if (mirror ? s > sseq : d > dseq) {
        restart(); // deliveries were lost on the way: start again after the last one taken
      }
      return; // an older one again
    }
    dseq = d;
    sseq = s;
    lag = pending == 0 ? 0 : pending - 1;
    if (mirror) {
      stream.copy(subject, headers, payload, s, ts);
    } else {
      stream.copy(origin.rename(subject), Headers.set(headers, SOURCE_HEADER, origin.indexName() + " " + s), payload,
          0, nowNanos());
    }
  }

  /** A flow-control request is answered; a heartbeat tells whether a delivery went missing or the origin waits. */
  private void control(String reply, byte[] headers) {
    if (reply != null && !reply.isEmpty()) {
      stream.afterCopies(reply); // answered once the copies before it are stored
      return;
    }
    String last = Headers.get(headers, "Nats-Last-Consumer");
    if (last != null && parse(last) > 0 && parse(last) != dseq) {
      restart();
      return;
    }
    String stalled = Headers.get(headers, "Nats-Consumer-Stalled");
    if (stalled != null && !stalled.isEmpty()) {
      stream.afterCopies(stalled);
    }
  }

  private void restart() {
    broken = true;
    ask();
  }

  private static long parse(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static long nowNanos() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** What the current consumer sends: its create answer ({@code answers}), or its deliveries. */
  private final class Sink implements InternalSink {
    private final boolean answers;

    Sink(boolean answers) {
      this.answers = answers;
    }

    @Override
    public boolean hearsServer() {
      return true;
    }

    @Override
    public void receive(String subject, String reply, byte[] payload) {
      receive(subject, reply, new byte[0], payload);
    }

    @Override
    public void receive(String subject, String reply, byte[] headers, byte[] payload) {
      if (answers) {
        answered(this, payload);
      } else {
        delivered(this, subject, reply, headers, payload);
      }
    }
  }
}
