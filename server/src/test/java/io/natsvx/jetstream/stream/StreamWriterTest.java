package io.natsvx.jetstream.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsvx.account.Account;
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

  @Test
  void publishesBeyondTheBufferAreRefusedWhileACommitIsSlow() throws Exception {
    StreamStore real = IndexedStreamStore.inMemory();
    CountDownLatch inCommit = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    // a store whose first append waits: the writer's queue fills behind it
    StreamStore slow = (StreamStore) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {StreamStore.class}, (proxy, method, args) -> {
          if (method.getName().equals("append") && inCommit.getCount() > 0) {
            inCommit.countDown();
            release.await(10, TimeUnit.SECONDS);
          }
          return method.invoke(real, args);
        });
    StreamConfig config = StreamConfig.parse(new JsonObject().put("name", "S").put("storage", "memory"), null);
    Stream stream = new Stream(vertx, new Account("A"), config, slow, 1, null, StorageRoom.UNLIMITED, 3);
    stream.receive("S", null, new byte[] {1});
    assertTrue(inCommit.await(10, TimeUnit.SECONDS), "the first commit started");
    for (int i = 0; i < 10; i++) {
      stream.receive("S", null, new byte[] {2});
    }
    release.countDown();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (real.state().msgs() < 4 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(4, real.state().msgs(), "the one being stored and the three buffered; seven refused");
    stream.receive("S", null, new byte[] {3});
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (real.state().msgs() < 5 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(5, real.state().msgs(), "room again once the queue drained");
    real.close();
  }
}
