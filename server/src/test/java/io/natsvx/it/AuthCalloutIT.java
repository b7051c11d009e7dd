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
import io.natsvx.internal.CurveKeys;
import io.natsvx.jwt.TestTokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;

/**
 * nats-server 2.10's auth callout in config mode: a jnats service in the AUTH account answers
 * {@code $SYS.REQ.USER.AUTH} with signed responses, as the callout services written for
 * nats-server do; the server trusts only what the configured issuer signed, for the user and
 * server it asked about.
 */
class AuthCalloutIT {

  @TempDir
  Path dir;

  /** The service: checks the request's signature and answers by the user name it names. */
  private static final class Service {
    final NKey issuer;
    final NKey forger;
    final LinkedBlockingQueue<JsonObject> requests = new LinkedBlockingQueue<>();
    /** The service's curve key when requests come sealed; null for plain ones. */
    final CurveKeys xkey;

    Service(boolean sealed) throws Exception {
      issuer = TestTokens.accountKey();
      forger = TestTokens.accountKey();
      xkey = sealed ? CurveKeys.generate() : null;
    }

    /** Opens a sealed request with the key the server names in its header, and seals the answer for it. */
    byte[] answer(io.nats.client.Message m) throws Exception {
      if (xkey == null) {
        String a = answer(m.getData());
        return a == null ? null : a.getBytes(StandardCharsets.UTF_8);
      }
      String serverXKey = m.getHeaders().getFirst("Nats-Server-Xkey");
      byte[] server = CurveKeys.decodePublic(serverXKey);
      assertEquals("xkv1", new String(m.getData(), 0, 4, StandardCharsets.US_ASCII), "the request is sealed");
      String a = answer(xkey.open(m.getData(), server));
      assertEquals(serverXKey, requests.peek().getJsonObject("nats").getJsonObject("server_id").getString("xkey"));
      return a == null ? null : xkey.seal(a.getBytes(StandardCharsets.UTF_8), server);
    }

    String answer(byte[] request) throws Exception {
      String token = new String(request, StandardCharsets.UTF_8);
      String[] parts = token.split("\\.");
      JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
      boolean signed = NKey.fromPublicKey(claims.getString("iss").toCharArray())
          .verify((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII), Base64.getUrlDecoder().decode(parts[2]));
      claims.put("signature_verified", signed);
      requests.add(claims);
      JsonObject nats = claims.getJsonObject("nats");
      String userNkey = nats.getString("user_nkey");
      String server = nats.getJsonObject("server_id").getString("id");
      JsonObject connect = nats.getJsonObject("connect_opts");
      String user = connect.getString("user", "");
      if (user.equals("sleepy")) {
        return null;
      }
      JsonObject response = claims(issuer, userNkey, "authorization_response").put("aud", server);
      if (user.equals("alice") && "secret".equals(connect.getString("pass"))) {
        JsonObject u = claims(issuer, userNkey, "user").put("aud", "APP").put("name", "alice");
        u.getJsonObject("nats")
            .put("pub", new JsonObject().put("allow", new JsonArray().add("app.>")))
            .put("sub", new JsonObject().put("allow", new JsonArray().add("app.>").add("_INBOX.>")));
        response.getJsonObject("nats").put("jwt", sign(issuer, u));
        return sign(issuer, response);
      }
      if (user.equals("forger")) {
        JsonObject u = claims(forger, userNkey, "user").put("aud", "APP");
        JsonObject forged = claims(forger, userNkey, "authorization_response").put("aud", server);
        forged.getJsonObject("nats").put("jwt", sign(forger, u));
        return sign(forger, forged);
      }
      if (user.equals("elsewhere")) {
        JsonObject u = claims(issuer, userNkey, "user").put("aud", "NOWHERE");
        response.getJsonObject("nats").put("jwt", sign(issuer, u));
        return sign(issuer, response);
      }
      response.getJsonObject("nats").put("error", "no such user");
      return sign(issuer, response);
    }
  }

  private Path conf(Service service) throws Exception {
    return Files.writeString(dir.resolve("callout.conf"), """
        accounts {
          AUTH { users: [ { user: auth, password: pwd } ] }
          APP {}
        }
        authorization {
          timeout: 1
          auth_callout {
            issuer: %s
            account: AUTH
            auth_users: [ auth ]
            %s
          }
        }
        """.formatted(pub(service.issuer), service.xkey == null ? "" : "xkey: " + service.xkey.publicKey()));
  }

  private static RawClient login(int port, String user, String pass) throws Exception {
    RawClient c = RawClient.connect(port);
    c.send("CONNECT {\"verbose\":false,\"user\":\"" + user + "\",\"pass\":\"" + pass + "\"}\r\nPING\r\n");
    return c;
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "sealed: {0}")
  @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
  void theCalloutServiceDecidesWhoGetsInWhereAndWithWhatPermissions(boolean sealed) throws Exception {
    Service service = new Service(sealed);
    var loaded = OptionsReader.load(conf(service)).options().toBuilder();
    try (TestServer server = TestServer.start(b -> loaded.port(0).host("127.0.0.1").logtime(false).httpPort(-1));
         Connection auth = Nats.connect(Options.builder().server(server.url()).userInfo("auth", "pwd")
             .maxReconnects(0).build())) {
      auth.createDispatcher(m -> {
        try {
          byte[] answer = service.answer(m);
          if (answer != null) {
            auth.publish(m.getReplyTo(), answer);
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }).subscribe("$SYS.REQ.USER.AUTH");
      auth.flush(Duration.ofSeconds(5));

      try (Connection alice = Nats.connect(Options.builder().server(server.url()).userInfo("alice", "secret")
          .maxReconnects(0).build())) {
        Subscription s = alice.subscribe("app.greeting");
        alice.publish("app.greeting", "hi".getBytes(StandardCharsets.UTF_8));
        assertEquals("hi", new String(s.nextMessage(Duration.ofSeconds(5)).getData(), StandardCharsets.UTF_8));
        JsonObject conn = Http.json(server.verticle.monitorPort(), "/connz?auth=true").getJsonArray("connections")
            .stream().map(JsonObject.class::cast).filter(c -> "alice".equals(c.getString("authorized_user")))
            .findFirst().orElseThrow();
        assertEquals("APP", conn.getString("account"), "placed in the account the user token's aud names");
      }

      JsonObject request = service.requests.poll(5, TimeUnit.SECONDS);
      assertTrue(request.getBoolean("signature_verified"), "signed with the server's own key: " + request);
      JsonObject nats = request.getJsonObject("nats");
      assertEquals("authorization_request", nats.getString("type"));
      assertEquals(request.getString("iss"), nats.getJsonObject("server_id").getString("id"));
      assertEquals(pub(service.issuer), request.getString("sub"));
      assertEquals("nats-authorization-request", request.getString("aud"));
      assertTrue(nats.getString("user_nkey").startsWith("U"), nats.encode());
      assertEquals("alice", nats.getJsonObject("connect_opts").getString("user"));
      assertEquals("secret", nats.getJsonObject("connect_opts").getString("pass"));
      assertEquals("127.0.0.1", nats.getJsonObject("client_info").getString("host"));
      assertEquals("Client", nats.getJsonObject("client_info").getString("kind"));

      try (RawClient alice = login(server.port(), "alice", "secret")) {
        alice.expect("PONG");
        alice.send("PUB other.x 1\r\nx\r\n").expect("-ERR 'Permissions Violation for Publish to \"other.x\"'");
      }
      for (String refused : new String[] {"mallory", "forger", "elsewhere"}) {
        try (RawClient c = login(server.port(), refused, "whatever")) {
          c.expect("-ERR 'Authorization Violation'");
          assertTrue(c.isClosedByServer(5000), refused);
        }
      }
      try (RawClient c = login(server.port(), "sleepy", "whatever")) {
        c.expect("-ERR 'Authentication Timeout'");
        assertTrue(c.isClosedByServer(5000), "no answer within the auth timeout");
      }
      try (RawClient c = login(server.port(), "auth", "pwd")) {
        c.expect("PONG");
        c.send("PUB $SYS.REQ.USER.AUTH 1\r\nx\r\n")
            .expect("-ERR 'Permissions Violation for Publish to \"\\$SYS.REQ.USER.AUTH\"'");
      }
      try (RawClient c = login(server.port(), "auth", "wrong")) {
        c.expect("-ERR 'Authorization Violation'");
      }
    }
  }
}
