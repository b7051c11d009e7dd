package io.natsvx.it;

import io.natsvx.config.JetStreamOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * nats.go's JetStream, key-value and object store APIs, unchanged, against natsvx with
 * JetStream on (interop/go/natsinterop -jetstream). Skipped where go or nats.go is absent.
 */
class GoJetStreamIT extends InteropChecks {

  @Override
  String language() {
    return "go-jetstream";
  }

  @Override
  List<String> checks() {
    return List.of("js-connect", "js-publish", "js-pull", "js-push-flow-control", "js-ordered", "js-kv",
        "js-object-store");
  }

  @Override
  List<String> prepare(Path work) throws Exception {
    return List.of(GoClientIT.build(work, "natsinterop"), "-jetstream");
  }

  @Override
  TestServer startServer() throws Exception {
    Path store = Files.createTempDirectory(Path.of("target"), "go-jetstream-");
    return TestServer.start(b -> b.jetStream(JetStreamOptions.DISABLED.withEnabled(true)
        .withStoreDir(store.toAbsolutePath().toString())));
  }

  /** Account info answers. */
  @Test
  void connects() {
    assertCheck("js-connect");
  }

  /** Acks carry stream and sequence; Nats-Msg-Id duplicates and a wrong expected last sequence are caught. */
  @Test
  void publishes() {
    assertCheck("js-publish");
  }

  /** A durable pull consumer fetches in order, acks synchronously; its info shows the floor; an empty fetch times out. */
  @Test
  void pullConsumer() {
    assertCheck("js-pull");
  }

  /** 300 messages of 32 KiB through a flow-controlled push consumer with heartbeats, in order. */
  @Test
  void pushConsumerWithFlowControl() {
    assertCheck("js-push-flow-control");
  }

  @Test
  void orderedConsumer() {
    assertCheck("js-ordered");
  }

  /** Put, compare-and-set update, get, watch, history, delete and keys. */
  @Test
  void keyValueStore() {
    assertCheck("js-kv");
  }

  /** A 1 MB object in chunks goes in and comes back whole, then is replaced. */
  @Test
  void objectStore() {
    assertCheck("js-object-store");
  }
}
