package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same monitoring requests against natsvx and the reference nats-server (when installed),
 * with a connection and subscriptions on each: the JSON key sets must agree, but for what the
 * installed 2.9 lacks or has only through features natsvx has not built yet.
 */
class MonitorSideBySideIT {

  /** 2.10 added slow_consumer_stats. */
  private static final Set<String> VARZ_VERSION_DIFFERENCES = Set.of("slow_consumer_stats", "git_commit");

  private static TestServer natsvx;
  private static NatsServerProcess reference;
  private static int referenceHttp;
  private static RawClient natsvxClient;
  private static RawClient referenceClient;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(NatsServerProcess.available(), "nats-server not installed");
    natsvx = TestServer.start(b -> b.httpPort(-1));
    referenceHttp = NatsServerProcess.freePort();
    reference = NatsServerProcess.start("-m", Integer.toString(referenceHttp));
    String script = "CONNECT {\"verbose\":false,\"name\":\"n\",\"lang\":\"l\",\"version\":\"v\"}\r\n"
        + "SUB a 1\r\nSUB b q 2\r\nPUB a 1\r\nx\r\n";
    natsvxClient = connect(natsvx.port(), script);
    referenceClient = connect(reference.port(), script);
  }

  private static RawClient connect(int port, String script) throws Exception {
    RawClient c = RawClient.connect(port).send(script);
    c.expect("MSG a 1 1");
    c.readLine();
    c.sync();
    return c;
  }

  @AfterAll
  static void stop() throws Exception {
    if (natsvxClient != null) {
      natsvxClient.close();
      referenceClient.close();
    }
    if (natsvx != null) {
      natsvx.close();
    }
    if (reference != null) {
      reference.close();
    }
  }

  private static Set<String> keys(JsonObject o, Set<String> ignore) {
    Set<String> k = new TreeSet<>(o.fieldNames());
    k.removeAll(ignore);
    return k;
  }

  /** Keys over every element: the order of subscriptions is not defined. */
  private static Set<String> allKeys(io.vertx.core.json.JsonArray list) {
    Set<String> k = new TreeSet<>();
    for (int i = 0; i < list.size(); i++) {
      k.addAll(list.getJsonObject(i).fieldNames());
    }
    return k;
  }

  @Test
  void varz() throws Exception {
    assertEquals(keys(Http.json(referenceHttp, "/varz"), VARZ_VERSION_DIFFERENCES),
        keys(Http.json(natsvx.verticle.monitorPort(), "/varz"), VARZ_VERSION_DIFFERENCES));
  }

  @Test
  void connz() throws Exception {
    JsonObject ref = Http.json(referenceHttp, "/connz?subs=detail");
    JsonObject ours = Http.json(natsvx.verticle.monitorPort(), "/connz?subs=detail");
    assertEquals(keys(ref, Set.of()), keys(ours, Set.of()));
    JsonObject refConn = ref.getJsonArray("connections").getJsonObject(0);
    JsonObject ourConn = ours.getJsonArray("connections").getJsonObject(0);
    assertEquals(keys(refConn, Set.of()), keys(ourConn, Set.of()));
    assertEquals(allKeys(refConn.getJsonArray("subscriptions_list_detail")),
        allKeys(ourConn.getJsonArray("subscriptions_list_detail")));
  }

  @Test
  void subsz() throws Exception {
    // Detailed form: 2.9's plain /subsz leaves server_id and now out, 2.10's has them.
    JsonObject ref = Http.json(referenceHttp, "/subsz?subs=1");
    JsonObject ours = Http.json(natsvx.verticle.monitorPort(), "/subsz?subs=1");
    assertEquals(keys(ref, Set.of()), keys(ours, Set.of()));
    assertEquals(allKeys(ref.getJsonArray("subscriptions_list")), allKeys(ours.getJsonArray("subscriptions_list")));
  }

  @Test
  void healthz() throws Exception {
    assertEquals(Http.json(referenceHttp, "/healthz"), Http.json(natsvx.verticle.monitorPort(), "/healthz"));
  }
}
