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
import io.natsvx.config.AccountOptions;
import io.natsvx.config.AccountOptions.Export;
import io.natsvx.config.AccountOptions.Import;
import io.natsvx.config.AccountOptions.ResponseType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccountClaimsTest {

  private static final long NOW = System.currentTimeMillis() / 1000;

  @Test
  void limitsExportsImportsSigningKeysAndRevocations() throws Exception {
    NKey operator = TestTokens.operatorKey();
    NKey account = TestTokens.accountKey();
    NKey signer = TestTokens.accountKey();
    String other = pub(TestTokens.accountKey());
    JsonObject claims = claims(operator, pub(account), "account");
    claims.getJsonObject("nats")
        .put("limits", new JsonObject().put("conn", 5).put("subs", -1).put("payload", 4096))
        .put("signing_keys", new JsonArray().add(pub(signer)))
        .put("revocations", new JsonObject().put("UREVOKED", NOW))
        .put("exports", new JsonArray()
            .add(new JsonObject().put("subject", "events.>").put("type", "stream"))
            .add(new JsonObject().put("subject", "help").put("type", "service")
                .put("response_type", "Stream").put("response_threshold", 2_000_000_000L)))
        .put("imports", new JsonArray()
            .add(new JsonObject().put("subject", "ticks.>").put("type", "stream").put("account", other)
                .put("to", "remote"))
            .add(new JsonObject().put("subject", "ask").put("type", "service").put("account", other)
                .put("to", "answer"))
            .add(new JsonObject().put("subject", "price").put("type", "service").put("account", other)
                .put("local_subject", "my.price")));

    AccountClaims c = AccountClaims.of(Jwt.decode(sign(operator, claims), Jwt.Kind.ACCOUNT, NOW));
    AccountOptions o = c.options();

    assertEquals(pub(account), o.name());
    assertEquals(new AccountOptions.Limits(5, 0, 4096), o.limits());
    assertEquals(List.of(
        new Export("events.>", false, null, null, null),
        new Export("help", true, null, ResponseType.STREAM, Duration.ofSeconds(2))), o.exports());
    assertEquals(List.of(
        new Import(false, other, "ticks.>", null, "remote"),
        new Import(true, other, "answer", "ask", null),
        new Import(true, other, "price", "my.price", null)), o.imports());
    assertTrue(c.trusts(pub(account)));
    assertTrue(c.trusts(pub(signer)));
    assertFalse(c.trusts(other));
    assertTrue(c.revoked("UREVOKED", NOW));
    assertFalse(c.revoked("UREVOKED", NOW + 1), "a token issued after the revocation is valid");
  }

  @Test
  void catchAllRevocationAndScopedSigningKeys() throws Exception {
    NKey operator = TestTokens.operatorKey();
    NKey account = TestTokens.accountKey();
    NKey scoped = TestTokens.accountKey();
    JsonObject claims = claims(operator, pub(account), "account");
    claims.getJsonObject("nats")
        .put("signing_keys", new JsonArray().add(new JsonObject().put("kind", "user_scope").put("key", pub(scoped))))
        .put("revocations", new JsonObject().put(AccountClaims.ALL, NOW - 10))
        .put("exports", new JsonArray().add(new JsonObject().put("subject", "private").put("token_req", true)));

    AccountClaims c = AccountClaims.of(Jwt.decode(sign(operator, claims), Jwt.Kind.ACCOUNT, NOW));

    assertTrue(c.trusts(pub(scoped)));
    assertTrue(c.revoked("UANY", NOW - 10));
    assertFalse(c.revoked("UANY", NOW));
    assertEquals(List.of(), c.options().exports().get(0).accounts(), "token_req exports admit no account yet");
    assertNull(c.options().exports().get(0).responseType());
  }
}
