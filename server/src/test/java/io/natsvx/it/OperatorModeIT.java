package io.natsvx.it;

import static io.natsvx.jwt.TestTokens.claims;
import static io.natsvx.jwt.TestTokens.pub;
import static io.natsvx.jwt.TestTokens.sign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.AuthHandler;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.NKey;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.natsvx.config.OptionsReader;
import io.natsvx.config.ServerOptions;
import io.natsvx.jwt.TestTokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JWT operator mode with the MEMORY resolver: an operator file, preloaded account tokens and
 * users connecting with unchanged jnats from .creds files, checked against nats-server too.
 */
class OperatorModeIT {

  @TempDir
  Path dir;

  private Path conf;
  private Path alice;
  private Path bob;
  private Path limited;
  private Path revoked;
  private Path forged;
  private Path stranger;
  private Path small;
  private Path fromHere;
  private Path fromElsewhere;
  private Path standardOnly;
  private Path websocketOnly;
  private NKey accountA;
  private NKey operatorKey;
  private JsonObject accountAClaims;
  private Path sysUser;

  @BeforeEach
  void tokens() throws Exception {
    NKey operator = TestTokens.operatorKey();
    NKey sys = TestTokens.accountKey();
    NKey a = TestTokens.accountKey();
    NKey aSigner = TestTokens.accountKey();
    NKey b = TestTokens.accountKey();
    NKey unknown = TestTokens.accountKey();
    NKey revokedUser = TestTokens.userKey();

    JsonObject op = claims(operator, pub(operator), "operator");
    op.getJsonObject("nats").put("system_account", pub(sys));
    Path opFile = dir.resolve("operator.jwt");
    Files.writeString(opFile, TestTokens.decorated("OPERATOR", sign(operator, op)));

    JsonObject aClaims = claims(operator, pub(a), "account");
    aClaims.getJsonObject("nats")
        .put("signing_keys", new JsonArray().add(pub(aSigner)))
        .put("revocations", new JsonObject().put(pub(revokedUser), System.currentTimeMillis() / 1000 + 60))
        .put("exports", new JsonArray()
            .add(new JsonObject().put("subject", "ticks.>").put("type", "stream"))
            .add(new JsonObject().put("subject", "help").put("type", "service")));
    String aJwt = sign(operator, aClaims);
    JsonObject bClaims = claims(operator, pub(b), "account");
    bClaims.getJsonObject("nats").put("imports", new JsonArray()
        .add(new JsonObject().put("subject", "ticks.>").put("type", "stream").put("account", pub(a)))
        .add(new JsonObject().put("subject", "help").put("type", "service").put("account", pub(a))));
    String bJwt = sign(operator, bClaims);
    String sysJwt = sign(operator, claims(operator, pub(sys), "account"));

    alice = creds("alice", aSigner, a, TestTokens.userKey(), new JsonObject());
    bob = creds("bob", b, b, TestTokens.userKey(), new JsonObject());
    limited = creds("limited", a, a, TestTokens.userKey(), new JsonObject()
        .put("pub", new JsonObject().put("allow", new JsonArray().add("orders.>")))
        .put("sub", new JsonObject().put("allow", new JsonArray().add("_INBOX.>"))));
    revoked = creds("revoked", a, a, revokedUser, new JsonObject());
    forged = creds("forged", TestTokens.accountKey(), a, TestTokens.userKey(), new JsonObject());
    stranger = creds("stranger", unknown, unknown, TestTokens.userKey(), new JsonObject());
    small = creds("small", a, a, TestTokens.userKey(), new JsonObject().put("subs", 1).put("payload", 8));
    fromHere = creds("here", a, a, TestTokens.userKey(), new JsonObject().put("src", new JsonArray().add("127.0.0.0/8")));
    fromElsewhere = creds("elsewhere", a, a, TestTokens.userKey(),
        new JsonObject().put("src", new JsonArray().add("10.1.2.0/24")));
    standardOnly = creds("standard", a, a, TestTokens.userKey(),
        new JsonObject().put("allowed_connection_types", new JsonArray().add("STANDARD")));
    websocketOnly = creds("websocket", a, a, TestTokens.userKey(),
        new JsonObject().put("allowed_connection_types", new JsonArray().add("WEBSOCKET")));
    accountA = a;
    operatorKey = operator;
    accountAClaims = aClaims;
    sysUser = creds("sys", sys, sys, TestTokens.userKey(), new JsonObject());

    conf = dir.resolve("operator.conf");
    Files.writeString(conf, "operator: " + opFile + "\n"
        + "resolver: MEMORY\n"
        + "resolver_preload: {\n"
        + "  " + pub(a) + ": " + aJwt + "\n"
        + "  " + pub(b) + ": " + bJwt + "\n"
        + "  " + pub(sys) + ": " + sysJwt + "\n"
        + "}\n");
  }

  private Path creds(String name, NKey signer, NKey account, NKey user, JsonObject nats) throws Exception {
    return creds(name, signer, account, user, nats, 0);
  }

  private Path creds(String name, NKey signer, NKey account, NKey user, JsonObject nats, long exp) throws Exception {
    return TestTokens.userCreds(dir.resolve(name + ".creds"), signer, account, user, nats, exp);
  }

  private static Connection connect(String url, Path creds, ErrorListener errors) throws Exception {
    Options.Builder o = Options.builder().server(url).authHandler(Nats.credentials(creds.toString()))
        .connectionTimeout(Duration.ofSeconds(5)).maxReconnects(0);
    if (errors != null) {
      o.errorListener(errors);
    }
    return Nats.connect(o.build());
  }

  @Test
  void usersOfPreloadedAccountsConnectWithCredsAndStayApart() throws Exception {
    var loaded = OptionsReader.load(conf).options().toBuilder();
    try (TestServer natsvx = TestServer.start(b -> loaded.port(0).host("127.0.0.1").logtime(false))) {
      checkBehaviour(natsvx.url());
    }
    if (NatsServerProcess.available()) {
      try (NatsServerProcess reference = NatsServerProcess.start("-c", conf.toString())) {
        checkBehaviour("nats://127.0.0.1:" + reference.port());
      }
    }
  }

  /** Messages of account A both ways between a client of the hub and one of the leaf, both with alice's creds. */
  private void leafExchange(String hubUrl, String leafUrl) throws Exception {
    try (Connection onHub = connect(hubUrl, alice, null); Connection onLeaf = connect(leafUrl, alice, null)) {
      Connection[] ends = {onHub, onLeaf};
      for (int f = 0; f < 2; f++) {
        Connection pub = ends[f];
        Connection recv = ends[1 - f];
        Subscription sub = recv.subscribe("across." + f);
        recv.flush(Duration.ofSeconds(5));
        LeafNodeIT.awaitFlow(pub, sub, "across." + f);
        pub.publish("across." + f, "in A".getBytes(StandardCharsets.UTF_8));
        pub.flush(Duration.ofSeconds(5));
        assertEquals("in A", new String(sub.nextMessage(Duration.ofSeconds(5)).getData(), StandardCharsets.UTF_8));
      }
    }
  }

  /** The operator config plus a leafnodes block (and, for nats-server, the system account's own line). */
  private Path withLeafnodes(String name, String block) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, Files.readString(conf) + "server_name: " + name.replace(".conf", "") + "\nleafnodes " + block
        + "\n");
    return f;
  }

  @Test
  void leafNodesInOperatorModeBindAccountsOnBothSidesWithCredentials() throws Exception {
    String remote = "{ remotes [{ url: \"nats-leaf://127.0.0.1:%d\", credentials: \"" + alice + "\", account: "
        + pub(accountA) + " }] }";
    // a natsvx leaf on a natsvx hub, both resolving the operator's accounts
    int hubLeafPort = NatsServerProcess.freePort();
    var hubOptions = OptionsReader.load(withLeafnodes("hub.conf", "{ listen: \"127.0.0.1:" + hubLeafPort + "\" }"))
        .options().toBuilder();
    var leafOptions = OptionsReader.load(withLeafnodes("leaf.conf", String.format(remote, hubLeafPort))).options()
        .toBuilder();
    try (TestServer hub = TestServer.start(b -> hubOptions.port(0).host("127.0.0.1").logtime(false));
         TestServer leaf = TestServer.start(b -> leafOptions.port(0).host("127.0.0.1").logtime(false))) {
      LeafNodeIT.awaitLeafs(hub, 1);
      LeafNodeIT.awaitLeafs(leaf, 1);
      leafExchange(hub.url(), leaf.url());
    }
    if (!NatsServerProcess.available()) {
      return;
    }
    // a natsvx leaf on a nats-server hub
    int refLeafPort = NatsServerProcess.freePort();
    var onReference = OptionsReader.load(withLeafnodes("leaf2.conf", String.format(remote, refLeafPort))).options()
        .toBuilder();
    try (NatsServerProcess hub = NatsServerProcess.start("-c",
            withLeafnodes("refhub.conf", "{ listen: \"127.0.0.1:" + refLeafPort + "\" }").toString());
         TestServer leaf = TestServer.start(b -> onReference.port(0).host("127.0.0.1").logtime(false))) {
      LeafNodeIT.awaitLeafs(leaf, 1);
      leafExchange("nats://127.0.0.1:" + hub.port(), leaf.url());
    }
    // a nats-server leaf on a natsvx hub
    int ourLeafPort = NatsServerProcess.freePort();
    var ourHub = OptionsReader.load(withLeafnodes("hub3.conf", "{ listen: \"127.0.0.1:" + ourLeafPort + "\" }"))
        .options().toBuilder();
    try (TestServer hub = TestServer.start(b -> ourHub.port(0).host("127.0.0.1").logtime(false));
         NatsServerProcess leaf = NatsServerProcess.start("-c",
             withLeafnodes("refleaf.conf", String.format(remote, ourLeafPort)).toString())) {
      LeafNodeIT.awaitLeafs(hub, 1);
      leafExchange(hub.url(), "nats://127.0.0.1:" + leaf.port());
    }
  }

  @Test
  void gatewaysInOperatorModeResolveTheAccountsTheyHearOf() throws Exception {
    int gwA = NatsServerProcess.freePort();
    int gwB = NatsServerProcess.freePort();
    java.util.function.BiFunction<String, String, Path> conf2 = (name, block) -> {
      try {
        Path f = dir.resolve(name + ".conf");
        Files.writeString(f, Files.readString(conf) + "server_name: " + name + "\ngateway " + block + "\n");
        return f;
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    };
    var aOptions = OptionsReader.load(conf2.apply("a", "{ name: A, listen: \"127.0.0.1:" + gwA
        + "\", gateways: [{name: B, url: \"nats://127.0.0.1:" + gwB + "\"}] }")).options().toBuilder();
    var bOptions = OptionsReader.load(conf2.apply("b", "{ name: B, listen: \"127.0.0.1:" + gwB
        + "\", gateways: [{name: A, url: \"nats://127.0.0.1:" + gwA + "\"}] }")).options().toBuilder();
    try (TestServer a = TestServer.start(x -> aOptions.port(0).host("127.0.0.1").logtime(false));
         TestServer b = TestServer.start(x -> bOptions.port(0).host("127.0.0.1").logtime(false))) {
      GatewayIT.awaitGateways(a, 1);
      GatewayIT.awaitGateways(b, 1);
      // Only B has a client of account A when its interest crosses: A fetches the account then.
      try (Connection onB = connect(b.url(), alice, null)) {
        Subscription sub = onB.subscribe("across");
        onB.flush(Duration.ofSeconds(5));
        Await.until("A has account A", () -> a.verticle.server().accounts().get(pub(accountA)) != null);
        try (Connection onA = connect(a.url(), alice, null)) {
          LeafNodeIT.awaitFlow(onA, sub, "across");
          onA.publish("across", "in A".getBytes(StandardCharsets.UTF_8));
          onA.flush(Duration.ofSeconds(5));
          assertEquals("in A", new String(sub.nextMessage(Duration.ofSeconds(5)).getData(), StandardCharsets.UTF_8));
        }
      }
    }
  }

  /** A reload re-checks connected clients: token users stay, with their account. */
  @Test
  void reloadKeepsTokenUsersConnected() throws Exception {
    ServerOptions options = OptionsReader.load(conf).options().toBuilder().port(0).host("127.0.0.1").logtime(false).build();
    try (TestServer natsvx = TestServer.start(b -> options.toBuilder());
         Connection a1 = connect(natsvx.url(), alice, null);
         Connection b1 = connect(natsvx.url(), bob, null)) {
      Subscription inA = a1.subscribe("after.reload");
      a1.flush(Duration.ofSeconds(5));
      CompletableFuture<Void> done = new CompletableFuture<>();
      natsvx.vertx.runOnContext(v -> natsvx.verticle.reload(options).onComplete(ar -> done.complete(null)));
      done.get(10, TimeUnit.SECONDS);

      b1.publish("after.reload", new byte[0]);
      b1.flush(Duration.ofSeconds(5));
      a1.publish("after.reload", "still here".getBytes(StandardCharsets.UTF_8));
      a1.flush(Duration.ofSeconds(5));
      assertEquals("still here", new String(inA.nextMessage(Duration.ofSeconds(5)).getData(), StandardCharsets.UTF_8),
          "alice is still connected, in her account, after the reload");
      assertEquals(Connection.Status.CONNECTED, b1.getStatus());
    }
  }

  /** conf/operator: its tokens load (in memory, or into a directory) and its demo user gets in, on demo.> only. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"operator.conf", "operator-dir.conf"})
  void theExamplesWork(String file) throws Exception {
    Path example = Path.of("").toAbsolutePath();
    while (!Files.isDirectory(example.resolve("conf/operator"))) {
      example = example.getParent();
    }
    Path dirOfExample = example.resolve("conf/operator");
    // nats-server reads the operator path from the working directory: point it at the file,
    // and keep the directory resolver's files out of the checkout
    Path copy = dir.resolve("example.conf");
    Files.writeString(copy, Files.readString(dirOfExample.resolve(file))
        .replace("operator: conf/operator/operator.jwt", "operator: " + dirOfExample.resolve("operator.jwt"))
        .replace("dir: \"./jwt\"", "dir: \"" + dir.resolve("jwt") + "\"")
        .replace("port: 4222", ""));
    Path demo = dirOfExample.resolve("demo.creds");
    var loaded = OptionsReader.load(copy).options().toBuilder();
    try (TestServer natsvx = TestServer.start(b -> loaded.port(0).host("127.0.0.1").logtime(false))) {
      checkDemoUser(natsvx.url(), demo);
    }
    if (file.equals("operator-dir.conf")) {
      try (var files = Files.list(dir.resolve("jwt"))) {
        assertEquals(2, files.filter(f -> f.toString().endsWith(".jwt")).count(), "the preloaded accounts are files");
      }
    }
    if (NatsServerProcess.available()) {
      try (NatsServerProcess reference = NatsServerProcess.start("-c", copy.toString())) {
        checkDemoUser("nats://127.0.0.1:" + reference.port(), demo);
      }
    }
  }

  private static void checkDemoUser(String url, Path creds) throws Exception {
    LinkedBlockingQueue<String> errors = new LinkedBlockingQueue<>();
    try (Connection c = connect(url, creds, new ErrorListener() {
      @Override
      public void errorOccurred(Connection conn, String error) {
        errors.add(error);
      }
    })) {
      c.createDispatcher(m -> c.publish(m.getReplyTo(), m.getData())).subscribe("demo.echo");
      c.flush(Duration.ofSeconds(5));
      Message reply = c.request("demo.echo", "ping".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
      assertEquals("ping", new String(reply.getData(), StandardCharsets.UTF_8), url);
      c.publish("elsewhere", new byte[0]);
      assertEquals("Permissions Violation for Publish to \"elsewhere\"", errors.poll(5, TimeUnit.SECONDS), url);
    }
  }

  private void checkBehaviour(String url) throws Exception {
    try (Connection a1 = connect(url, alice, null);
         Connection a2 = connect(url, alice, null);
         Connection b1 = connect(url, bob, null)) {
      Subscription inA = a2.subscribe("greet");
      Subscription inB = b1.subscribe("greet");
      a2.flush(Duration.ofSeconds(5));
      b1.flush(Duration.ofSeconds(5));
      a1.publish("greet", "hi".getBytes(StandardCharsets.UTF_8));
      a1.flush(Duration.ofSeconds(5));
      Message m = inA.nextMessage(Duration.ofSeconds(5));
      assertEquals("hi", new String(m.getData(), StandardCharsets.UTF_8), url);
      b1.publish("greet", "other account".getBytes(StandardCharsets.UTF_8));
      b1.flush(Duration.ofSeconds(5));
      assertEquals("other account", new String(inB.nextMessage(Duration.ofSeconds(5)).getData(),
          StandardCharsets.UTF_8), url);
      assertNull(inA.nextMessage(Duration.ofMillis(200)), "account A must not see B's message on " + url);

      // B imports A's ticks stream and help service
      Subscription ticks = b1.subscribe("ticks.>");
      b1.flush(Duration.ofSeconds(5));
      a2.createDispatcher(req -> a2.publish(req.getReplyTo(), "A helps".getBytes(StandardCharsets.UTF_8))).subscribe("help");
      a2.flush(Duration.ofSeconds(5));
      a1.publish("ticks.1", "tick".getBytes(StandardCharsets.UTF_8));
      assertEquals("tick", new String(ticks.nextMessage(Duration.ofSeconds(5)).getData(), StandardCharsets.UTF_8), url);
      Message help = b1.request("help", new byte[0], Duration.ofSeconds(5));
      assertEquals("A helps", new String(help.getData(), StandardCharsets.UTF_8), url);
    }

    LinkedBlockingQueue<String> errors = new LinkedBlockingQueue<>();
    try (Connection l = connect(url, limited, new ErrorListener() {
      @Override
      public void errorOccurred(Connection conn, String error) {
        errors.add(error);
      }
    })) {
      l.publish("orders.new", new byte[0]);
      l.publish("billing", new byte[0]);
      l.flush(Duration.ofSeconds(5));
      String e = errors.poll(5, TimeUnit.SECONDS);
      assertEquals("Permissions Violation for Publish to \"billing\"", e, url);
    }

    try (RawClient c = new RawClient(port(url))) {
      c.send(RawClient.signedConnect(c.readLine(), small)).expect("PONG");
      c.send("SUB a 1\r\nSUB b 2\r\nPING\r\n");
      c.expect("-ERR 'maximum subscriptions exceeded'");
      c.expect("PONG");
      c.send("PUB a 8\r\n12345678\r\nPUB a 9\r\n123456789\r\n");
      c.expect("MSG a 1 8");
      c.expect("12345678");
      c.expect("-ERR 'Maximum Payload Violation'");
      assertTrue(c.isClosedByServer(5000), "payload above the user's limit on " + url);
    }

    // a token that expires while its client is connected
    long exp = System.currentTimeMillis() / 1000 + 2;
    Path briefCreds = creds("brief", accountA, accountA, TestTokens.userKey(), new JsonObject(), exp);
    try (RawClient c = new RawClient(port(url))) {
      c.send(RawClient.signedConnect(c.readLine(), briefCreds)).expect("PONG");
      c.expect("-ERR 'User Authentication Expired'");
      assertTrue(c.isClosedByServer(5000), "expired token on " + url);
      assertTrue(System.currentTimeMillis() / 1000 >= exp, "not before the token's exp");
    }

    // connect-time windows: outside one, no way in; inside, out when it ends
    java.time.ZonedDateTime utc = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC);
    java.time.format.DateTimeFormatter hms = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss");
    Path nightShift = creds("night", accountA, accountA, TestTokens.userKey(), new JsonObject()
        .put("times", new JsonArray().add(new JsonObject().put("start", utc.plusHours(2).format(hms))
            .put("end", utc.plusHours(3).format(hms))))
        .put("times_location", "UTC"));
    try (RawClient c = new RawClient(port(url))) {
      c.send(RawClient.signedConnect(c.readLine(), nightShift));
      c.expect("-ERR 'Authorization Violation'");
    }
    Path endingShift = creds("ending", accountA, accountA, TestTokens.userKey(), new JsonObject()
        // a window over midnight starts today for nats-server: this one starts at midnight at the earliest
        .put("times", new JsonArray().add(new JsonObject().put("start", utc.getHour() == 0 ? "00:00:00"
                : utc.minusHours(1).format(hms))
            .put("end", utc.plusSeconds(3).format(hms))))
        .put("times_location", "UTC"));
    try (RawClient c = new RawClient(port(url))) {
      c.send(RawClient.signedConnect(c.readLine(), endingShift)).expect("PONG");
      c.expect("-ERR 'User Authentication Expired'");
      assertTrue(c.isClosedByServer(5000), "the window ended on " + url);
    }

    // a claims update revoking a user takes effect for its next connection
    NKey lateKey = TestTokens.userKey();
    Path late = creds("late", accountA, accountA, lateKey, new JsonObject());
    connect(url, late, null).close();
    NKey victimKey = TestTokens.userKey();
    Path victim = creds("victim", accountA, accountA, victimKey, new JsonObject());
    RawClient connected = new RawClient(port(url));
    connected.send(RawClient.signedConnect(connected.readLine(), victim)).expect("PONG");
    JsonObject updated = accountAClaims.copy();
    updated.getJsonObject("nats").getJsonObject("revocations")
        .put(pub(lateKey), System.currentTimeMillis() / 1000 + 60)
        .put(pub(victimKey), System.currentTimeMillis() / 1000 + 60);
    try (Connection sys = connect(url, sysUser, null)) {
      Message answer = sys.request("$SYS.REQ.ACCOUNT." + pub(accountA) + ".CLAIMS.UPDATE",
          sign(operatorKey, updated).getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
      JsonObject data = new JsonObject(new String(answer.getData(), StandardCharsets.UTF_8)).getJsonObject("data");
      assertEquals(new JsonObject().put("account", pub(accountA)).put("code", 200).put("message", "jwt updated"),
          data, url);
      Message refusal = sys.request("$SYS.REQ.ACCOUNT." + pub(accountA) + ".CLAIMS.UPDATE",
          sign(operatorKey, claims(operatorKey, pub(TestTokens.accountKey()), "account")).getBytes(StandardCharsets.UTF_8),
          Duration.ofSeconds(5));
      JsonObject error = new JsonObject(new String(refusal.getData(), StandardCharsets.UTF_8)).getJsonObject("error");
      assertEquals(new JsonObject().put("account", pub(accountA)).put("code", 500)
          .put("description", "jwt update resulted in error - subject does not match jwt content"), error, url);
    }
    try (RawClient c = new RawClient(port(url))) {
      c.send(RawClient.signedConnect(c.readLine(), late));
      c.expect("-ERR 'Authorization Violation'");
    }
    try (RawClient c = connected) {
      c.expect("-ERR 'User Authentication Revoked'");
      assertTrue(c.isClosedByServer(5000), "a connected client the update revokes is closed on " + url);
    }

    for (Path allowed : new Path[] {fromHere, standardOnly}) {
      connect(url, allowed, null).close();
    }

    for (Path refused : new Path[] {revoked, forged, stranger, fromElsewhere, websocketOnly}) {
      try (RawClient c = new RawClient(port(url))) {
        c.send(RawClient.signedConnect(c.readLine(), refused));
        c.expect("-ERR 'Authorization Violation'");
        assertTrue(c.isClosedByServer(5000), refused.getFileName() + " on " + url);
      }
    }
  }

  private static int port(String url) {
    return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
  }
}
