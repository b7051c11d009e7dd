package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.natsvx.config.AccountOptions;
import io.natsvx.config.AuthOptions.UserOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The system account: server requests and client events, for its users only. */
class SystemAccountIT {

  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(b -> b.systemAccount("SYS").httpPort(-1).accounts(List.of(
        new AccountOptions("SYS", List.of(new UserOptions("admin", "admin", null, null)), List.of(), List.of()),
        new AccountOptions("APP", List.of(new UserOptions("app", "app", null, null)), List.of(), List.of()))));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static Connection connect(String user) throws Exception {
    return Nats.connect(new Options.Builder().server(server.url()).userInfo(user, user).build());
  }

  @Test
  void connectAndDisconnectEvents() throws Exception {
    try (Connection admin = connect("admin")) {
      Subscription events = admin.subscribe("$SYS.ACCOUNT.APP.*");
      admin.flush(Duration.ofSeconds(2));
      try (Connection app = connect("app")) {
        app.flush(Duration.ofSeconds(2));
        JsonObject connect = new JsonObject(new String(events.nextMessage(Duration.ofSeconds(5)).getData()));
        assertEquals("io.nats.server.advisory.v1.client_connect", connect.getString("type"));
        assertEquals("APP", connect.getJsonObject("client").getString("acc"));
        assertEquals("app", connect.getJsonObject("client").getString("user"));
        assertEquals(server.verticle.server().serverId(), connect.getJsonObject("server").getString("id"));
      }
      Message m = events.nextMessage(Duration.ofSeconds(5));
      assertEquals("$SYS.ACCOUNT.APP.DISCONNECT", m.getSubject());
      JsonObject disconnect = new JsonObject(new String(m.getData()));
      assertEquals("io.nats.server.advisory.v1.client_disconnect", disconnect.getString("type"));
      assertEquals("Client Closed", disconnect.getString("reason"));
    }
  }

  @Test
  void connzShowsUsersAndFiltersByAccount() throws Exception {
    try (Connection app = connect("app"); Connection admin = connect("admin")) {
      int http = server.verticle.monitorPort();
      JsonObject appOnly = Http.json(http, "/connz?auth=true&acc=APP");
      assertEquals(1, appOnly.getInteger("num_connections"), appOnly.encode());
      JsonObject conn = appOnly.getJsonArray("connections").getJsonObject(0);
      assertEquals("app", conn.getString("authorized_user"));
      assertEquals("APP", conn.getString("account"));
      assertTrue(!Http.json(http, "/connz").getJsonArray("connections").getJsonObject(0).containsKey("authorized_user"),
          "users only with auth=true");
      assertEquals(0, Http.json(http, "/connz?mqtt_client=someone").getInteger("num_connections"));
    }
  }

  @Test
  void serverRequests() throws Exception {
    String id = server.verticle.server().serverId();
    try (Connection admin = connect("admin"); Connection app = connect("app")) {
      JsonObject ping = new JsonObject(new String(admin.request("$SYS.REQ.SERVER.PING", new byte[0], Duration.ofSeconds(5)).getData()));
      assertEquals(id, ping.getJsonObject("server").getString("id"));
      assertTrue(ping.getJsonObject("statsz").getInteger("connections") >= 2, ping.encode());

      JsonObject varz = new JsonObject(new String(
          admin.request("$SYS.REQ.SERVER.PING.VARZ", new byte[0], Duration.ofSeconds(5)).getData()));
      assertEquals(id, varz.getJsonObject("data").getString("server_id"));
      assertTrue(varz.getJsonObject("data").containsKey("in_msgs"));

      JsonObject connz = new JsonObject(new String(admin.request("$SYS.REQ.SERVER." + id + ".CONNZ",
          "{\"subscriptions\":true}".getBytes(), Duration.ofSeconds(5)).getData()));
      assertTrue(connz.getJsonObject("data").getInteger("num_connections") >= 2, connz.encode());

      JsonObject health = new JsonObject(new String(
          admin.request("$SYS.REQ.SERVER.PING.HEALTHZ", new byte[0], Duration.ofSeconds(5)).getData()));
      assertEquals("ok", health.getJsonObject("data").getString("status"));

      // Other accounts do not reach the system account: no responders.
      var f = app.request("$SYS.REQ.SERVER.PING", new byte[0]);
      assertThrows(CancellationException.class, () -> f.get(5, TimeUnit.SECONDS));
    }
  }
}
