package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.natsvx.config.OptionsReader;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * conf/accounts.conf in natsvx and the reference nats-server (when installed): the same raw
 * scripts get the same answers, and a service imported across accounts answers jnats on both.
 */
class AccountsSideBySideIT {

  private static final Path CONF = Path.of("..", "conf", "accounts.conf");
  private static TestServer natsvx;
  private static NatsServerProcess reference;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(NatsServerProcess.available(), "nats-server not installed");
    var loaded = OptionsReader.load(CONF).options().toBuilder();
    natsvx = TestServer.start(b -> loaded.port(0).host("127.0.0.1").logtime(false));
    reference = NatsServerProcess.start("-c", CONF.toAbsolutePath().toString());
  }

  @AfterAll
  static void stop() throws Exception {
    if (natsvx != null) {
      natsvx.close();
    }
    if (reference != null) {
      reference.close();
    }
  }

  private static String login(String user) {
    return "CONNECT {\"verbose\":false,\"user\":\"" + user + "\",\"pass\":\"" + user + "-pass\"}\r\n";
  }

  static Stream<String> scripts() {
    return Stream.of(
        // each account sees its own subjects only
        login("shop") + "SUB orders.events.x 1\r\nPUB orders.events.x 2\r\nok\r\n",
        // the importer's default permissions from its account block
        login("billing") + "SUB billing.a 1\r\nSUB orders.events.x 2\r\nPUB elsewhere 1\r\nx\r\nPUB billing.a 1\r\ny\r\n",
        login("admin") + "SUB > 1\r\n",
        login("nobody"));
  }

  @ParameterizedTest
  @MethodSource("scripts")
  void sameAnswers(String script) throws Exception {
    assertEquals(Transcripts.of(reference.port(), script), Transcripts.of(natsvx.port(), script),
        SideBySideIT.printable(script));
  }

  /** System account requests answer with the same JSON keys (less what 2.9 lacks or 2.10 added). */
  @Test
  void systemRequestsHaveTheSameShape() throws Exception {
    java.util.Set<String> versionDifferences = java.util.Set.of("slow_consumer_stats", "git_commit", "flags",
        "active_servers", "jetstream", "routes", "gateways", "tags", "cluster", "domain");
    for (String subject : new String[] {"$SYS.REQ.SERVER.PING", "$SYS.REQ.SERVER.PING.VARZ",
        "$SYS.REQ.SERVER.PING.HEALTHZ", "$SYS.REQ.SERVER.PING.SUBSZ"}) {
      JsonObject ref = request(reference.port(), subject);
      JsonObject ours = request(natsvx.port(), subject);
      assertEquals(keys(ref, versionDifferences), keys(ours, versionDifferences), subject);
      for (String inner : ref.fieldNames()) {
        if (ref.getValue(inner) instanceof JsonObject r && ours.getValue(inner) instanceof JsonObject o) {
          assertEquals(keys(r, versionDifferences), keys(o, versionDifferences), subject + " " + inner);
        }
      }
    }
  }

  private static JsonObject request(int port, String subject) throws Exception {
    try (Connection admin = Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + port)
        .userInfo("admin", "admin-pass").build())) {
      return new JsonObject(new String(admin.request(subject, new byte[0], Duration.ofSeconds(5)).getData()));
    }
  }

  private static java.util.Set<String> keys(JsonObject o, java.util.Set<String> ignore) {
    java.util.Set<String> k = new java.util.TreeSet<>(o.fieldNames());
    k.removeAll(ignore);
    return k;
  }

  /** The stream import with its prefix, then the service import answered across accounts. */
  @Test
  void streamAndServiceAcrossAccounts() throws Exception {
    for (int port : new int[] {reference.port(), natsvx.port()}) {
      String url = "nats://127.0.0.1:" + port;
      try (Connection shop = Nats.connect(new Options.Builder().server(url).userInfo("shop", "shop-pass").build());
           Connection billing = Nats.connect(new Options.Builder().server(url).userInfo("billing", "billing-pass").build())) {
        var events = billing.subscribe("shop.orders.events.>");
        shop.createDispatcher(m -> shop.publish(m.getReplyTo(), ("price of " + new String(m.getData())).getBytes()))
            .subscribe("prices.get");
        billing.flush(Duration.ofSeconds(2));
        shop.flush(Duration.ofSeconds(2));
        shop.publish("orders.events.created", "o-1".getBytes());
        Message event = events.nextMessage(Duration.ofSeconds(2));
        assertEquals("shop.orders.events.created", event.getSubject(), "port " + port);
        Message price = billing.request("shop.prices", "apple".getBytes(), Duration.ofSeconds(2));
        assertEquals("price of apple", new String(price.getData()), "port " + port);
      }
    }
  }
}
