package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The monitoring endpoints: nats-server's field names (the golden lists are the non-optional
 * JSON fields of nats-server 2.10's Varz, Connz, ConnInfo, Subsz, ... structs), query
 * parameters, counters that move with traffic, JSONP, and Prometheus text.
 */
class MonitorIT {

  static final List<String> VARZ = List.of("server_id", "server_name", "version", "proto", "go", "host", "port",
      "max_connections", "ping_interval", "ping_max", "http_host", "http_port", "http_base_path", "https_port",
      "auth_timeout", "max_control_line", "max_payload", "max_pending", "cluster", "gateway", "leaf", "mqtt",
      "websocket", "jetstream", "tls_timeout", "write_deadline", "start", "now", "uptime", "mem", "cores",
      "gomaxprocs", "cpu", "connections", "total_connections", "routes", "remotes", "leafnodes", "in_msgs",
      "out_msgs", "in_bytes", "out_bytes", "slow_consumers", "subscriptions", "http_req_stats", "config_load_time",
      "slow_consumer_stats");
  static final List<String> CONNZ = List.of("server_id", "now", "num_connections", "total", "offset", "limit",
      "connections");
  static final List<String> CONN_INFO = List.of("cid", "ip", "port", "start", "last_activity", "uptime", "idle",
      "pending_bytes", "in_msgs", "out_msgs", "in_bytes", "out_bytes", "subscriptions");
  static final List<String> SUBSZ = List.of("server_id", "now", "num_subscriptions", "num_cache", "num_inserts",
      "num_removes", "num_matches", "cache_hit_rate", "max_fanout", "avg_fanout", "total", "offset", "limit");

  private static TestServer server;
  private static int http;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(b -> b.httpPort(-1));
    http = server.verticle.monitorPort();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static void assertFields(List<String> expected, JsonObject actual, String what) {
    for (String f : expected) {
      assertTrue(actual.containsKey(f), what + " lacks \"" + f + "\": " + actual.fieldNames());
    }
  }

  @Test
  void everyEndpointHasNatsServersFields() throws Exception {
    assertFields(VARZ, Http.json(http, "/varz"), "/varz");
    assertFields(CONNZ, Http.json(http, "/connz"), "/connz");
    assertFields(SUBSZ, Http.json(http, "/subsz"), "/subsz");
    assertFields(List.of("server_id", "server_name", "now", "num_routes", "routes"), Http.json(http, "/routez"), "/routez");
    assertFields(List.of("server_id", "now", "outbound_gateways", "inbound_gateways"), Http.json(http, "/gatewayz"), "/gatewayz");
    assertFields(List.of("server_id", "now", "leafnodes", "leafs"), Http.json(http, "/leafz"), "/leafz");
    assertFields(List.of("server_id", "now", "accounts"), Http.json(http, "/accountz"), "/accountz");
    assertFields(List.of("server_id", "now", "account_statz"), Http.json(http, "/accstatz"), "/accstatz");
    assertFields(List.of("server_id", "now", "disabled", "config", "streams", "consumers", "messages", "bytes"),
        Http.json(http, "/jsz"), "/jsz");
    assertEquals(new JsonObject().put("status", "ok"), Http.json(http, "/healthz"));
    HttpResponse<String> index = Http.get(http, "/");
    assertEquals(200, index.statusCode());
    assertTrue(index.body().contains("href=\"/varz\""), index.body());
  }

  @Test
  void countersMoveWithTraffic() throws Exception {
    JsonObject before = Http.json(http, "/varz");
    try (RawClient sub = RawClient.connect(server.port()); RawClient pub = RawClient.connect(server.port())) {
      sub.send("CONNECT {\"verbose\":false,\"name\":\"counter-sub\"}\r\nSUB count.* 7\r\n").sync();
      pub.send("CONNECT {\"verbose\":false,\"name\":\"counter-pub\",\"lang\":\"raw\",\"version\":\"9\"}\r\n");
      for (int i = 0; i < 10; i++) {
        pub.send("PUB count.x 4\r\nabcd\r\n");
      }
      pub.sync();
      for (int i = 0; i < 10; i++) {
        sub.expect("MSG count.x 7 4");
        sub.readLine();
      }
      JsonObject after = Http.json(http, "/varz");
      assertEquals(10, after.getLong("in_msgs") - before.getLong("in_msgs"));
      assertEquals(40, after.getLong("in_bytes") - before.getLong("in_bytes"));
      assertEquals(10, after.getLong("out_msgs") - before.getLong("out_msgs"));
      assertEquals(40, after.getLong("out_bytes") - before.getLong("out_bytes"));
      assertTrue(after.getInteger("connections") >= 2);
      assertTrue(after.getLong("total_connections") >= before.getLong("total_connections") + 2);
      assertTrue(after.getInteger("subscriptions") >= 1);
      assertTrue(after.getLong("mem") > 0);
      assertTrue(after.getJsonObject("http_req_stats").getLong("/varz") >= 2);

      JsonObject connz = Http.json(http, "/connz?subs=detail&sort=msgs_from");
      JsonObject top = connz.getJsonArray("connections").getJsonObject(0);
      assertFields(CONN_INFO, top, "connection");
      assertEquals("counter-pub", top.getString("name"));
      assertEquals("raw", top.getString("lang"));
      assertEquals(10, top.getLong("in_msgs"));
      JsonObject subConn = find(connz.getJsonArray("connections"), "counter-sub");
      assertEquals(10, subConn.getLong("out_msgs"));
      JsonObject detail = subConn.getJsonArray("subscriptions_list_detail").getJsonObject(0);
      assertEquals("count.*", detail.getString("subject"));
      assertEquals("7", detail.getString("sid"));
      assertEquals(10, detail.getLong("msgs"));

      JsonObject subsz = Http.json(http, "/subsz?subs=1&test=count.y");
      assertEquals(1, subsz.getInteger("total"));
      assertEquals("count.*", subsz.getJsonArray("subscriptions_list").getJsonObject(0).getString("subject"));
    }
  }

  private static JsonObject find(JsonArray conns, String name) {
    for (int i = 0; i < conns.size(); i++) {
      if (name.equals(conns.getJsonObject(i).getString("name"))) {
        return conns.getJsonObject(i);
      }
    }
    throw new AssertionError("no connection named " + name + " in " + conns.encode());
  }

  @Test
  void connzPagingFiltersAndClosedConnections() throws Exception {
    long cid;
    try (RawClient a = RawClient.connect(server.port()); RawClient b = RawClient.connect(server.port())) {
      a.send("CONNECT {\"verbose\":false,\"name\":\"closing-soon\"}\r\nSUB x 1\r\nSUB y 2\r\nSUB z 3\r\n").sync();
      b.send("CONNECT {\"verbose\":false,\"name\":\"page-b\"}\r\n").sync();
      JsonObject all = Http.json(http, "/connz?sort=subs");
      assertEquals("closing-soon", all.getJsonArray("connections").getJsonObject(0).getString("name"));
      cid = all.getJsonArray("connections").getJsonObject(0).getLong("cid");
      JsonObject page = Http.json(http, "/connz?limit=1&offset=1");
      assertEquals(1, page.getInteger("num_connections"));
      assertEquals(1, page.getInteger("limit"));
      assertEquals(1, page.getInteger("offset"));
      assertEquals(all.getInteger("total"), page.getInteger("total"));
      JsonObject one = Http.json(http, "/connz?cid=" + cid + "&subs=1");
      assertEquals(1, one.getInteger("num_connections"));
      assertEquals(Set.of("x", "y", "z"),
          Set.copyOf(one.getJsonArray("connections").getJsonObject(0).getJsonArray("subscriptions_list").getList()));
    }
    JsonObject closed = Await.value("the closed connection listed", Await.DEFAULT_TIMEOUT,
        () -> Http.json(http, "/connz?state=closed&cid=" + cid), c -> c.getInteger("num_connections") > 0);
    JsonObject gone = closed.getJsonArray("connections").getJsonObject(0);
    assertEquals("Client Closed", gone.getString("reason"));
    assertTrue(gone.containsKey("stop"));
    assertEquals(200, Http.get(http, "/connz?state=closed&sort=stop").statusCode());
  }

  @Test
  void badQueriesGetNatsServersErrors() throws Exception {
    HttpResponse<String> r = Http.get(http, "/connz?sort=bogus");
    assertEquals(400, r.statusCode());
    assertEquals("invalid sorting option: bogus", r.body());
    r = Http.get(http, "/connz?sort=stop");
    assertEquals(400, r.statusCode());
    assertEquals("sort by stop only valid on closed connections", r.body());
    r = Http.get(http, "/connz?subs=maybe");
    assertEquals(400, r.statusCode());
    assertTrue(r.body().startsWith("Error decoding boolean for 'subs'"), r.body());
    r = Http.get(http, "/connz?state=sideways");
    assertEquals(400, r.statusCode());
    assertEquals(404, Http.get(http, "/nothing-here").statusCode());
  }

  @Test
  void jsonpCallback() throws Exception {
    HttpResponse<String> r = Http.get(http, "/varz?callback=cb");
    assertEquals("application/javascript", r.headers().firstValue("Content-Type").orElse(""));
    assertTrue(r.body().startsWith("cb({") && r.body().endsWith("})"), r.body());
  }

  @Test
  void prometheusText() throws Exception {
    try (RawClient c = RawClient.connect(server.port())) {
      c.send("CONNECT {\"verbose\":false}\r\nPUB metric.x 1\r\nz\r\n").sync();
      HttpResponse<String> r = Http.get(http, "/metrics");
      assertEquals(200, r.statusCode());
      assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
      long inMsgs = -1;
      for (String line : r.body().split("\n")) {
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        assertTrue(line.matches("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{.*})? [-+0-9.eE]+|.* (NaN|[+-]Inf)"), "exposition line: " + line);
        if (line.startsWith("gnatsd_varz_in_msgs{")) {
          inMsgs = (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      assertTrue(inMsgs >= 1, "gnatsd_varz_in_msgs present and moving");
      assertTrue(r.body().contains("jvm_memory_used_bytes"), "JVM metrics next to the server's");
    }
  }

  @Test
  void healthzIsUnavailableInLameDuck() throws Exception {
    try (TestServer ldm = TestServer.start(b -> b.httpPort(-1))) {
      int port = ldm.verticle.monitorPort();
      assertEquals(200, Http.get(port, "/healthz").statusCode());
      ldm.vertx.runOnContext(v -> ldm.verticle.lameDuck());
      HttpResponse<String> r = Await.value("healthz to flip", Await.DEFAULT_TIMEOUT, () -> Http.get(port, "/healthz"),
          got -> got.statusCode() != 200);
      assertEquals(503, r.statusCode());
      assertEquals("unavailable", new JsonObject(r.body()).getString("status"));
    }
  }

  @Test
  void basePath() throws Exception {
    try (TestServer based = TestServer.start(b -> b.httpPort(-1).httpBasePath("/nats"))) {
      int port = based.verticle.monitorPort();
      assertEquals("/nats", Http.json(port, "/nats/varz").getString("http_base_path"));
      assertEquals(200, Http.get(port, "/nats").statusCode());
      assertFalse(Http.get(port, "/varz").statusCode() == 200);
    }
  }
}
