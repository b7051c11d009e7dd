package io.natsvx.it;

import static io.natsvx.jwt.TestTokens.claims;
import static io.natsvx.jwt.TestTokens.pub;
import static io.natsvx.jwt.TestTokens.sign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.NKey;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.natsvx.config.OptionsReader;
import io.natsvx.jwt.TestTokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The auth callout in operator mode: the AUTH account's token names its callout users and the
 * accounts it may place users in; clients connect with AUTH's sentinel credentials plus their
 * own user and password, and the service (jnats, an AUTH user) answers with user tokens signed
 * by the target account.
 */
class OperatorCalloutIT {

  @TempDir
  Path dir;

  @Test
  void theAccountsCalloutPlacesUsersInAllowedAccounts() throws Exception {
    NKey operator = TestTokens.operatorKey();
    NKey sys = TestTokens.accountKey();
    NKey auth = TestTokens.accountKey();
    NKey app = TestTokens.accountKey();
    NKey other = TestTokens.accountKey();
    NKey serviceUser = TestTokens.userKey();
    Path opFile = Files.writeString(dir.resolve("op.jwt"), TestTokens.decorated("OPERATOR",
        TestTokens.operatorJwt(operator, pub(sys))));
    JsonObject authClaims = claims(operator, pub(auth), "account");
    authClaims.getJsonObject("nats").put("authorization", new JsonObject()
        .put("auth_users", new JsonArray().add(pub(serviceUser)))
        .put("allowed_accounts", new JsonArray().add(pub(app))));
    Path conf = Files.writeString(dir.resolve("op.conf"), "operator: \"" + opFile + "\"\nresolver: MEMORY\n"
        + "resolver_preload {\n"
        + "  " + pub(sys) + ": " + sign(operator, claims(operator, pub(sys), "account")) + "\n"
        + "  " + pub(auth) + ": " + sign(operator, authClaims) + "\n"
        + "  " + pub(app) + ": " + sign(operator, claims(operator, pub(app), "account")) + "\n"
        + "  " + pub(other) + ": " + sign(operator, claims(operator, pub(other), "account")) + "\n"
        + "}\n");
    Path serviceCreds = TestTokens.userCreds(dir.resolve("service.creds"), auth, auth, serviceUser, new JsonObject(), 0);
    Path sentinel = TestTokens.userCreds(dir.resolve("sentinel.creds"), auth, auth, TestTokens.userKey(),
        new JsonObject().put("bearer_token", true), 0);
    Path bob = TestTokens.userCreds(dir.resolve("bob.creds"), app, app, TestTokens.userKey(), new JsonObject(), 0);

    var loaded = OptionsReader.load(conf).options().toBuilder();
    try (TestServer server = TestServer.start(b -> loaded.port(0).host("127.0.0.1").logtime(false));
         Connection service = connect(server.url(), serviceCreds, null, null)) {
      service.createDispatcher(m -> {
        try {
          String[] parts = new String(m.getData(), StandardCharsets.UTF_8).split("\\.");
          JsonObject request = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
          JsonObject nats = request.getJsonObject("nats");
          String userNkey = nats.getString("user_nkey");
          String user = nats.getJsonObject("connect_opts").getString("user", "");
          JsonObject response = claims(auth, userNkey, "authorization_response")
              .put("aud", nats.getJsonObject("server_id").getString("id"));
          NKey target = user.equals("alice") ? app : user.equals("olga") ? other : null;
          if (target == null) {
            response.getJsonObject("nats").put("error", "no such user");
          } else {
            response.getJsonObject("nats").put("jwt", sign(target, claims(target, userNkey, "user").put("name", user)));
          }
          service.publish(m.getReplyTo(), sign(auth, response).getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }).subscribe("$SYS.REQ.USER.AUTH");
      service.flush(Duration.ofSeconds(5));

      try (Connection alice = connect(server.url(), sentinel, "alice", "secret");
           Connection b = connect(server.url(), bob, null, null)) {
        Subscription s = b.subscribe("app.hello");
        b.flush(Duration.ofSeconds(5));
        alice.publish("app.hello", "from alice".getBytes(StandardCharsets.UTF_8));
        assertEquals("from alice", new String(s.nextMessage(Duration.ofSeconds(5)).getData(), StandardCharsets.UTF_8),
            "alice landed in APP, bob's account");
      }
      for (String refused : new String[] {"olga", "mallory"}) {
        try (RawClient c = new RawClient(server.port())) {
          String info = c.readLine();
          String connect = RawClient.signedConnect(info, sentinel);
          c.send(connect.replace("\"verbose\":false", "\"verbose\":false,\"user\":\"" + refused + "\",\"pass\":\"x\""));
          c.expect("-ERR 'Authorization Violation'");
          assertTrue(c.isClosedByServer(5000), refused);
        }
      }
      try (RawClient c = new RawClient(server.port())) {
        c.send(RawClient.signedConnect(c.readLine(), serviceCreds)).expect("PONG");
        c.send("PUB $SYS.REQ.USER.AUTH 1\r\nx\r\n")
            .expect("-ERR 'Permissions Violation for Publish to \"\\$SYS.REQ.USER.AUTH\"'");
      }
    }
  }

  private static Connection connect(String url, Path creds, String user, String pass) throws Exception {
    Options.Builder o = Options.builder().server(url).authHandler(Nats.credentials(creds.toString()))
        .connectionTimeout(Duration.ofSeconds(5)).maxReconnects(0);
    if (user != null) {
      o.userInfo(user, pass);
    }
    return Nats.connect(o.build());
  }
}
