package io.natsvx.jetstream.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsvx.account.Account;
import io.natsvx.it.Await;
import io.natsvx.jetstream.store.IndexedStreamStore;
import io.natsvx.jetstream.store.StreamStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The writer's queue is bounded by max_buffered_msgs while a commit is under way. */
class StreamWriterTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A store whose first append waits for {@code release}: the writer's queue fills behind it. */
  private static StreamStore slowFirstAppend(StreamStore real, CountDownLatch inCommit, CountDownLatch release) {
    return (StreamStore) Proxy.newProxyInstance(StreamWriterTest.class.getClassLoader(),
        new Class<?>[] {StreamStore.class}, (proxy, method, args) -> {
          if (method.getName().equals("append") && inCommit.getCount() > 0) {
            inCommit.countDown();
            release.await(10, TimeUnit.SECONDS);
          }
          return method.invoke(real, args);
        });
  }

  private static void awaitMessages(StreamStore store, long n) {
    Await.until(n + " messages stored", () -> store.state().msgs() >= n);
  }

  /** discard_new_per_subject counts what the same burst already takes for a subject. */
  @Test
  void discardNewPerSubjectCountsTheBurst() throws Exception {
    StreamStore real = IndexedStreamStore.inMemory();
    CountDownLatch inCommit = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    StreamConfig config = StreamConfig.parse(new JsonObject().put("name", "S").put("storage", "memory")
        .put("subjects", new io.vertx.core.json.JsonArray().add("S").add("T")).put("discard", "new")
        .put("discard_new_per_subject", true).put("max_msgs_per_subject", 3), null);
    Stream stream = new Stream(vertx, new Account("A"), config, slowFirstAppend(real, inCommit, release), 1, null,
        StorageRoom.UNLIMITED, 0, StreamConsumers.NONE);
    stream.receive("S", null, new byte[] {1});
    assertTrue(inCommit.await(10, TimeUnit.SECONDS), "the first commit started");
    for (int i = 0; i < 10; i++) {
      stream.receive("S", null, new byte[] {2}); // one burst once the first commit is done
    }
    stream.receive("T", null, new byte[] {3}); // queued last: once it is stored, the rest was decided
    release.countDown();
    Await.until("the message on T stored", () -> real.subjectCount("T") > 0);
    assertEquals(1, real.subjectCount("T"));
    assertEquals(3, real.subjectCount("S"), "three on S, the rest refused");
    real.close();
  }

  @Test
  void publishesBeyondTheBufferAreRefusedWhileACommitIsSlow() throws Exception {
    StreamStore real = IndexedStreamStore.inMemory();
    CountDownLatch inCommit = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    StreamConfig config = StreamConfig.parse(new JsonObject().put("name", "S").put("storage", "memory"), null);
    Stream stream = new Stream(vertx, new Account("A"), config, slowFirstAppend(real, inCommit, release), 1, null,
        StorageRoom.UNLIMITED, 3, StreamConsumers.NONE);
    stream.receive("S", null, new byte[] {1});
    assertTrue(inCommit.await(10, TimeUnit.SECONDS), "the first commit started");
    for (int i = 0; i < 10; i++) {
      stream.receive("S", null, new byte[] {2});
    }
    release.countDown();
    awaitMessages(real, 4);
    assertEquals(4, real.state().msgs(), "the one being stored and the three buffered; seven refused");
    stream.receive("S", null, new byte[] {3});
    awaitMessages(real, 5);
    assertEquals(5, real.state().msgs(), "room again once the queue drained");
    real.close();
  }
}
