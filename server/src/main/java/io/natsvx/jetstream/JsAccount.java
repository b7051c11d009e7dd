package io.natsvx.jetstream;

import io.natsvx.jetstream.stream.SubjectOverlap;
import io.natsvx.account.Account;
import io.natsvx.messaging.InternalPublisher;
import io.natsvx.config.JetStreamOptions;
import io.natsvx.jetstream.wire.JsError;
import io.natsvx.jetstream.consumer.Consumer;
import io.natsvx.jetstream.consumer.Consumers;
import io.natsvx.jetstream.consumer.ConsumerConfig;
import io.natsvx.jetstream.store.IndexedStreamStore;
import io.natsvx.jetstream.store.StreamStore;
import io.natsvx.jetstream.store.XodusLog;
import io.natsvx.jetstream.stream.Stream;
import io.natsvx.jetstream.stream.StreamConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One account's JetStream: its streams (file streams under
 * {@code <store_dir>/jetstream/<account>/streams/<name>/}, with {@code meta.json} beside the
 * Xodus files in {@code msgs/}; memory streams on the heap), its limits and its API counters.
 * Stream changes are serialized on this object; worker threads only.
 */
public final class JsAccount implements io.natsvx.jetstream.stream.StorageRoom {

  private final Vertx vertx;
  private final Account account;
  private final JetStreamOptions.AccountLimits limits;
  private final Path dir;
  private final XodusLog.Durability durability;
  private final String domain;
  private final JetStream jetStream;
  private final Map<String, Stream> streams = new TreeMap<>();
  /** Each stream's consumers, by stream name: they sit above the stream, which only signals them. */
  private final Map<String, Consumers> consumers = new java.util.concurrent.ConcurrentHashMap<>();
  private final AtomicLong apiTotal = new AtomicLong();
  private final AtomicLong apiErrors = new AtomicLong();

  public JsAccount(JetStream jetStream, Vertx vertx, Account account, JetStreamOptions.AccountLimits limits,
      Path dir, XodusLog.Durability durability, String domain) {
    this.jetStream = jetStream;
    this.vertx = vertx;
    this.account = account;
    this.limits = limits;
    this.dir = dir;
    this.durability = durability;
    this.domain = domain;
  }

  public Account account() {
    return account;
  }

  /** API requests answered, and those answered with an error, for {@code $JS.API.INFO}. */
  public AtomicLong apiTotal() {
    return apiTotal;
  }

  public AtomicLong apiErrors() {
    return apiErrors;
  }

  public JetStreamOptions.AccountLimits limits() {
    return limits;
  }

  public synchronized List<Stream> streams() {
    return new ArrayList<>(streams.values());
  }

  public synchronized Stream stream(String name) {
    return streams.get(name);
  }

  /** Opens the file streams kept on disk (a restart); one that cannot be read is reported and skipped. */
  public synchronized List<String> load() {
    List<String> problems = new ArrayList<>();
    try (java.util.stream.Stream<Path> staged = Files.isDirectory(stagingDir()) ? Files.list(stagingDir())
        : java.util.stream.Stream.empty()) {
      for (Path p : staged.toList()) {
        Files.deleteIfExists(p); // what snapshots and restores left when the server stopped under them
      }
    } catch (IOException e) {
      problems.add("cannot clean " + stagingDir() + ": " + e.getMessage());
    }
    Path root = dir.resolve("streams");
    if (!Files.isDirectory(root)) {
      return problems;
    }
    try (java.util.stream.Stream<Path> entries = Files.list(root)) {
      for (Path streamDir : entries.sorted().toList()) {
        Path meta = streamDir.resolve("meta.json");
        try {
          JsonObject m = new JsonObject(Files.readString(meta, StandardCharsets.UTF_8));
          StreamConfig config = StreamConfig.parse(m.getJsonObject("config"), null);
          StreamStore store = IndexedStreamStore.inXodus(streamDir.resolve("msgs"), durability);
          Stream s = new Stream(vertx, account, config, store, m.getLong("created", 0L), domain, this,
              jetStream.options().maxBufferedMsgs(), newConsumers(config.name()));
          streams.put(config.name(), s);
          s.start();
          problems.addAll(restoreConsumers(s));
        } catch (IOException | RuntimeException e) {
          problems.add("cannot restore stream from " + streamDir + ": " + e.getMessage());
        }
      }
    } catch (IOException e) {
      problems.add("cannot read " + root + ": " + e.getMessage());
    }
    return problems;
  }

  /** The consumers kept with a stream's store, started; what could not be read comes back. */
  private List<String> restoreConsumers(Stream s) {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String> saved : s.store().consumers().entrySet()) {
      try {
        Consumer c = Consumer.restore(vertx, account, s, new JsonObject(saved.getValue()), () -> { });
        consumers(s).add(c);
        c.start();
      } catch (RuntimeException e) {
        problems.add("cannot restore consumer " + saved.getKey() + " of stream " + s.name() + ": " + e.getMessage());
      }
    }
    return problems;
  }

  /**
   * A stream made again from a snapshot: {@code fill} puts the messages (and the consumers'
   * records) into its new store before it starts. The name must be free (10130).
   */
  public synchronized Stream restore(StreamConfig config, java.util.function.Consumer<StreamStore> fill) {
    if (streams.containsKey(config.name())) {
      throw JsError.STREAM_NAME_EXIST_RESTORE_FAILED.exception();
    }
    Stream s = open(config, fill);
    List<String> problems = restoreConsumers(s);
    if (!problems.isEmpty()) {
      throw JsError.STREAM_RESTORE.exception(String.join("; ", problems));
    }
    return s;
  }

  /** nats-server's addStream: the same config again is no change; another stream may not share subjects. */
  public synchronized Stream create(StreamConfig config) {
    Stream existing = streams.get(config.name());
    if (existing != null) {
      if (existing.config().equals(config)) {
        return existing;
      }
      throw JsError.STREAM_NAME_EXIST.exception();
    }
    return open(config, null);
  }

  private Stream open(StreamConfig config, java.util.function.Consumer<StreamStore> fill) {
    if (limits.maxStreams() > 0 && streams.size() >= limits.maxStreams()) {
      throw JsError.MAXIMUM_STREAMS.exception();
    }
    checkOverlap(config, null);
    checkReservation(config, null);
    long created = nowNanos();
    StreamStore store;
    if (config.memory()) {
      store = IndexedStreamStore.inMemory();
    } else {
      Path streamDir = dir.resolve("streams").resolve(config.name());
      store = IndexedStreamStore.inXodus(streamDir.resolve("msgs"), durability);
      try {
        writeMeta(streamDir, config, created);
      } catch (IOException e) {
        store.destroy();
        throw JsError.STREAM_CREATE.exception(e.getMessage());
      }
    }
    if (config.firstSeq() > 1) {
      store.startAt(config.firstSeq());
    }
    if (fill != null) {
      try {
        fill.accept(store);
      } catch (RuntimeException e) {
        store.destroy();
        try {
          deleteDir(config);
        } catch (IOException left) {
          e.addSuppressed(left);
        }
        throw e;
      }
    }
    Stream s = new Stream(vertx, account, config, store, created, domain, this,
        jetStream.options().maxBufferedMsgs(), newConsumers(config.name()));
    streams.put(config.name(), s);
    s.start();
    return s;
  }

  public synchronized Stream update(StreamConfig config) {
    Stream s = streams.get(config.name());
    if (s == null) {
      throw JsError.STREAM_NOT_FOUND.exception();
    }
    s.config().checkUpdate(config);
    checkOverlap(config, config.name());
    checkReservation(config, config.name());
    if (!config.memory()) {
      try {
        writeMeta(dir.resolve("streams").resolve(config.name()), config, s.createdNanos());
      } catch (IOException e) {
        throw JsError.STREAM_UPDATE.exception(e.getMessage());
      }
    }
    s.update(config);
    return s;
  }

  /**
   * nats-server's addConsumerWithAction: the same config again is no change; {@code create}
   * refuses another config, {@code update} a missing consumer; otherwise an update keeps the
   * consumer's place and pending messages.
   */
  public synchronized Consumer createConsumer(Stream s, ConsumerConfig config, String action) {
    String name = config.name().isEmpty() ? io.natsvx.jetstream.wire.RandomName.of(22) : config.name();
    ConsumerConfig named = config.withName(name);
    Consumer existing = consumers(s).get(name);
    if (existing == null) {
      if (action.equals("update")) {
        throw JsError.CONSUMER_DOES_NOT_EXIST.exception();
      }
      if (!named.internal()) {
        checkRoom(s);
        if (s.config().retention().equals("workqueue")) {
          checkPartition(s, named);
        }
      }
      Consumer c = Consumer.create(vertx, account, s, named, nowNanos(), () -> deleteEphemeral(s, name));
      c.persist();
      consumers(s).add(c);
      c.start();
      return c;
    }
    if (existing.config().equals(named)) {
      return existing;
    }
    if (action.equals("create")) {
      throw JsError.CONSUMER_ALREADY_EXISTS.exception();
    }
    String refused = existing.config().refuseUpdate(named,
        !named.pull() && InternalPublisher.hasInterest(account, existing.config().deliverSubject()));
    if (refused != null) {
      throw refused.isEmpty() ? JsError.CONSUMER_NAME_EXIST.exception() : JsError.CONSUMER_CREATE.exception(refused);
    }
    JsonObject saved = existing.snapshot().put("config", named.toJson());
    existing.stop(false);
    Consumer c = Consumer.restore(vertx, account, s, saved, () -> deleteEphemeral(s, name));
    c.persist();
    consumers(s).add(c);
    c.start();
    return c;
  }

  private void checkRoom(Stream s) {
    if (s.config().maxConsumers() > 0 && s.consumerCount() >= s.config().maxConsumers()) {
      throw JsError.MAXIMUM_CONSUMERS.exception();
    }
    if (limits.maxConsumers() > 0 && consumerCount() >= limits.maxConsumers()) {
      throw JsError.MAXIMUM_CONSUMERS.exception();
    }
  }

  /**
   * A work queue hands each message to one consumer: a new one must take subjects no other
   * takes (nats-server 2.10's check, which finds colliding filters 2.9 let through).
   */
  private void checkPartition(Stream s, ConsumerConfig config) {
    if (consumers(s).listed().isEmpty()) {
      return;
    }
    if (config.filters().isEmpty()) {
      throw JsError.CONSUMER_WQ_MULTIPLE_UNFILTERED.exception();
    }
    for (Consumer other : consumers(s).listed()) {
      List<String> taken = other.config().filters();
      if (taken.isEmpty()) {
        throw JsError.CONSUMER_WQ_NOT_UNIQUE.exception();
      }
      for (String mine : config.filters()) {
        for (String theirs : taken) {
          if (SubjectOverlap.overlap(mine, theirs)) {
            throw JsError.CONSUMER_WQ_NOT_UNIQUE.exception();
          }
        }
      }
    }
  }

  public synchronized void deleteConsumer(Stream s, String name) {
    Consumer c = consumers(s).remove(name);
    if (c == null) {
      throw JsError.CONSUMER_NOT_FOUND.exception();
    }
    c.stop(true);
    if (c.durable() && !s.config().memory()) {
      s.store().saveConsumer(name, null);
    }
  }

  private void deleteEphemeral(Stream s, String name) {
    Consumer c = consumers(s).remove(name);
    if (c != null) {
      c.stop(true);
    }
  }

  public synchronized int consumerCount() {
    int n = 0;
    for (Stream s : streams.values()) {
      n += s.consumerCount();
    }
    return n;
  }

  /** The consumers of stream {@code s}. */
  public Consumers consumers(Stream s) {
    return consumers.get(s.name());
  }

  private Consumers newConsumers(String stream) {
    Consumers c = new Consumers();
    consumers.put(stream, c);
    return c;
  }

  public synchronized void delete(String name) {
    Stream s = streams.remove(name);
    if (s == null) {
      throw JsError.STREAM_NOT_FOUND.exception();
    }
    s.stop();
    consumers.remove(name);
    s.store().destroy();
    try {
      deleteDir(s.config());
    } catch (IOException e) {
      throw JsError.STREAM_DELETE.exception(e.getMessage());
    }
  }

  private void deleteDir(StreamConfig config) throws IOException {
    Path streamDir = dir.resolve("streams").resolve(config.name());
    if (config.memory() || !Files.exists(streamDir)) {
      return;
    }
    try (java.util.stream.Stream<Path> files = Files.walk(streamDir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Where restores stage their uploads: beside the account's streams. */
  public Path stagingDir() {
    return dir.resolve("staging");
  }

  public synchronized void stop() {
    for (Stream s : streams.values()) {
      s.stop();
      s.store().close();
    }
  }

  /**
   * nats-server's checkBytesLimits for a new or changed stream: its max_bytes must fit what the
   * account's and the server's limits leave after the other streams' max_bytes.
   */
  private void checkReservation(StreamConfig config, String except) {
    boolean memory = config.memory();
    long add = Math.max(1, config.maxBytes());
    long accountMax = memory ? limits.maxMemory() : limits.maxFile();
    long accountReserved = reserved(memory, except);
    JsError exceeded = memory ? JsError.MEMORY_RESOURCES_EXCEEDED : JsError.STORAGE_RESOURCES_EXCEEDED;
    if (accountMax >= 0 && (accountReserved > accountMax || add > accountMax - accountReserved)) {
      throw exceeded.exception();
    }
    long serverMax = memory ? jetStream.maxMemory() : jetStream.maxStore();
    long serverReserved = jetStream.reserved(memory) - (except == null ? 0 : reservationOf(except, memory));
    if (config.maxBytes() > 0 && (serverReserved > serverMax || add > serverMax - serverReserved)) {
      throw exceeded.exception();
    }
  }

  /** The max_bytes of this account's streams of one storage kind (those that set one). */
  public synchronized long reserved(boolean memory, String except) {
    long n = 0;
    for (Stream s : streams.values()) {
      if (s.config().memory() == memory && s.config().maxBytes() > 0 && !s.name().equals(except)) {
        n += s.config().maxBytes();
      }
    }
    return n;
  }

  private long reservationOf(String name, boolean memory) {
    Stream s = streams.get(name);
    return s != null && s.config().memory() == memory && s.config().maxBytes() > 0 ? s.config().maxBytes() : 0;
  }

  /** What this account's streams hold, in memory or in files. */
  synchronized long used(boolean memory) {
    long n = 0;
    for (Stream s : streams.values()) {
      if (s.config().memory() == memory) {
        n += s.store().state().bytes();
      }
    }
    return n;
  }

  @Override
  public long room(boolean memory) {
    long accountMax = memory ? limits.maxMemory() : limits.maxFile();
    long serverMax = memory ? jetStream.maxMemory() : jetStream.maxStore();
    long accountRoom = accountMax < 0 ? Long.MAX_VALUE : Math.max(0, accountMax - used(memory));
    return Math.min(accountRoom, Math.max(0, serverMax - jetStream.used(memory)));
  }

  private void checkOverlap(StreamConfig config, String except) {
    for (Stream other : streams.values()) {
      if (other.name().equals(except) || other.name().equals(config.name())) {
        continue;
      }
      for (String a : config.subjects()) {
        for (String b : other.config().subjects()) {
          if (SubjectOverlap.overlap(a, b)) {
            throw JsError.STREAM_SUBJECT_OVERLAP.exception();
          }
        }
      }
    }
  }

  private static void writeMeta(Path streamDir, StreamConfig config, long created) throws IOException {
    Files.createDirectories(streamDir);
    Path tmp = streamDir.resolve("meta.json.tmp");
    Files.writeString(tmp, new JsonObject().put("config", config.toJson()).put("created", created).encode(),
        StandardCharsets.UTF_8);
    try {
      Files.move(tmp, streamDir.resolve("meta.json"), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, streamDir.resolve("meta.json"), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  static long nowNanos() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
