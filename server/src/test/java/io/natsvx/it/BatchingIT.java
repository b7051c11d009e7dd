package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsvx.conn.Connection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Deliveries from one read reach each subscriber in one write, not one write per message. */
class BatchingIT {

  @Test
  void oneWritePerSubscriberPerRead() throws Exception {
    try (TestServer server = TestServer.start();
         RawClient sub = RawClient.connect(server.port());
         RawClient pub = RawClient.connect(server.port())) {
      sub.send("CONNECT {\"verbose\":false}\r\nSUB b 1\r\n").sync();
      pub.send("CONNECT {\"verbose\":false}\r\n").sync();
      Connection subConn = server.verticle.server().connections().stream()
          .filter(c -> c.id() == 1).findFirst().orElseThrow(); // the first to connect
      long before = writesOf(subConn);
      int n = 200;
      StringBuilder burst = new StringBuilder();
      for (int i = 0; i < n; i++) {
        burst.append("PUB b 3\r\nabc\r\n");
      }
      pub.send(burst.toString()).sync(); // one TCP write, usually one server read
      for (int i = 0; i < n; i++) {
        sub.expect("MSG b 1 3");
        assertEquals("abc", sub.readLine());
      }
      long writes = writesOf(subConn) - before;
      // A 2.8 KB burst may arrive in a couple of reads, never in anything near 200.
      assertTrue(writes >= 1 && writes <= 3, "writes for " + n + " messages: " + writes);
      var ctx = server.verticle.server();
      assertEquals(n, ctx.inMsgs.sum());
      assertEquals(3L * n, ctx.inBytes.sum());
      assertEquals(n, ctx.outMsgs.sum());
      assertEquals(3L * n, ctx.outBytes.sum());
    }
  }

  private static long writesOf(Connection c) throws Exception {
    CompletableFuture<Long> f = new CompletableFuture<>();
    c.eventLoop().execute(() -> f.complete(c.writes()));
    return f.get(5, TimeUnit.SECONDS);
  }
}
