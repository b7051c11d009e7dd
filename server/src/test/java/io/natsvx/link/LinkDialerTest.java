package io.natsvx.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsvx.it.Await;
import io.natsvx.log.ServerLog;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The redial schedule (one second apart, or doubling from one second to thirty with the
 * backoff), and which learned URLs are dialed.
 */
class LinkDialerTest {

  @Test
  void aLearnedUrlIsDialedOnlyWhenNotConfiguredBeingDialedOrThisServer() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      NetServer peer = vertx.createNetServer().connectHandler(s -> { });
      int port = peer.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
          .actualPort();
      List<URI> connected = new CopyOnWriteArrayList<>();
      LinkDialer.Retry once = new LinkDialer.Retry(false, 0, false);
      LinkDialer dialer = new LinkDialer(vertx, new ServerLog(false, false, false, null), "route",
          (socket, url, retry) -> {
            connected.add(url);
            socket.close();
          });
      URI configured = new URI("nats-route://127.0.0.1:" + port);
      URI self = new URI("nats-route://127.0.0.2:" + port);
      URI other = new URI("nats-route://localhost:" + port);
      URI configuredWithCredentials = new URI("nats-route://user:pw@127.0.0.1:" + port);
      vertx.runOnContext(v -> {
        dialer.dialConfigured(configured, once);
        dialer.self(self);
      });
      Await.until("the configured URL connects", () -> connected.size() == 1);
      List<Boolean> dialed = new CopyOnWriteArrayList<>();
      vertx.runOnContext(v -> {
        dialed.add(dialer.dialLearned(configuredWithCredentials, once));
        dialed.add(dialer.dialLearned(self, once));
        dialed.add(dialer.dialLearned(other, once));
        dialed.add(dialer.dialLearned(other, once)); // now being dialed
      });
      Await.until("four answers", () -> dialed.size() == 4);
      assertFalse(dialed.get(0), "configured");
      assertFalse(dialed.get(1), "this server");
      assertTrue(dialed.get(2), "new");
      assertFalse(dialed.get(3), "already being dialed");
      Await.until("the learned URL connects", () -> connected.size() == 2);
      assertEquals(other, connected.get(1));
      vertx.runOnContext(v -> dialer.stop());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void withoutBackoffEveryTryWaitsOneSecond() {
    LinkDialer.Retry retry = new LinkDialer.Retry(true, 0, false);
    for (int attempt = 1; attempt <= 10; attempt++) {
      assertEquals(1000, LinkDialer.delay(retry, attempt));
    }
  }

  @Test
  void theBackoffDoublesUpToThirtySeconds() {
    LinkDialer.Retry retry = new LinkDialer.Retry(true, 0, true);
    long[] expected = {1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};
    for (int attempt = 1; attempt <= expected.length; attempt++) {
      assertEquals(expected[attempt - 1], LinkDialer.delay(retry, attempt), "attempt " + attempt);
    }
  }
}
