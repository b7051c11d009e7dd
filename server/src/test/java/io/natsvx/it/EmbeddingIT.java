package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.natsvx.NatsServerVerticle;
import io.natsvx.config.ServerOptions;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** natsvx inside a user's own Vert.x, exactly as the README shows it. */
@ExtendWith(VertxExtension.class)
class EmbeddingIT {

  @Test
  void deployUseAndUndeploy(Vertx vertx, VertxTestContext test) {
    NatsServerVerticle nats = new NatsServerVerticle(ServerOptions.builder().port(0).host("127.0.0.1").build());
    vertx.deployVerticle(nats).onComplete(test.succeeding(id -> {
      int port = nats.port();
      assertTrue(port > 0);
      // jnats blocks, so it runs off the event loop.
      vertx.executeBlocking(() -> {
        try (Connection nc = Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + port).build())) {
          Subscription sub = nc.subscribe("embedded");
          nc.flush(Duration.ofSeconds(2));
          nc.publish("embedded", "hi".getBytes());
          Message m = sub.nextMessage(Duration.ofSeconds(2));
          assertEquals("hi", new String(m.getData()));
        }
        return port;
      }).compose(p -> vertx.undeploy(id).map(p)).compose(p -> vertx.executeBlocking(() -> {
        // The shared listening socket closes as the last listener instance goes.
        Await.until("the port to close", Duration.ofSeconds(5), () -> {
          try (Socket s = new Socket("127.0.0.1", p)) {
            return false;
          } catch (IOException closed) {
            return true;
          }
        });
        return p;
      })).onComplete(test.succeeding(p -> test.verify(() -> {
        assertThrows(IOException.class, () -> new Socket("127.0.0.1", p).close(), "port closed after undeploy");
        test.completeNow();
      })));
    }));
  }
}
