package io.natsvx.auth;

import io.natsvx.jwt.Decorated;
import io.natsvx.jwt.Jwt;
import io.natsvx.jwt.JwtException;
import io.natsvx.jwt.TestTokens;
import io.natsvx.jwt.TrustedOperators;
import static io.natsvx.jwt.TestTokens.claims;
import static io.natsvx.jwt.TestTokens.creds;
import static io.natsvx.jwt.TestTokens.decorated;
import static io.natsvx.jwt.TestTokens.pub;
import static io.natsvx.jwt.TestTokens.sign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.nats.client.AuthHandler;
import io.nats.client.NKey;
import io.nats.client.Nats;
import io.natsvx.internal.NKeys;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Operator, account and user tokens as nsc lays them out, with jnats signing from a creds file. */
class UserTokenCheckTest {

  private static final long NOW = System.currentTimeMillis() / 1000;

  private NKey operator;
  private NKey account;
  private NKey accountSigner;
  private TrustedOperators trusted;

  @BeforeEach
  void operatorAndAccount() throws Exception {
    operator = TestTokens.operatorKey();
    account = TestTokens.accountKey();
    accountSigner = TestTokens.accountKey();
    NKey sys = TestTokens.accountKey();
    trusted = TrustedOperators.of(List.of(decorated("OPERATOR", TestTokens.operatorJwt(operator, pub(sys)))), NOW);
    assertEquals(pub(sys), trusted.systemAccount());
  }

  private AccountClaims account(JsonObject extra) throws Exception {
    JsonObject c = claims(operator, pub(account), "account");
    c.getJsonObject("nats").put("signing_keys", new JsonArray().add(pub(accountSigner))).mergeIn(extra);
    return AccountClaims.of(trusted.account(decorated("ACCOUNT", sign(operator, c)), NOW));
  }

  private static String userToken(NKey signer, NKey account, NKey user, JsonObject extra) throws Exception {
    JsonObject c = claims(signer, pub(user), "user");
    c.getJsonObject("nats").put("issuer_account", pub(account)).mergeIn(extra);
    return sign(signer, c);
  }

  /** What jnats sends in CONNECT for a creds file: the token and the signed nonce. */
  private static String[] connect(String creds, String nonce) {
    AuthHandler h = Nats.staticCredentials(creds.getBytes(StandardCharsets.UTF_8));
    String sig = Base64.getUrlEncoder().withoutPadding()
        .encodeToString(h.sign(nonce.getBytes(StandardCharsets.UTF_8)));
    return new String[] {new String(h.getJWT()), sig};
  }

  private void check(String[] connect, AccountClaims acc, String nonce) throws JwtException {
    Jwt user = Jwt.decode(connect[0], Jwt.Kind.USER, NOW);
    UserTokenCheck.verify(user, UserClaims.of(user), acc, nonce, connect[1]);
  }

  @Test
  void credsSignedByAnAccountSigningKeyAreAccepted() throws Exception {
    NKey user = TestTokens.userKey();
    String nonce = NKeys.nonce();
    String[] connect = connect(creds(userToken(accountSigner, account, user, new JsonObject()), user), nonce);
    AccountClaims acc = account(new JsonObject());

    check(connect, acc, nonce);

    assertEquals(connect[0], Decorated.jwt(creds(connect[0], user)));
  }

  @Test
  void nonceSignedForAnotherConnectionIsRefused() throws Exception {
    NKey user = TestTokens.userKey();
    String[] connect = connect(creds(userToken(account, account, user, new JsonObject()), user), NKeys.nonce());
    AccountClaims acc = account(new JsonObject());

    JwtException e = assertThrows(JwtException.class, () -> check(connect, acc, NKeys.nonce()));
    assertEquals("signature not verified", e.getMessage());
  }

  @Test
  void bearerTokenNeedsNoSignature() throws Exception {
    NKey user = TestTokens.userKey();
    String token = userToken(account, account, user, new JsonObject().put("bearer_token", true));
    AccountClaims acc = account(new JsonObject());

    check(new String[] {token, null}, acc, NKeys.nonce());
  }

  @Test
  void revokedUserIsRefused() throws Exception {
    NKey user = TestTokens.userKey();
    String nonce = NKeys.nonce();
    String[] connect = connect(creds(userToken(account, account, user, new JsonObject()), user), nonce);
    AccountClaims acc = account(new JsonObject().put("revocations", new JsonObject().put(pub(user), NOW + 60)));

    JwtException e = assertThrows(JwtException.class, () -> check(connect, acc, nonce));
    assertEquals("user " + pub(user) + " has been revoked", e.getMessage());
  }

  @Test
  void userSignedByAKeyTheAccountDoesNotListIsRefused() throws Exception {
    NKey stranger = TestTokens.accountKey();
    NKey user = TestTokens.userKey();
    String nonce = NKeys.nonce();
    String[] connect = connect(creds(userToken(stranger, account, user, new JsonObject()), user), nonce);
    AccountClaims acc = account(new JsonObject());

    JwtException e = assertThrows(JwtException.class, () -> check(connect, acc, nonce));
    assertEquals("user " + pub(user) + " signed by a key the account does not trust", e.getMessage());
  }

  @Test
  void accountOfAnotherOperatorIsNotTrusted() throws Exception {
    NKey otherOperator = TestTokens.operatorKey();
    String token = sign(otherOperator, claims(otherOperator, pub(account), "account"));

    JwtException e = assertThrows(JwtException.class, () -> trusted.account(token, NOW));
    assertEquals("account " + pub(account) + " not issued by a trusted operator", e.getMessage());
  }
}
