package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.AuthHandler;
import io.nats.client.Connection;
import io.nats.client.NKey;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.natsvx.auth.Passwords;
import io.natsvx.config.AuthOptions;
import io.natsvx.config.AuthOptions.UserOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every built-in way in, and every way of being refused, as nats-server answers them. */
class AuthIT {

  private static Options.Builder options(TestServer s) {
    return new Options.Builder().server(s.url()).connectionTimeout(Duration.ofSeconds(2)).noReconnect();
  }

  private static AuthOptions users(UserOptions... users) {
    return new AuthOptions(null, List.of(users), null, null);
  }

  private static void assertRefused(int port, String connect) throws Exception {
    try (RawClient c = new RawClient(port)) {
      String info = c.readLine();
      assertTrue(new JsonObject(info.substring(5).trim()).getBoolean("auth_required"), info);
      c.send(connect + "\r\nPING\r\n");
      c.expect("-ERR 'Authorization Violation'");
      assertTrue(c.isClosedByServer(2000), connect);
    }
  }

  @Test
  void token() throws Exception {
    try (TestServer s = TestServer.start(b -> b.authorization(new AuthOptions("s3cr3t", List.of(), null, null)))) {
      try (Connection nc = Nats.connect(options(s).token("s3cr3t".toCharArray()).build())) {
        nc.flush(Duration.ofSeconds(2));
      }
      assertThrows(Exception.class, () -> Nats.connect(options(s).token("wrong".toCharArray()).build()).close());
      assertRefused(s.port(), "CONNECT {\"verbose\":false,\"auth_token\":\"wrong\"}");
      assertRefused(s.port(), "CONNECT {\"verbose\":false}");
      assertEquals(3, s.verticle.server().authErrors.sum(), "refusals counted");
    }
  }

  @Test
  void usersWithClearAndBcryptPasswords() throws Exception {
    String hash = Passwords.hash("b-pass", 4);
    try (TestServer s = TestServer.start(b -> b.authorization(users(
        new UserOptions("alice", "a-pass", null, null), new UserOptions("bob", hash, null, null))))) {
      try (Connection a = Nats.connect(options(s).userInfo("alice", "a-pass").build());
           Connection b = Nats.connect(options(s).userInfo("bob", "b-pass").build())) {
        a.flush(Duration.ofSeconds(2));
        b.flush(Duration.ofSeconds(2));
      }
      assertRefused(s.port(), "CONNECT {\"verbose\":false,\"user\":\"alice\",\"pass\":\"nope\"}");
      assertRefused(s.port(), "CONNECT {\"verbose\":false,\"user\":\"bob\",\"pass\":\"a-pass\"}");
      assertRefused(s.port(), "CONNECT {\"verbose\":false,\"user\":\"mallory\",\"pass\":\"a-pass\"}");
      // bcrypt is checked on a worker: what follows CONNECT in the same write waits for it.
      try (RawClient c = RawClient.connect(s.port())) {
        c.send("CONNECT {\"verbose\":false,\"user\":\"bob\",\"pass\":\"b-pass\"}\r\nSUB x 1\r\nPUB x 2\r\nok\r\nPING\r\n");
        c.expect("MSG x 1 2");
        assertEquals("ok", c.readLine());
        c.expect("PONG");
      }
    }
  }

  @Test
  void operationsBeforeConnectAreRefused() throws Exception {
    try (TestServer s = TestServer.start(b -> b.authorization(users(new UserOptions("u", "p", null, null))));
         RawClient c = RawClient.connect(s.port())) {
      c.send("PING\r\n");
      c.expect("-ERR 'Authorization Violation'");
      assertTrue(c.isClosedByServer(2000));
    }
  }

  @Test
  void noAuthUser() throws Exception {
    try (TestServer s = TestServer.start(b -> b.authorization(new AuthOptions(null,
        List.of(new UserOptions("guest", "g", null, null), new UserOptions("admin", "x", null, null)), null, "guest")))) {
      try (Connection nc = Nats.connect(options(s).build())) {
        nc.flush(Duration.ofSeconds(2));
      }
      try (RawClient c = RawClient.connect(s.port())) {
        c.send("PING\r\n").expect("PONG"); // no CONNECT at all: the no_auth_user
      }
      assertRefused(s.port(), "CONNECT {\"verbose\":false,\"user\":\"admin\",\"pass\":\"wrong\"}");
    }
  }

  @Test
  void authenticationTimeout() throws Exception {
    try (TestServer s = TestServer.start(b -> b.authTimeout(Duration.ofMillis(300))
        .authorization(users(new UserOptions("u", "p", null, null))));
         RawClient c = RawClient.connect(s.port())) {
      c.expect("-ERR 'Authentication Timeout'");
      assertTrue(c.isClosedByServer(2000));
    }
  }

  @Test
  void nkeys() throws Exception {
    NKey user = NKey.createUser(null);
    NKey stranger = NKey.createUser(null);
    String publicKey = new String(user.getPublicKey());
    try (TestServer s = TestServer.start(b -> b.authorization(users(new UserOptions(null, null, publicKey, null))))) {
      try (RawClient c = new RawClient(s.port())) {
        JsonObject info = new JsonObject(c.readLine().substring(5).trim());
        assertTrue(info.getString("nonce").length() >= 11, info.encode());
      }
      try (Connection nc = Nats.connect(options(s).authHandler(handler(user)).build())) {
        nc.flush(Duration.ofSeconds(2));
      }
      assertThrows(Exception.class, () -> Nats.connect(options(s).authHandler(handler(stranger)).build()).close());
      // Right key, signature of something else.
      String badSig = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(user.sign("not-the-nonce".getBytes()));
      assertRefused(s.port(), "CONNECT {\"verbose\":false,\"nkey\":\"" + publicKey + "\",\"sig\":\"" + badSig + "\"}");
    }
  }

  private static AuthHandler handler(NKey key) {
    return new AuthHandler() {
      @Override
      public byte[] sign(byte[] nonce) {
        try {
          return key.sign(nonce);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }

      @Override
      public char[] getID() {
        try {
          return key.getPublicKey();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }

      @Override
      public char[] getJWT() {
        return null;
      }
    };
  }
}
