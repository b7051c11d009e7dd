package io.natsvx.auth;

import io.natsvx.jwt.Decorated;
import io.natsvx.jwt.Jwt;
import io.natsvx.jwt.JwtException;
import io.natsvx.jwt.TestTokens;
import io.natsvx.jwt.TrustedOperators;
import static io.natsvx.jwt.TestTokens.claims;
import static io.natsvx.jwt.TestTokens.pub;
import static io.natsvx.jwt.TestTokens.sign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.NKey;
import io.nats.client.support.JwtUtils;
import io.natsvx.config.AuthOptions.PermissionOptions;
import io.natsvx.config.AuthOptions.ResponsePermission;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class UserClaimsTest {

  private static final long NOW = System.currentTimeMillis() / 1000;

  @Test
  void permissionsAndLimitsFromAJnatsToken() throws Exception {
    NKey account = TestTokens.accountKey();
    NKey user = TestTokens.userKey();
    JwtUtils.UserClaim claim = new JwtUtils.UserClaim(pub(account))
        .pub(new JwtUtils.Permission().allow("orders.>").deny("orders.secret"))
        .sub(new JwtUtils.Permission().allow("_INBOX.>", "work workers"))
        .resp(new JwtUtils.ResponsePermission().maxMsgs(3).expires(Duration.ofSeconds(5)))
        .subs(10).payload(1024)
        .src("127.0.0.1/32");
    String token = JwtUtils.issueUserJWT(account, pub(user), "bob", null, NOW, claim);

    UserClaims c = UserClaims.of(Jwt.decode(token, Jwt.Kind.USER, NOW));

    assertEquals(pub(user), c.userKey());
    assertEquals(pub(account), c.account());
    assertFalse(c.bearer());
    PermissionOptions p = c.permissions();
    assertEquals(List.of("orders.>"), p.publishAllow());
    assertEquals(List.of("orders.secret"), p.publishDeny());
    assertEquals(List.of("_INBOX.>", "work workers"), p.subscribeAllow());
    assertNull(p.subscribeDeny());
    assertEquals(new ResponsePermission(3, Duration.ofSeconds(5)), p.allowResponses());
    assertEquals(10, c.maxSubscriptions());
    assertEquals(1024, c.maxPayload());
    assertEquals(List.of("127.0.0.1/32"), c.sources());
  }

  @Test
  void emptyListsRestrictNothingAndNscDefaultLimitsAreUnlimited() throws Exception {
    NKey account = TestTokens.accountKey();
    NKey user = TestTokens.userKey();
    JsonObject claims = claims(account, pub(user), "user");
    claims.getJsonObject("nats")
        .put("pub", new JsonObject())
        .put("sub", new JsonObject().put("allow", new JsonArray()))
        .put("bearer_token", true);

    UserClaims c = UserClaims.of(Jwt.decode(sign(account, claims), Jwt.Kind.USER, NOW));

    assertNull(c.permissions());
    assertTrue(c.bearer());
    assertEquals(-1, c.maxSubscriptions());
    assertEquals(-1, c.maxPayload());
    assertEquals(List.of(), c.sources());
  }

  @Test
  void tokenSignedByASigningKeyNamesItsAccount() throws Exception {
    NKey signingKey = TestTokens.accountKey();
    NKey account = TestTokens.accountKey();
    NKey user = TestTokens.userKey();
    JsonObject claims = claims(signingKey, pub(user), "user");
    claims.getJsonObject("nats")
        .put("issuer_account", pub(account))
        .put("resp", new JsonObject())
        .put("allowed_connection_types", new JsonArray().add("STANDARD").add("WEBSOCKET"));

    UserClaims c = UserClaims.of(Jwt.decode(sign(signingKey, claims), Jwt.Kind.USER, NOW));

    assertEquals(pub(signingKey), c.issuer());
    assertEquals(pub(account), c.account());
    assertEquals(ResponsePermission.DEFAULT, c.permissions().allowResponses());
    assertNull(c.permissions().publishAllow());
    assertEquals(List.of("STANDARD", "WEBSOCKET"), c.connectionTypes());
  }
}
