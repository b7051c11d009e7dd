package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StreamConfiguration;
import io.natsvx.config.JetStreamOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** /jsz filled in and /healthz's JetStream checks, with nats-server's keys where it is installed. */
class JetStreamMonitorIT extends JetStreamTests {

  private static final String QUERY = "/jsz?accounts=true&streams=true&consumers=true&config=true";

  private static void fill(Connection nc) throws Exception {
    JetStreamManagement jsm = nc.jetStreamManagement();
    jsm.addStream(StreamConfiguration.builder().name("M").subjects("m.>").build());
    jsm.addOrUpdateConsumer("M", ConsumerConfiguration.builder().durable("d").build());
    nc.jetStream().publish("m.1", bytes("x"));
  }

  @Test
  void jszShowsAccountsStreamsAndConsumers() throws Exception {
    try (TestServer server = TestServer.start(b -> b.httpPort(-1).jetStream(
        JetStreamOptions.DISABLED.withEnabled(true).withStoreDir(dir.toString())));
         Connection nc = Nats.connect(server.url())) {
      fill(nc);
      int http = server.verticle.monitorPort();
      JsonObject jsz = Http.json(http, QUERY);
      assertEquals(1, jsz.getInteger("streams"));
      assertEquals(1, jsz.getInteger("consumers"));
      assertEquals(1, jsz.getInteger("messages"));
      JsonArray accounts = jsz.getJsonArray("account_details");
      assertEquals("$G", accounts.getJsonObject(0).getString("name"));
      JsonObject stream = accounts.getJsonObject(0).getJsonArray("stream_detail").getJsonObject(0);
      assertEquals("M", stream.getString("name"));
      assertEquals("d", stream.getJsonArray("consumer_detail").getJsonObject(0).getString("name"));
      assertEquals(200, Http.get(http, "/healthz?js-enabled-only=true").statusCode());

      if (NatsServerProcess.available()) {
        Set<String> missing = new TreeSet<>(keys(reference(QUERY, JetStreamMonitorIT::fill), ""));
        missing.removeAll(keys(jsz, ""));
        // nats-server 2.9 writes its meta cluster for a lone server too; natsvx has no cluster yet
        missing.removeIf(k -> k.startsWith("meta_cluster") || k.contains(".cluster"));
        assertEquals(Set.of(), missing, "keys nats-server's /jsz has");
      }
    }
  }

  /**
   * /varz's jetstream block: the config (limits, store directory) and the stats (usage,
   * reservations, API counters), with nats-server's keys; empty with JetStream off.
   */
  @Test
  void varzCarriesJetStreamsConfigAndStats() throws Exception {
    try (TestServer server = TestServer.fromConf("http_port: -1\njetstream { store_dir: \"" + dir
        + "\", max_file_store: 1073741824 }");
         Connection nc = Nats.connect(server.url())) {
      fill(nc);
      nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("R").subjects("r").maxBytes(4096).build());
      JsonObject js = Http.json(server.verticle.monitorPort(), "/varz").getJsonObject("jetstream");
      JsonObject config = js.getJsonObject("config");
      assertEquals(1L << 30, config.getLong("max_storage"));
      assertTrue(config.getLong("max_memory") > 0, config.encode());
      assertEquals(dir.resolve("jetstream").toString(), config.getString("store_dir"));
      JsonObject stats = js.getJsonObject("stats");
      assertTrue(stats.getLong("storage") > 0, "the stored message counts: " + stats.encode());
      assertEquals(0, stats.getLong("memory"));
      assertEquals(4096, stats.getLong("reserved_storage"), "R's max_bytes is reserved");
      assertEquals(1, stats.getInteger("accounts"));
      assertEquals(3, stats.getJsonObject("api").getLong("total"), "two streams and a consumer made: " + stats.encode());

      if (NatsServerProcess.available()) {
        JsonObject theirs = reference("/varz", ref -> {
          fill(ref);
          ref.jetStreamManagement().addStream(StreamConfiguration.builder().name("R").subjects("r").maxBytes(4096)
              .build());
        }).getJsonObject("jetstream");
        Set<String> missing = new TreeSet<>(keys(theirs, ""));
        missing.removeAll(keys(js, ""));
        assertEquals(Set.of(), missing, "keys nats-server's /varz jetstream has");
        assertEquals(theirs.getJsonObject("stats").getLong("reserved_storage"), stats.getLong("reserved_storage"));
        assertEquals(theirs.getJsonObject("stats").getJsonObject("api"), stats.getJsonObject("api"));
      }
    }
    try (TestServer plain = TestServer.start(b -> b.httpPort(-1))) {
      assertEquals(new JsonObject(), Http.json(plain.verticle.monitorPort(), "/varz").getJsonObject("jetstream"));
    }
  }

  @Test
  void healthzSaysWhenJetStreamIsNotRunning() throws Exception {
    try (TestServer server = TestServer.start(b -> b.httpPort(-1))) {
      assertEquals(200, Http.get(server.verticle.monitorPort(), "/healthz?js-enabled-only=true").statusCode(),
          "JetStream not configured: nothing to check");
      assertTrue(Http.json(server.verticle.monitorPort(), "/jsz").getBoolean("disabled"));
    }
  }

  private interface Filler {
    void fill(Connection nc) throws Exception;
  }

  /** What nats-server's monitoring answers on {@code path} once a client did what {@code filler} does. */
  private JsonObject reference(String path, Filler filler) throws Exception {
    int referenceHttp = NatsServerProcess.freePort();
    try (NatsServerProcess reference = NatsServerProcess.start("-js", "-sd", dir.resolve("ref").toString(), "-m",
        Integer.toString(referenceHttp));
         Connection ref = Nats.connect(reference.url())) {
      filler.fill(ref);
      return Http.json(referenceHttp, path);
    }
  }

  /** Key paths, with arrays entered at their first element. */
  private static Set<String> keys(JsonObject o, String prefix) {
    Set<String> out = new TreeSet<>();
    for (String k : o.fieldNames()) {
      out.add(prefix + k);
      Object v = o.getValue(k);
      if (v instanceof JsonArray a && !a.isEmpty() && a.getValue(0) instanceof JsonObject first) {
        v = first;
      }
      if (v instanceof JsonObject inner) {
        out.addAll(keys(inner, prefix + k + "."));
      }
    }
    return out;
  }
}
