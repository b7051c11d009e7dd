package io.natsvx.jwt;

import io.nats.client.NKey;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/** Signs claims the way nsc does, with jnats's nkeys, so tests can make any token they need. */
public final class TestTokens {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String HEADER = b64("{\"typ\":\"JWT\",\"alg\":\"ed25519-nkey\"}");

  private TestTokens() {}

  public static NKey operatorKey() throws Exception {
    return NKey.createOperator(RANDOM);
  }

  public static NKey accountKey() throws Exception {
    return NKey.createAccount(RANDOM);
  }

  public static NKey userKey() throws Exception {
    return NKey.createUser(RANDOM);
  }

  public static String pub(NKey key) throws Exception {
    return new String(key.getPublicKey());
  }

  /**
   * Claims for {@code subject} of {@code type}, issued now, with the limits nsc writes by default
   * (-1, unlimited: a token without them allows nothing on nats-server).
   */
  public static JsonObject claims(NKey issuer, String subject, String type) throws Exception {
    JsonObject nats = new JsonObject().put("type", type).put("version", 2);
    if (type.equals("user")) {
      nats.put("subs", -1).put("data", -1).put("payload", -1);
    } else if (type.equals("account")) {
      nats.put("limits", new JsonObject().put("subs", -1).put("data", -1).put("payload", -1)
          .put("imports", -1).put("exports", -1).put("wildcards", true).put("conn", -1).put("leaf", -1));
    }
    return new JsonObject()
        .put("jti", Long.toHexString(RANDOM.nextLong()))
        .put("iat", System.currentTimeMillis() / 1000)
        .put("iss", pub(issuer))
        .put("sub", subject)
        .put("name", type + "-" + subject.substring(0, 6))
        .put("nats", nats);
  }

  public static String sign(NKey issuer, JsonObject claims) throws Exception {
    String unsigned = HEADER + "." + b64(claims.encode());
    byte[] sig = issuer.sign(unsigned.getBytes(StandardCharsets.US_ASCII));
    return unsigned + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
  }

  /** An operator's own token naming its system account. */
  public static String operatorJwt(NKey operator, String systemAccount) throws Exception {
    JsonObject op = claims(operator, pub(operator), "operator");
    op.getJsonObject("nats").put("system_account", systemAccount);
    return sign(operator, op);
  }

  /** A token armoured the way nsc writes files: kind is OPERATOR, ACCOUNT or USER. */
  public static String decorated(String kind, String jwt) {
    return "-----BEGIN NATS " + kind + " JWT-----\n" + jwt + "\n------END NATS " + kind + " JWT------\n";
  }

  /** A {@code .creds} file's text, as nsc writes it and jnats reads it. */
  public static String creds(String userJwt, NKey user) {
    return decorated("USER", userJwt) + "\n************************* IMPORTANT *************************\n\n"
        + "-----BEGIN USER NKEY SEED-----\n" + new String(user.getSeed()) + "\n------END USER NKEY SEED------\n";
  }

  /**
   * Writes a {@code .creds} file for {@code user} of {@code account}, its token signed by
   * {@code signer} (the account or one of its signing keys) with {@code nats} merged into the
   * claims, expiring at {@code exp} (epoch seconds; 0 for never).
   */
  public static Path userCreds(Path file, NKey signer, NKey account, NKey user, JsonObject nats, long exp)
      throws Exception {
    JsonObject c = claims(signer, pub(user), "user");
    if (exp > 0) {
      c.put("exp", exp);
    }
    c.getJsonObject("nats").put("issuer_account", pub(account)).mergeIn(nats);
    Files.writeString(file, creds(sign(signer, c), user));
    return file;
  }

  private static String b64(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
