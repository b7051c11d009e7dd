package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Connection limits, keepalive and slow consumers: only the offending connection pays. */
class LimitsIT {

  @Test
  void maxConnectionsRefusesAfterInfo() throws Exception {
    try (TestServer server = TestServer.start(b -> b.maxConnections(2));
         RawClient a = RawClient.connect(server.port());
         RawClient b = RawClient.connect(server.port());
         RawClient c = RawClient.connect(server.port())) {
      c.expect("-ERR 'maximum connections exceeded'");
      assertTrue(c.isClosedByServer(2000));
      a.send("CONNECT {\"verbose\":false}\r\n").sync();
      b.send("CONNECT {\"verbose\":false}\r\n").sync();
    }
  }

  @Test
  void staleConnectionAfterUnansweredPings() throws Exception {
    try (TestServer server = TestServer.start(b -> b.pingInterval(Duration.ofMillis(100)).pingMax(2));
         RawClient quiet = RawClient.connect(server.port());
         RawClient answering = RawClient.connect(server.port())) {
      // A client that answers stays connected through many ping intervals.
      for (int i = 0; i < 5; i++) {
        assertEquals("PING", answering.readLine());
        answering.send("PONG\r\n");
      }
      answering.sync();
      // The quiet one got ping_max PINGs, then was cut (its socket kept what was sent).
      assertEquals("PING", quiet.readLine());
      assertEquals("PING", quiet.readLine());
      assertEquals("-ERR 'Stale Connection'", quiet.readLine());
      assertTrue(quiet.isClosedByServer(2000));
    }
  }

  @Test
  void slowConsumerIsCutAndPublisherIsNot() throws Exception {
    try (TestServer server = TestServer.start(b -> b.maxPending(256 * 1024));
         Socket slow = new Socket("127.0.0.1", server.port());
         RawClient pub = RawClient.connect(server.port());
         RawClient fast = RawClient.connect(server.port())) {
      slow.getOutputStream().write("CONNECT {\"verbose\":false}\r\nSUB flood 1\r\nPING\r\n".getBytes());
      fast.send("CONNECT {\"verbose\":false}\r\nSUB other 1\r\n").sync();
      awaitSubscriptions(server, 2);
      pub.send("CONNECT {\"verbose\":false}\r\n");
      String payload = "x".repeat(1024);
      StringBuilder batch = new StringBuilder();
      for (int i = 0; i < 100; i++) {
        batch.append("PUB flood 1024\r\n").append(payload).append("\r\n");
      }
      // A load loop, not a wait: each round is synced, so the server has judged it when it ends.
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      var ctx = server.verticle.server();
      for (int round = 0; round < 400 && ctx.slowConsumers.sum() == 0 && System.nanoTime() < deadline; round++) {
        pub.send(batch.toString());
        pub.sync();
      }
      assertEquals(1, ctx.slowConsumers.sum());
      // The slow one is gone from the server; the other two are not.
      Await.until("the slow consumer's connection to go", () -> ctx.connectionCount() == 2);
      pub.send("PUB other 2\r\nok\r\n").sync();
      fast.expect("MSG other 1 2");
      assertEquals("ok", fast.readLine());
    }
  }

  private static void awaitSubscriptions(TestServer server, int n) {
    Await.until(n + " subscriptions", () -> server.verticle.server().globalAccount().subjects().count() >= n);
  }
}
