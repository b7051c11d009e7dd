package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.KeyValue;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key-value bucket driven the way kine (K3s' datastore) drives it: created if absent, then
 * {@code allow_direct} forced by a stream update; 8 writers racing on shared keys with
 * compare-and-set puts and deletes ({@code Nats-Expected-Last-Subject-Sequence}, the revision
 * being the stream sequence), reads of the last revision, prefix listings, watches from a
 * revision, history bounded per key; and the server SIGKILLed in the middle. Every write the
 * server acknowledged is stored once under its revision, none it refused is, and on every key
 * each stored write names the one before it: the compare-and-set chain never forks.
 */
@Tag("crash")
class KineWorkloadIT {

  private static final int WRITERS = 8;
  private static final int KEYS = 48;
  private static final int HISTORY = 64;
  /** Writes per key at most, so the bucket's history keeps every one for the check. */
  private static final int PER_KEY = 40;
  private static final String STREAM = "KV_kine";

  @TempDir
  Path dir;

  /** One attempted write: what it expected the key's last revision to be, and how it ended. */
  private record Attempt(String key, long expected, boolean delete) {}

  private final Map<String, Attempt> attempts = new ConcurrentHashMap<>();
  /** value -> revision, for writes the server acknowledged. */
  private final Map<String, Long> acked = new ConcurrentHashMap<>();
  /** values of writes the server refused as conflicting (10071). */
  private final java.util.Set<String> refused = ConcurrentHashMap.newKeySet();
  private final AtomicInteger[] perKey = new AtomicInteger[KEYS];
  /** Refusals other than a conflict (10071): there must be none. */
  private final List<String> unexpected = new java.util.concurrent.CopyOnWriteArrayList<>();

  private static Connection connect(NatsServerProcess server) throws Exception {
    return Nats.connect(Options.builder().server(server.url()).maxReconnects(0)
        .connectionTimeout(Duration.ofSeconds(5)).build());
  }

  private static String subject(int key) {
    return "$KV.kine.registry.pods.k" + key;
  }

  /** On natsvx, and on nats-server where installed: the same workload, the same checks. */
  @ParameterizedTest(name = "on nats-server: {0}")
  @ValueSource(booleans = {false, true})
  void compareAndSetWritesStayLinearAcrossAKill(boolean reference) throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(!reference || NatsServerProcess.available(), "nats-server not installed");
    for (int i = 0; i < KEYS; i++) {
      perKey[i] = new AtomicInteger();
    }
    String[] args = {"-js", "-sd", dir.resolve("store").toString()};
    NatsServerProcess server = start(reference, args);
    try {
      try (Connection nc = connect(server)) {
        createBucketAsKineDoes(nc);
        createBucketAsKineDoes(nc); // again, as each kine start does: no change
        assertTrue(nc.jetStreamManagement().getStreamInfo(STREAM).getConfiguration().getAllowDirect());
      }
      runWriters(server, 10_000, 800); // killed once 800 writes were tried, with writers in flight
      server = start(reference, args);
      runWriters(server, 1_500, 0);
      try (Connection nc = connect(server)) {
        Map<Long, Message> stored = readAll(nc);
        checkChains(stored);
        checkReads(nc, stored);
      }
    } finally {
      server.close();
    }
  }

  private static NatsServerProcess start(boolean reference, String... args) throws Exception {
    return reference ? NatsServerProcess.start(args) : NatsServerProcess.natsvx(args);
  }

  /** kine's createBucket: the bucket if absent, then allow_direct forced on by an update. */
  private static void createBucketAsKineDoes(Connection nc) throws Exception {
    try {
      nc.keyValueManagement().create(KeyValueConfiguration.builder().name("kine").description("Holds kine key/values")
          .maxHistoryPerKey(HISTORY).storageType(StorageType.File).build());
    } catch (JetStreamApiException e) {
      assertEquals(10058, e.getApiErrorCode(), "only 'stream name already in use' may refuse it: " + e);
    }
    JetStreamManagement jsm = nc.jetStreamManagement();
    StreamConfiguration c = jsm.getStreamInfo(STREAM).getConfiguration();
    jsm.updateStream(StreamConfiguration.builder(c).allowDirect(true).build());
  }

  /**
   * 8 writers on one connection for {@code millis}, or until the connection dies; with
   * {@code killAfter} &gt; 0 the server is SIGKILLed under them once that many more writes were tried.
   */
  private void runWriters(NatsServerProcess server, long millis, int killAfter) throws Exception {
    try (Connection nc = connect(server)) {
      JetStreamManagement jsm = nc.jetStreamManagement();
      var js = nc.jetStream();
      long until = System.currentTimeMillis() + millis;
      AtomicLong counter = new AtomicLong(attempts.size());
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        Thread t = new Thread(() -> {
          ThreadLocalRandom r = ThreadLocalRandom.current();
          try {
            while (System.currentTimeMillis() < until) {
              int key = r.nextInt(KEYS);
              if (perKey[key].get() >= PER_KEY) {
                continue;
              }
              long last;
              try {
                last = jsm.getLastMessage(STREAM, subject(key)).getSeq();
              } catch (JetStreamApiException e) {
                last = 0; // no message on the key yet
              }
              boolean delete = last > 0 && r.nextInt(5) == 0;
              String value = "w" + writer + "-" + counter.incrementAndGet();
              attempts.put(value, new Attempt(subject(key), last, delete));
              perKey[key].incrementAndGet();
              Headers h = new Headers().add("Nats-Expected-Last-Subject-Sequence", Long.toString(last));
              if (delete) {
                h.add("KV-Operation", "DEL");
                h.add("Kine-Value", value);
              }
              try {
                PublishAck ack = js.publish(NatsMessage.builder().subject(subject(key)).headers(h)
                    .data(delete ? new byte[0] : value.getBytes(StandardCharsets.UTF_8)).build());
                acked.put(value, ack.getSeqno());
              } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() != 10071) {
                  unexpected.add(value + ": " + e);
                }
                refused.add(value);
              }
            }
          } catch (Exception e) {
            // the server went away under the writers: their last writes are in doubt
          }
        }, "writer-" + w);
        threads.add(t);
        t.start();
      }
      if (killAfter > 0) {
        int target = attempts.size() + killAfter;
        Await.until(killAfter + " writes tried", Duration.ofSeconds(10), () -> attempts.size() >= target);
        server.kill();
      }
      for (Thread t : threads) {
        t.join(30_000);
      }
    }
  }

  private static String valueOf(Message m) {
    String fromHeader = m.getHeaders() == null ? null : m.getHeaders().getFirst("Kine-Value");
    return fromHeader != null ? fromHeader : new String(m.getData(), StandardCharsets.UTF_8);
  }

  /** Every message of the bucket, by revision. */
  private static Map<Long, Message> readAll(Connection nc) throws Exception {
    JetStreamSubscription sub = nc.jetStream().subscribe("$KV.kine.>", PullSubscribeOptions.builder()
        .configuration(ConsumerConfiguration.builder().ackPolicy(AckPolicy.None).build()).build());
    long last = nc.jetStreamManagement().getStreamInfo(STREAM).getStreamState().getLastSequence();
    Map<Long, Message> out = new TreeMap<>();
    long seen = 0;
    while (seen < last) {
      List<Message> batch = sub.fetch(500, Duration.ofSeconds(5));
      assertTrue(!batch.isEmpty(), "the bucket ended at revision " + seen + " of " + last);
      for (Message m : batch) {
        long seq = m.metaData().streamSequence();
        assertTrue(seq > seen, "revisions go up: " + seq + " after " + seen);
        seen = seq;
        out.put(seq, m);
      }
    }
    sub.unsubscribe();
    return out;
  }

  private void checkChains(Map<Long, Message> stored) {
    assertTrue(attempts.size() > acked.size() + refused.size(), "the kill left writes in doubt");
    assertTrue(acked.size() > WRITERS * 10, "the writers got through: " + acked.size() + " acknowledged");
    assertTrue(!refused.isEmpty(), "writers raced on the same keys");
    assertEquals(List.of(), unexpected, "a conflicting write is refused as a wrong last sequence, nothing else");
    Map<String, Long> lastOnKey = new HashMap<>();
    java.util.Set<String> values = new java.util.HashSet<>();
    for (Map.Entry<Long, Message> e : stored.entrySet()) {
      String value = valueOf(e.getValue());
      Attempt a = attempts.get(value);
      assertNotNull(a, "revision " + e.getKey() + " holds " + value + ", which nobody wrote");
      assertTrue(values.add(value), value + " is stored twice");
      assertTrue(!refused.contains(value), value + " was refused, yet stored at " + e.getKey());
      assertEquals(a.key(), e.getValue().getSubject());
      assertEquals(lastOnKey.getOrDefault(a.key(), 0L), a.expected(),
          "revision " + e.getKey() + " on " + a.key() + " expected the one before it on that key");
      lastOnKey.put(a.key(), e.getKey());
    }
    for (Map.Entry<String, Long> e : acked.entrySet()) {
      Message m = stored.get(e.getValue());
      assertNotNull(m, "acknowledged " + e.getKey() + " at revision " + e.getValue() + " is lost");
      assertEquals(e.getKey(), valueOf(m), "revision " + e.getValue());
    }
  }

  /** Reads as kine makes them: last revision of a key, listings by prefix, history, a watch from a revision. */
  private void checkReads(Connection nc, Map<Long, Message> stored) throws Exception {
    KeyValue kv = nc.keyValue("kine");
    Map<String, Message> lastByKey = new TreeMap<>();
    stored.values().forEach(m -> lastByKey.put(m.getSubject().substring("$KV.kine.".length()), m));
    TreeSet<String> live = new TreeSet<>();
    for (Map.Entry<String, Message> e : lastByKey.entrySet()) {
      KeyValueEntry entry = kv.get(e.getKey());
      boolean deleted = e.getValue().getHeaders() != null
          && "DEL".equals(e.getValue().getHeaders().getFirst("KV-Operation"));
      if (deleted) {
        assertNull(entry, e.getKey() + " was deleted last");
      } else {
        live.add(e.getKey());
        assertEquals(e.getValue().metaData().streamSequence(), entry.getRevision(), e.getKey());
      }
    }
    assertEquals(live, new TreeSet<>(kv.keys("registry.pods.>")), "the listing by prefix");
    String someKey = lastByKey.keySet().iterator().next();
    List<Long> history = kv.history(someKey).stream().map(KeyValueEntry::getRevision).toList();
    List<Long> expectedHistory = stored.entrySet().stream()
        .filter(e -> e.getValue().getSubject().equals("$KV.kine." + someKey)).map(Map.Entry::getKey).toList();
    assertEquals(expectedHistory, history, "the history of " + someKey);
    long from = new ArrayList<>(stored.keySet()).get(stored.size() / 2);
    List<Long> watched = new java.util.concurrent.CopyOnWriteArrayList<>();
    AtomicInteger done = new AtomicInteger();
    var watcher = new io.nats.client.api.KeyValueWatcher() {
      @Override
      public void watch(KeyValueEntry entry) {
        watched.add(entry.getOperation() == KeyValueOperation.PUT || entry.getOperation() == KeyValueOperation.DELETE
            ? entry.getRevision() : -entry.getRevision());
      }

      @Override
      public void endOfData() {
        done.incrementAndGet();
      }
    };
    var sub = kv.watchAll(watcher, from, io.nats.client.api.KeyValueWatchOption.INCLUDE_HISTORY);
    Await.until("the watch to reach the end", Duration.ofSeconds(10), () -> done.get() > 0);
    sub.unsubscribe();
    assertEquals(stored.keySet().stream().filter(s -> s >= from).toList(), watched, "a watch from revision " + from);
  }
}
