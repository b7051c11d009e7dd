package io.natsvx.jetstream.stream;

import io.natsvx.account.Account;
import io.natsvx.jetstream.store.StoreLimits;
import io.natsvx.jetstream.store.StreamState;
import io.natsvx.jetstream.store.StreamStore;
import io.natsvx.messaging.InternalSink;
import io.natsvx.subject.Subscription;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * One stream: its config, its store, its place in the account's subject index (it subscribes
 * its subjects, so publishes reach it as they reach any subscriber), and the writer that stores
 * what arrives. Thread-safe: deliveries come on publishers' event loops and go straight to the
 * writer's queue; config changes come from the API on a worker.
 */
public final class Stream implements InternalSink {

  private static long nextId = -1_000_000;
  private static final String DIRECT = "$JS.API.DIRECT.GET.";

  private final long id;
  private final Account account;
  private final StreamStore store;
  private final long createdNanos;
  private final StreamWriter writer;
  private volatile StreamConfig config;
  private List<Subscription> subscriptions = List.of();
  private final StreamConsumers consumers;
  private final Vertx vertx;
  private long expiryTimer = -1;
  /** The feeds copying the mirror or the sources in; empty for a stream of its own subjects. */
  private List<OriginFeed> feeds = List.of();

  public Stream(Vertx vertx, Account account, StreamConfig config, StreamStore store, long createdNanos,
      String domain, StorageRoom room, long maxBuffered, StreamConsumers consumers) {
    this.consumers = consumers;
    synchronized (Stream.class) {
      this.id = nextId--;
    }
    this.vertx = vertx;
    this.account = account;
    this.config = config;
    this.store = store;
    this.createdNanos = createdNanos;
    this.writer = new StreamWriter(vertx, this, account, domain, room, maxBuffered);
    this.domain = domain == null || domain.isEmpty() ? null : domain;
  }

  private final String domain;

  /** The JetStream domain this stream lives in; null for none. */
  public String domain() {
    return domain;
  }

  @Override
  public long id() {
    return id;
  }

  public StreamConfig config() {
    return config;
  }

  public StreamStore store() {
    return store;
  }

  public String name() {
    return config.name();
  }

  public long createdNanos() {
    return createdNanos;
  }

  StoreLimits limits() {
    StreamConfig c = config;
    return c.discardNew() ? new StoreLimits(0, 0, c.discardNewPerSubject() ? 0 : c.maxMsgsPerSubject())
        : new StoreLimits(c.maxMsgs(), c.maxBytes(), c.maxMsgsPerSubject());
  }

  /** How many consumers it has. */
  public int consumerCount() {
    return consumers.size();
  }

  /** Whether some consumer takes messages on {@code subject} (an interest stream keeps only those). */
  boolean wanted(String subject) {
    return consumers.anyTakes(subject);
  }

  /** New messages are stored: the consumers look for work. */
  void appended() {
    consumers.appended();
  }

  /**
   * A consumer is done with a message: a work queue drops it, an interest stream once no
   * consumer needs it any more, a limits stream keeps it. Worker only, outside consumer locks
   * (the interest check locks each consumer).
   */
  public void acknowledged(long seq) {
    switch (config.retention()) {
      case "workqueue" -> store.remove(seq, false);
      case "interest" -> removeIfNoInterest(seq);
      default -> { }
    }
  }

  private void removeIfNoInterest(long seq) {
    var m = store.load(seq);
    if (m == null) {
      return;
    }
    if (consumers.anyNeeds(seq, m.subject())) {
      return;
    }
    store.remove(seq, false);
  }

  /**
   * Subscribes the config's subjects, starts expiring by max_age and copying its mirror or
   * sources; call once it is registered. Worker only (finds where each copy stands).
   */
  public synchronized void start() {
    subscribe();
    scheduleExpiry();
    startFeeds();
  }

  /** Takes an updated config: new subjects, limits, expiry and sources apply from now on. Worker only. */
  public synchronized void update(StreamConfig next) {
    boolean newSources = !next.sources().equals(config.sources());
    config = next;
    unsubscribe();
    subscribe();
    scheduleExpiry();
    if (newSources) {
      stopFeeds();
      startFeeds();
    }
  }

  /** An origin's flow-control request, answered once what was copied before it is stored. */
  void afterCopies(String reply) {
    writer.offerAfterCopies(reply);
  }

  /** A message copied from an origin: see {@link StreamWriter#offerCopy}. */
  void copy(String subject, byte[] headers, byte[] data, long seq, long timestampNanos) {
    writer.offerCopy(subject, headers, data, seq, timestampNanos);
  }

  private void startFeeds() {
    List<OriginFeed> started = new ArrayList<>();
    if (config.mirror() != null) {
      OriginFeed f = new OriginFeed(vertx, account, this, config.mirror(), true);
      StreamState s = store.state();
      f.start(s.lastSeq(), null);
      started.add(f);
    }
    java.util.Map<String, Long> taken = config.sources().isEmpty() ? java.util.Map.of() : sourcesTaken();
    String since = store.state().lastSeq() == 0 ? null : time(store.state().lastTimestampNanos());
    for (StreamOrigin o : config.sources()) {
      OriginFeed f = new OriginFeed(vertx, account, this, o, false);
      Long seq = taken.get(o.indexName());
      // an origin not seen in what is kept (purged, expired) starts from the time of the last message kept
      f.start(seq == null ? 0 : seq, seq == null ? since : null);
      started.add(f);
    }
    feeds = started;
  }

  /** nats-server's startingSequenceForSources: each origin's last sequence, from the newest copy kept back. */
  private java.util.Map<String, Long> sourcesTaken() {
    java.util.Map<String, Long> taken = new java.util.HashMap<>();
    StreamState s = store.state();
    for (long q = s.lastSeq(); q >= s.firstSeq() && q > 0 && taken.size() < config.sources().size(); q--) {
      var m = store.load(q);
      String h = m == null ? null : Headers.get(m.headers(), OriginFeed.SOURCE_HEADER);
      if (h == null) {
        continue;
      }
      String[] f = h.trim().split("\\s+");
      if (f.length >= 2) {
        try {
          taken.putIfAbsent(f[0], Long.parseLong(f[1]));
        } catch (NumberFormatException e) {
          // not one of ours
        }
      }
    }
    return taken;
  }

  private void stopFeeds() {
    feeds.forEach(OriginFeed::stop);
    feeds = List.of();
  }

  public synchronized void stop() {
    stopFeeds();
    unsubscribe();
    consumers.stopAll();
    if (expiryTimer >= 0) {
      vertx.cancelTimer(expiryTimer);
      expiryTimer = -1;
    }
  }

  /** nats-server's queue group for direct gets: one of the streams able to answer does. */
  private static final String DIRECT_GROUP = "_sys_";

  private void subscribe() {
    List<Subscription> subs = new ArrayList<>();
    for (String subject : config.subjects()) {
      subs.add(new Subscription(this, subject, null, "stream:" + config.name()));
    }
    List<String> answersFor = new ArrayList<>();
    if (config.allowDirect()) {
      answersFor.add(config.name());
    }
    if (config.mirror() != null && config.mirrorDirect()) {
      answersFor.add(config.mirror().name()); // mirror_direct: it answers direct gets of its origin too
    }
    for (String name : answersFor) {
      subs.add(new Subscription(this, DIRECT + name, DIRECT_GROUP, "stream:" + config.name()));
      subs.add(new Subscription(this, DIRECT + name + ".>", DIRECT_GROUP, "stream:" + config.name()));
    }
    subs.forEach(account::subscribe);
    subscriptions = subs;
  }

  /** The part of a direct get's subject after the stream it asks (this one's name or its origin's). */
  private String directRest(String subject) {
    String rest = subject.substring(DIRECT.length());
    String own = config.name();
    if (rest.startsWith(own) && (rest.length() == own.length() || rest.charAt(own.length()) == '.')) {
      return rest.substring(own.length());
    }
    return config.mirror() == null ? rest : rest.substring(Math.min(rest.length(), config.mirror().name().length()));
  }

  private void unsubscribe() {
    for (Subscription s : subscriptions) {
      account.unsubscribe(s);
    }
    subscriptions = List.of();
  }

  private void scheduleExpiry() {
    if (expiryTimer >= 0) {
      vertx.cancelTimer(expiryTimer);
      expiryTimer = -1;
    }
    long maxAgeMillis = config.maxAgeNanos() / 1_000_000;
    if (maxAgeMillis > 0) {
      long every = Math.max(100, Math.min(1000, maxAgeMillis / 2));
      expiryTimer = vertx.setPeriodic(every, t -> writer.expire(System.currentTimeMillis() * 1_000_000L
          - config.maxAgeNanos()));
    }
  }

  @Override
  public void receive(String subject, String reply, byte[] payload) {
    receive(subject, reply, new byte[0], payload);
  }

  @Override
  public void receive(String subject, String reply, byte[] headers, byte[] payload) {
    if (subject.startsWith(DIRECT)) {
      if (reply != null && !reply.isEmpty()) {
        vertx.executeBlocking(() -> {
          DirectGet.answer(this, account, directRest(subject), reply, payload);
          return null;
        }, false);
      }
      return;
    }
    SubjectTransform transform = config.subjectTransform();
    writer.offer(transform == null ? subject : transform.apply(subject), reply, headers, payload);
  }

  /** nats-server's StreamInfo: config, created, state, and when this was taken. Worker only. */
  public JsonObject info(int consumers) {
    StreamState s = store.state();
    JsonObject state = new JsonObject()
        .put("messages", s.msgs())
        .put("bytes", s.bytes())
        .put("first_seq", s.firstSeq())
        .put("first_ts", time(s.firstTimestampNanos()))
        .put("last_seq", s.lastSeq())
        .put("last_ts", time(s.lastTimestampNanos()))
        .put("consumer_count", consumers);
    if (s.numDeleted() > 0) {
      state.put("num_deleted", s.numDeleted());
    }
    if (s.numSubjects() > 0) {
      state.put("num_subjects", s.numSubjects());
    }
    JsonObject info = new JsonObject()
        .put("config", config.toJson())
        .put("created", time(createdNanos))
        .put("state", state);
    List<OriginFeed> copying = feeds;
    for (OriginFeed f : copying) {
      if (config.mirror() != null && f.origin() == config.mirror()) {
        info.put("mirror", f.info());
      } else {
        if (!info.containsKey("sources")) {
          info.put("sources", new io.vertx.core.json.JsonArray());
        }
        info.getJsonArray("sources").add(f.info());
      }
    }
    return info.put("ts", time(System.currentTimeMillis() * 1_000_000L));
  }

  /** RFC 3339 with nanoseconds, UTC, as Go writes time.Time; the zero time for 0. */
  public static String time(long epochNanos) {
    if (epochNanos == 0) {
      return "0001-01-01T00:00:00Z";
    }
    return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(0, epochNanos));
  }
}
