package io.natsvx.jwt;

import static io.natsvx.jwt.TestTokens.claims;
import static io.natsvx.jwt.TestTokens.pub;
import static io.natsvx.jwt.TestTokens.sign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.nats.client.NKey;
import io.nats.client.support.JwtUtils;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class JwtTest {

  private static final long NOW = System.currentTimeMillis() / 1000;

  @Test
  void userTokenIssuedByJnatsVerifies() throws Exception {
    NKey account = TestTokens.accountKey();
    NKey user = TestTokens.userKey();
    String token = JwtUtils.issueUserJWT(account, pub(account), pub(user), "alice", Duration.ofHours(1));

    Jwt jwt = Jwt.decode(token, Jwt.Kind.USER, NOW);

    assertEquals(pub(account), jwt.issuer());
    assertEquals(pub(user), jwt.subject());
    assertEquals("user", jwt.type());
    assertEquals("alice", jwt.claims().getString("name"));
    assertEquals(true, jwt.expires() > NOW);
  }

  @Test
  void operatorSelfSignedAndAccountSignedByOperatorVerify() throws Exception {
    NKey operator = TestTokens.operatorKey();
    NKey account = TestTokens.accountKey();
    Jwt op = Jwt.decode(sign(operator, claims(operator, pub(operator), "operator")), Jwt.Kind.OPERATOR, NOW);
    JsonObject accountClaims = claims(operator, pub(account), "account");
    accountClaims.getJsonObject("nats").put("limits", new JsonObject().put("conn", 2));
    Jwt acc = Jwt.decode(sign(operator, accountClaims), Jwt.Kind.ACCOUNT, NOW);

    assertEquals(pub(operator), op.subject());
    assertEquals(2, acc.nats().getJsonObject("limits").getInteger("conn"));
  }

  @Test
  void tamperedClaimsFailTheSignature() throws Exception {
    NKey account = TestTokens.accountKey();
    NKey user = TestTokens.userKey();
    String token = sign(account, claims(account, pub(user), "user"));
    String[] parts = token.split("\\.");
    JsonObject forged = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1])))
        .put("name", "root");
    String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(forged.encode().getBytes()) + "." + parts[2];

    JwtException e = assertThrows(JwtException.class, () -> Jwt.decode(tampered, Jwt.Kind.USER, NOW));
    assertEquals("claim failed V2 signature verification", e.getMessage());
  }

  @Test
  void signerOfTheWrongKindIsRefused() throws Exception {
    NKey account = TestTokens.accountKey();
    NKey otherAccount = TestTokens.accountKey();
    // an account cannot issue an account token; only an operator can
    String token = sign(account, claims(account, pub(otherAccount), "account"));

    JwtException e = assertThrows(JwtException.class, () -> Jwt.decode(token, Jwt.Kind.ACCOUNT, NOW));
    assertEquals("issuer " + pub(account) + " cannot sign account tokens", e.getMessage());
  }

  @Test
  void typeMustMatchTheKindAsked() throws Exception {
    NKey operator = TestTokens.operatorKey();
    NKey account = TestTokens.accountKey();
    String token = sign(operator, claims(operator, pub(account), "activation"));

    JwtException e = assertThrows(JwtException.class, () -> Jwt.decode(token, Jwt.Kind.ACCOUNT, NOW));
    assertEquals("expected account claims, got activation", e.getMessage());
  }

  @Test
  void validityWindowIsEnforced() throws Exception {
    NKey account = TestTokens.accountKey();
    NKey user = TestTokens.userKey();
    String expired = sign(account, claims(account, pub(user), "user").put("exp", NOW - 1));
    String early = sign(account, claims(account, pub(user), "user").put("nbf", NOW + 60));

    assertEquals("claim is expired",
        assertThrows(JwtException.class, () -> Jwt.decode(expired, Jwt.Kind.USER, NOW)).getMessage());
    assertEquals("claim is not yet valid",
        assertThrows(JwtException.class, () -> Jwt.decode(early, Jwt.Kind.USER, NOW)).getMessage());
  }

  @Test
  void malformedTokensAreRefusedWithAReason() {
    assertEquals("expected 3 chunks",
        assertThrows(JwtException.class, () -> Jwt.decode("a.b", Jwt.Kind.USER, NOW)).getMessage());
    assertEquals("malformed header",
        assertThrows(JwtException.class, () -> Jwt.decode("!!.b.c", Jwt.Kind.USER, NOW)).getMessage());
    String notJwt = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"typ\":\"x\"}".getBytes());
    assertEquals("not a jwt header",
        assertThrows(JwtException.class, () -> Jwt.decode(notJwt + ".b.c", Jwt.Kind.USER, NOW)).getMessage());
  }
}
