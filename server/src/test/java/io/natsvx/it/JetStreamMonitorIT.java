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
        int referenceHttp = NatsServerProcess.freePort();
        try (NatsServerProcess reference = NatsServerProcess.start("-js", "-sd", dir.resolve("ref").toString(), "-m",
            Integer.toString(referenceHttp));
             Connection ref = Nats.connect("nats://127.0.0.1:" + reference.port())) {
          fill(ref);
          Set<String> ours = keys(jsz, "");
          Set<String> theirs = keys(Http.json(referenceHttp, QUERY), "");
          Set<String> missing = new TreeSet<>(theirs);
          missing.removeAll(ours);
          // nats-server 2.9 writes its meta cluster for a lone server too; natsvx has no cluster yet
          missing.removeIf(k -> k.startsWith("meta_cluster") || k.contains(".cluster"));
          assertEquals(Set.of(), missing, "keys nats-server's /jsz has");
        }
      }
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
