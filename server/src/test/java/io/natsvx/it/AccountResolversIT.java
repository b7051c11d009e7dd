package io.natsvx.it;

import static io.natsvx.jwt.TestTokens.claims;
import static io.natsvx.jwt.TestTokens.pub;
import static io.natsvx.jwt.TestTokens.sign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.NKey;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.natsvx.config.OptionsReader;
import io.natsvx.jwt.TestTokens;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operator mode with the directory resolvers (full and cache) and the URL resolver, each a
 * bundled plugin loaded from the server's jar: accounts pushed, looked up, listed and deleted at
 * run time through the system account, checked against nats-server where it is installed.
 */
class AccountResolversIT {

  @TempDir
  Path dir;

  private NKey operator;
  private NKey sys;
  private NKey a;
  private NKey b;
  private Path opFile;
  private String sysJwt;
  private String aJwt;
  private String bJwt;
  private Path sysUser;
  private Path alice;
  private Path bert;
  private Path stranger;

  @BeforeEach
  void tokens() throws Exception {
    operator = TestTokens.operatorKey();
    sys = TestTokens.accountKey();
    a = TestTokens.accountKey();
    b = TestTokens.accountKey();
    NKey c = TestTokens.accountKey();
    opFile = Files.writeString(dir.resolve("operator.jwt"),
        TestTokens.decorated("OPERATOR", TestTokens.operatorJwt(operator, pub(sys))));
    sysJwt = sign(operator, claims(operator, pub(sys), "account"));
    aJwt = sign(operator, claims(operator, pub(a), "account"));
    bJwt = sign(operator, claims(operator, pub(b), "account"));
    sysUser = creds("sys", sys);
    alice = creds("alice", a);
    bert = creds("bert", b);
    stranger = creds("stranger", c);
  }

  private Path creds(String name, NKey account) throws Exception {
    return TestTokens.userCreds(dir.resolve(name + ".creds"), account, account, TestTokens.userKey(), new JsonObject(), 0);
  }

  private Path conf(String name, String resolver, boolean preloadSys) throws Exception {
    return Files.writeString(dir.resolve(name + ".conf"), "operator: \"" + opFile + "\"\n"
        + "resolver: " + resolver + "\n"
        + (preloadSys ? "resolver_preload: { " + pub(sys) + ": " + sysJwt + " }\n" : ""));
  }

  private static Connection connect(String url, Path creds) throws Exception {
    return Nats.connect(Options.builder().server(url).authHandler(Nats.credentials(creds.toString()))
        .connectionTimeout(Duration.ofSeconds(5)).maxReconnects(0).build());
  }

  private static JsonObject request(Connection c, String subject, String body) throws Exception {
    Message m = c.request(subject, body.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
    return new JsonObject(new String(m.getData(), StandardCharsets.UTF_8));
  }

  private static TestServer natsvx(Path conf) throws Exception {
    var loaded = OptionsReader.load(conf).options().toBuilder();
    return TestServer.start(x -> loaded.port(0).host("127.0.0.1").logtime(false));
  }

  private static int port(String url) {
    return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
  }

  /** A user of the account gets in and can talk to itself. */
  private static void works(String url, Path creds) throws Exception {
    try (Connection c = connect(url, creds)) {
      Subscription s = c.subscribe("hello");
      c.publish("hello", "there".getBytes(StandardCharsets.UTF_8));
      assertEquals("there", new String(s.nextMessage(Duration.ofSeconds(5)).getData(), StandardCharsets.UTF_8), url);
    }
  }

  private static void refused(String url, Path creds) throws Exception {
    try (RawClient c = new RawClient(port(url))) {
      c.send(RawClient.signedConnect(c.readLine(), creds));
      c.expect("-ERR 'Authorization Violation'");
      assertTrue(c.isClosedByServer(5000), creds.getFileName() + " on " + url);
    }
  }

  @Test
  void fullDirectoryResolverKeepsPushedAccountsAndAnswersLookupsListsAndDeletes() throws Exception {
    Path jwt = dir.resolve("jwt-natsvx");
    Path conf = conf("full", "{ type: full, dir: \"" + jwt + "\", allow_delete: true, interval: \"2m\" }", true);
    try (TestServer natsvx = natsvx(conf)) {
      checkFull(natsvx.url(), jwt, true);
    }
    try (TestServer again = natsvx(conf)) {
      works(again.url(), bert);
      refused(again.url(), alice);
    }
    if (NatsServerProcess.available()) {
      Path refJwt = dir.resolve("jwt-reference");
      try (NatsServerProcess reference = NatsServerProcess.start("-c",
          conf("full-ref", "{ type: full, dir: \"" + refJwt + "\", allow_delete: true, interval: \"2m\" }", true)
              .toString())) {
        checkFull("nats://127.0.0.1:" + reference.port(), refJwt, false);
      }
    }
  }

  private void checkFull(String url, Path jwt, boolean natsvx) throws Exception {
    refused(url, alice);
    try (Connection s = connect(url, sysUser)) {
      assertEquals(new JsonObject().put("account", pub(a)).put("code", 200).put("message", "jwt updated"),
          request(s, "$SYS.REQ.CLAIMS.UPDATE", aJwt).getJsonObject("data"), url);
      assertEquals(new JsonObject().put("account", pub(b)).put("code", 200).put("message", "jwt updated"),
          request(s, "$SYS.REQ.ACCOUNT." + pub(b) + ".CLAIMS.UPDATE", bJwt).getJsonObject("data"), url);
      assertEquals(aJwt, Files.readString(jwt.resolve(pub(a) + ".jwt")), "kept as nats-server keeps it, on " + url);
      works(url, alice);
      works(url, bert);

      Message lookup = s.request("$SYS.REQ.ACCOUNT." + pub(a) + ".CLAIMS.LOOKUP", new byte[0], Duration.ofSeconds(5));
      assertEquals(aJwt, new String(lookup.getData(), StandardCharsets.UTF_8), url);
      if (natsvx) {
        // as nats-server since 2.10 answers (2.9 stays silent)
        Message none = s.request("$SYS.REQ.ACCOUNT." + pub(TestTokens.accountKey()) + ".CLAIMS.LOOKUP", new byte[0],
            Duration.ofSeconds(5));
        assertEquals(0, none.getData().length, "an unknown account is an empty answer");
      }
      JsonArray listed = request(s, "$SYS.REQ.CLAIMS.LIST", "").getJsonArray("data");
      assertEquals(3, listed.size(), url + " " + listed);
      assertTrue(listed.getList().containsAll(List.of(pub(sys), pub(a), pub(b))), url + " " + listed);

      JsonObject badToken = request(s, "$SYS.REQ.ACCOUNT." + pub(a) + ".CLAIMS.UPDATE", bJwt).getJsonObject("error");
      assertEquals("jwt update resulted in error - subject does not match jwt content", badToken.getString("description"));

      RawClient connected = new RawClient(port(url));
      connected.send(RawClient.signedConnect(connected.readLine(), alice)).expect("PONG");
      JsonObject deleteSys = request(s, "$SYS.REQ.CLAIMS.DELETE", deleteRequest(pub(sys))).getJsonObject("error");
      assertEquals(new JsonObject().put("code", 500).put("description", "delete accounts request by " + pub(operator)
          + " failed - not allowed to delete system account"), deleteSys, url);
      assertEquals(new JsonObject().put("code", 200).put("message", "deleted 1 accounts"),
          request(s, "$SYS.REQ.CLAIMS.DELETE", deleteRequest(pub(a))).getJsonObject("data"), url);
      try (RawClient c = connected) {
        c.expect("-ERR 'Account Authentication Expired'");
        assertTrue(c.isClosedByServer(5000), "the deleted account's client is closed on " + url);
      }
      assertFalse(Files.exists(jwt.resolve(pub(a) + ".jwt")), url);
      assertTrue(Files.exists(jwt.resolve(pub(a) + ".jwt.deleted")), "allow_delete without hard_delete renames, on " + url);
      refused(url, alice);
    }
  }

  /**
   * A full resolver asks the system account for packs every interval (with its hash) and keeps
   * the newer tokens another server sends: here a client plays that server.
   */
  @Test
  void fullDirectoryResolverTakesTokensFromPacks() throws Exception {
    Path jwt = dir.resolve("jwt-sync");
    try (TestServer natsvx = natsvx(conf("sync", "{ type: full, dir: \"" + jwt + "\", interval: \"1s\" }", true));
         Connection s = connect(natsvx.url(), sysUser)) {
      java.util.concurrent.LinkedBlockingQueue<Integer> hashLengths = new java.util.concurrent.LinkedBlockingQueue<>();
      byte[] pack = (pub(b) + "|" + bJwt).getBytes(StandardCharsets.UTF_8);
      s.createDispatcher(m -> {
        hashLengths.add(m.getData().length);
        s.publish(m.getReplyTo(), pack);
        s.publish(m.getReplyTo(), new byte[0]);
      }).subscribe("$SYS.REQ.CLAIMS.PACK", "responder");
      s.flush(Duration.ofSeconds(5));
      assertEquals(32, hashLengths.poll(10, TimeUnit.SECONDS), "a pack request carries the store's hash");
      Path kept = jwt.resolve(pub(b) + ".jwt");
      Await.until("the pack's token in the directory", () -> Files.exists(kept));
      assertEquals(bJwt, Files.readString(kept), "the pack's token is kept");
      works(natsvx.url(), bert);
    }
  }

  /** What nsc sends to delete accounts: a request the operator signs for itself. */
  private String deleteRequest(String... accounts) throws Exception {
    JsonObject c = claims(operator, pub(operator), "generic");
    c.getJsonObject("nats").put("accounts", new JsonArray(List.of((Object[]) accounts)));
    return sign(operator, c);
  }

  @Test
  void cacheDirectoryResolverAsksTheSystemAccountForWhatItLacks() throws Exception {
    Path jwt = dir.resolve("cache-natsvx");
    try (TestServer natsvx = natsvx(conf("cache", "{ type: cache, dir: \"" + jwt + "\", timeout: \"1s\" }", true))) {
      checkCache(natsvx.url(), jwt);
    }
    if (NatsServerProcess.available()) {
      Path refJwt = dir.resolve("cache-reference");
      try (NatsServerProcess reference = NatsServerProcess.start("-c",
          conf("cache-ref", "{ type: cache, dir: \"" + refJwt + "\", timeout: \"1s\" }", true).toString())) {
        checkCache("nats://127.0.0.1:" + reference.port(), refJwt);
      }
    }
  }

  private void checkCache(String url, Path jwt) throws Exception {
    Map<String, String> served = Map.of(pub(a), aJwt);
    try (Connection s = connect(url, sysUser)) {
      Dispatcher accountServer = s.createDispatcher(m -> {
        String key = m.getSubject().split("\\.")[3];
        if (served.containsKey(key)) {
          s.publish(m.getReplyTo(), served.get(key).getBytes(StandardCharsets.UTF_8));
        }
      });
      accountServer.subscribe("$SYS.REQ.ACCOUNT.*.CLAIMS.LOOKUP");
      s.flush(Duration.ofSeconds(5));

      works(url, alice);
      assertEquals(aJwt, Files.readString(jwt.resolve(pub(a) + ".jwt")), "the looked-up token is cached, on " + url);
      refused(url, bert);
      assertEquals(new JsonObject().put("account", pub(b)).put("code", 200).put("message", "jwt update cache skipped"),
          request(s, "$SYS.REQ.ACCOUNT." + pub(b) + ".CLAIMS.UPDATE", bJwt).getJsonObject("data"), url);
      String newer = sign(operator, claims(operator, pub(a), "account"));
      assertEquals(new JsonObject().put("account", pub(a)).put("code", 200).put("message", "jwt updated cache"),
          request(s, "$SYS.REQ.ACCOUNT." + pub(a) + ".CLAIMS.UPDATE", newer).getJsonObject("data"), url);
      assertEquals(newer, Files.readString(jwt.resolve(pub(a) + ".jwt")), url);
    }
  }

  @Test
  void urlResolverFetchesAccountsOverHttp() throws Exception {
    Vertx vertx = Vertx.vertx();
    Map<String, Integer> asked = new ConcurrentHashMap<>();
    Map<String, String> tokens = Map.of(pub(sys), sysJwt, pub(a), aJwt);
    try {
      HttpServer http = vertx.createHttpServer().requestHandler(req -> {
        String key = req.path().substring(req.path().lastIndexOf('/') + 1);
        asked.merge(key, 1, Integer::sum);
        // the base answers too: both servers ask it at start to see that someone is home
        String token = req.path().equals("/jwt/v1/accounts/") ? ""
            : req.path().startsWith("/jwt/v1/accounts/") ? tokens.get(key) : null;
        req.response().setStatusCode(token == null ? 404 : 200).end(token == null ? "" : token);
      }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      Path conf = conf("url", "URL(\"http://127.0.0.1:" + http.actualPort() + "/jwt/v1/accounts/\")", false);
      try (TestServer natsvx = natsvx(conf)) {
        checkUrl(natsvx.url(), asked);
      }
      if (NatsServerProcess.available()) {
        asked.clear();
        try (NatsServerProcess reference = NatsServerProcess.start("-c", conf.toString())) {
          checkUrl("nats://127.0.0.1:" + reference.port(), asked);
        }
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void urlResolverWithNobodyHomeStopsTheStart() throws Exception {
    Path conf = conf("gone", "URL(\"http://127.0.0.1:" + NatsServerProcess.freePort() + "/jwt/v1/accounts/\")", false);
    var loaded = OptionsReader.load(conf).options().toBuilder().port(0).host("127.0.0.1").logtime(false).build();
    Vertx vertx = Vertx.vertx();
    try {
      Throwable e = vertx.deployVerticle(new io.natsvx.NatsServerVerticle(loaded)).toCompletionStage()
          .toCompletableFuture().handle((id, err) -> err).get(10, TimeUnit.SECONDS);
      assertTrue(e != null && e.getMessage().contains("could not fetch <\"http://127.0.0.1:"), String.valueOf(e));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** A resolver of one's own, from plugins_dir: tokens from its config block, updates kept in memory. */
  @Test
  void resolverPluginFromPluginsDir() throws Exception {
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    PluginJars.build(dir, "static.jar", Map.of("p.res.Static", """
        package p.res;
        import io.natsvx.plugin.api.*;
        import io.vertx.core.Future;
        import java.util.Map;
        import java.util.concurrent.ConcurrentHashMap;
        public class Static implements AccountResolver {
          private final Map<String, String> tokens = new ConcurrentHashMap<>();
          public String id() { return "static-accounts"; }
          public Future<Void> start(PluginContext ctx) {
            ctx.config().getJsonObject("accounts").forEach(e -> tokens.put(e.getKey(), (String) e.getValue()));
            return Future.succeededFuture();
          }
          public Future<String> fetch(String key) {
            String t = tokens.get(key);
            return t == null ? Future.failedFuture("unknown") : Future.succeededFuture(t);
          }
          public Future<Void> store(String key, String jwt) { tokens.put(key, jwt); return Future.succeededFuture(); }
          public boolean readOnly() { return false; }
        }
        """), List.of("p.res.Static"));
    Files.move(dir.resolve("static.jar"), plugins.resolve("static.jar"));
    Path conf = Files.writeString(dir.resolve("plugin.conf"), "operator: \"" + opFile + "\"\n"
        + "plugins_dir: \"" + plugins + "\"\n"
        + "plugins { static-accounts { accounts { " + pub(sys) + ": " + sysJwt + ", " + pub(a) + ": " + aJwt + " } } }\n"
        + "resolver { type: plugin, plugin: static-accounts }\n");
    try (TestServer natsvx = natsvx(conf)) {
      works(natsvx.url(), alice);
      refused(natsvx.url(), bert);
      try (Connection s = connect(natsvx.url(), sysUser)) {
        String newer = sign(operator, claims(operator, pub(a), "account"));
        assertEquals("jwt updated", request(s, "$SYS.REQ.ACCOUNT." + pub(a) + ".CLAIMS.UPDATE", newer)
            .getJsonObject("data").getString("message"));
      }
      works(natsvx.url(), alice);
    }
  }

  private void checkUrl(String url, Map<String, Integer> asked) throws Exception {
    works(url, alice);
    assertTrue(asked.containsKey(pub(a)), "the account was fetched over HTTP from " + url + ": " + asked);
    refused(url, bert);
    assertTrue(asked.containsKey(pub(b)), url + ": " + asked);
    works(url, sysUser);
  }
}
