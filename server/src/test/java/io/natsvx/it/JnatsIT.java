package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official Java client against natsvx: pub/sub, queues, request/reply, headers. */
class JnatsIT {

  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static Connection connect() throws Exception {
    return Nats.connect(new Options.Builder().server(server.url()).connectionTimeout(Duration.ofSeconds(5)).build());
  }

  @Test
  void publishSubscribe() throws Exception {
    try (Connection nc = connect()) {
      Subscription sub = nc.subscribe("greet.*");
      nc.flush(Duration.ofSeconds(2));
      nc.publish("greet.joe", "hello".getBytes(StandardCharsets.UTF_8));
      Message m = sub.nextMessage(Duration.ofSeconds(2));
      assertNotNull(m);
      assertEquals("greet.joe", m.getSubject());
      assertEquals("hello", new String(m.getData(), StandardCharsets.UTF_8));
      assertEquals("2.10.0", nc.getServerInfo().getVersion());
    }
  }

  @Test
  void requestReply() throws Exception {
    try (Connection service = connect(); Connection requester = connect()) {
      Dispatcher d = service.createDispatcher(m -> service.publish(m.getReplyTo(), ("re:" + new String(m.getData())).getBytes()));
      d.subscribe("svc.echo");
      service.flush(Duration.ofSeconds(2));
      for (int i = 0; i < 50; i++) {
        Message reply = requester.request("svc.echo", ("m" + i).getBytes(), Duration.ofSeconds(2));
        assertEquals("re:m" + i, new String(reply.getData()));
      }
    }
  }

  @Test
  void noRespondersFailsRequestFast() throws Exception {
    try (Connection nc = connect()) {
      // jnats cancels the request's future when the server answers 503, long before a timeout.
      CompletableFuture<Message> f = nc.request("nobody.home", new byte[0]);
      assertThrows(CancellationException.class, () -> f.get(2, TimeUnit.SECONDS));
    }
  }

  @Test
  void queueGroupSpreadsAndDeliversOnce() throws Exception {
    try (Connection a = connect(); Connection b = connect(); Connection pub = connect()) {
      AtomicInteger countA = new AtomicInteger();
      AtomicInteger countB = new AtomicInteger();
      int n = 400;
      CountDownLatch all = new CountDownLatch(n);
      a.createDispatcher(m -> { countA.incrementAndGet(); all.countDown(); }).subscribe("work", "workers");
      b.createDispatcher(m -> { countB.incrementAndGet(); all.countDown(); }).subscribe("work", "workers");
      a.flush(Duration.ofSeconds(2));
      b.flush(Duration.ofSeconds(2));
      for (int i = 0; i < n; i++) {
        pub.publish("work", new byte[] {1});
      }
      pub.flush(Duration.ofSeconds(2));
      assertTrue(all.await(5, TimeUnit.SECONDS));
      a.flush(Duration.ofSeconds(2));
      b.flush(Duration.ofSeconds(2));
      assertEquals(n, countA.get() + countB.get());
      assertTrue(countA.get() > n / 5 && countB.get() > n / 5, countA + " / " + countB);
    }
  }

  @Test
  void headersRoundTrip() throws Exception {
    try (Connection nc = connect()) {
      Subscription sub = nc.subscribe("hdr");
      nc.flush(Duration.ofSeconds(2));
      Headers h = new Headers().add("X-Trace", "abc").add("X-Multi", "1", "2");
      nc.publish("hdr", h, "body".getBytes());
      Message m = sub.nextMessage(Duration.ofSeconds(2));
      assertNotNull(m);
      assertEquals("abc", m.getHeaders().getFirst("X-Trace"));
      assertEquals(java.util.List.of("1", "2"), m.getHeaders().get("X-Multi"));
      assertEquals("body", new String(m.getData()));
    }
  }

  @Test
  void largePayloadAndManyMessages() throws Exception {
    try (Connection pub = connect(); Connection subConn = connect()) {
      Subscription sub = subConn.subscribe("bulk");
      subConn.flush(Duration.ofSeconds(2));
      byte[] big = new byte[512 * 1024];
      for (int i = 0; i < big.length; i++) {
        big[i] = (byte) i;
      }
      int n = 2000;
      pub.publish("bulk", big);
      for (int i = 0; i < n; i++) {
        pub.publish("bulk", Integer.toString(i).getBytes());
      }
      pub.flush(Duration.ofSeconds(5));
      Message first = sub.nextMessage(Duration.ofSeconds(5));
      assertEquals(big.length, first.getData().length);
      assertEquals(big[big.length - 1], first.getData()[big.length - 1]);
      for (int i = 0; i < n; i++) {
        Message m = sub.nextMessage(Duration.ofSeconds(5));
        assertNotNull(m, "message " + i);
        assertEquals(Integer.toString(i), new String(m.getData()), "in order");
      }
    }
  }

  @Test
  void autoUnsubscribe() throws Exception {
    try (Connection nc = connect()) {
      AtomicInteger got = new AtomicInteger();
      CountDownLatch done = new CountDownLatch(1);
      Dispatcher d = nc.createDispatcher(m -> {
        if (m.getSubject().equals("auto.done")) {
          done.countDown();
        } else {
          got.incrementAndGet();
        }
      });
      d.subscribe("auto");
      d.subscribe("auto.done");
      d.unsubscribe("auto", 3);
      nc.flush(Duration.ofSeconds(2));
      for (int i = 0; i < 10; i++) {
        nc.publish("auto", new byte[] {(byte) i});
      }
      nc.publish("auto.done", new byte[0]);
      assertTrue(done.await(5, TimeUnit.SECONDS));
      assertEquals(3, got.get());
    }
  }
}
