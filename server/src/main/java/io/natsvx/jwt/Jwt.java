package io.natsvx.jwt;

import io.natsvx.internal.NKeys;
import io.natsvx.internal.NKeyCodec;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A verified NATS JWT: {@code header.claims.signature}, base64url without padding, signed with
 * Ed25519 by the nkey in {@code iss}. Operator tokens are signed by an operator key, account
 * tokens by an operator key, user tokens by an account key; {@link #decode} checks the issuer's
 * kind, the signature and the validity window before anything reads a claim.
 */
public record Jwt(String token, String issuer, String subject, String type, long issuedAt, long expires, JsonObject claims) {

  /** The kind of token, from {@code nats.type}, with the issuer's nkey prefix it demands. */
  public enum Kind {
    OPERATOR("operator", NKeyCodec.PREFIX_OPERATOR, NKeyCodec.PREFIX_OPERATOR),
    ACCOUNT("account", NKeyCodec.PREFIX_OPERATOR, NKeyCodec.PREFIX_ACCOUNT),
    USER("user", NKeyCodec.PREFIX_ACCOUNT, NKeyCodec.PREFIX_USER),
    /** An auth callout service's answer about one connecting user. */
    AUTHORIZATION_RESPONSE("authorization_response", NKeyCodec.PREFIX_ACCOUNT, NKeyCodec.PREFIX_USER),
    /** An operator's signed request of any type (nsc's account delete request). */
    OPERATOR_REQUEST(null, NKeyCodec.PREFIX_OPERATOR, NKeyCodec.PREFIX_OPERATOR);

    final String claimType;
    final byte issuerPrefix;
    final byte subjectPrefix;

    Kind(String claimType, byte issuerPrefix, byte subjectPrefix) {
      this.claimType = claimType;
      this.issuerPrefix = issuerPrefix;
      this.subjectPrefix = subjectPrefix;
    }
  }

  /** The {@code nats} section of the claims (never null). */
  public JsonObject nats() {
    JsonObject n = claims.getJsonObject("nats");
    return n == null ? new JsonObject() : n;
  }

  /** Encodes and signs claims as nats' JWT library does: {@code signer} signs {@code header.claims}. */
  public static String sign(JsonObject claims, java.util.function.Function<byte[], byte[]> signer) {
    String unsigned = HEADER + "." + b64(claims.encode().getBytes(StandardCharsets.UTF_8));
    return unsigned + "." + b64(signer.apply(unsigned.getBytes(StandardCharsets.US_ASCII)));
  }

  private static final String HEADER = b64("{\"typ\":\"JWT\",\"alg\":\"ed25519-nkey\"}".getBytes(StandardCharsets.UTF_8));

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Decodes and verifies a token of the given kind, as of {@code nowSeconds}. */
  public static Jwt decode(String token, Kind kind, long nowSeconds) throws JwtException {
    if (token == null) {
      throw new JwtException("missing token");
    }
    String t = token.trim();
    int dot1 = t.indexOf('.');
    int dot2 = dot1 < 0 ? -1 : t.indexOf('.', dot1 + 1);
    if (dot1 < 0 || dot2 < 0 || t.indexOf('.', dot2 + 1) >= 0) {
      throw new JwtException("expected 3 chunks");
    }
    JsonObject header = json(t.substring(0, dot1), "header");
    String typ = header.getString("typ", "");
    String alg = header.getString("alg", "");
    if (!"jwt".equalsIgnoreCase(typ)) {
      throw new JwtException("not a jwt header");
    }
    if (!"ed25519-nkey".equalsIgnoreCase(alg) && !"ed25519".equalsIgnoreCase(alg)) {
      throw new JwtException("unexpected \"" + alg + "\" algorithm");
    }
    JsonObject claims = json(t.substring(dot1 + 1, dot2), "claims");
    String issuer = string(claims, "iss");
    String subject = string(claims, "sub");
    byte[] issuerKey = NKeyCodec.decode(issuer, kind.issuerPrefix);
    if (issuerKey == null) {
      throw new JwtException("issuer " + issuer + " cannot sign " + kind.name().toLowerCase() + " tokens");
    }
    if (NKeyCodec.decode(subject, kind.subjectPrefix) == null) {
      throw new JwtException("subject " + subject + " is not a " + kind.name().toLowerCase() + " key");
    }
    byte[] signature;
    try {
      signature = Base64.getUrlDecoder().decode(t.substring(dot2 + 1));
    } catch (IllegalArgumentException e) {
      throw new JwtException("signature is not base64url");
    }
    if (!NKeys.verify(issuerKey, t.substring(0, dot2).getBytes(StandardCharsets.US_ASCII), signature)) {
      throw new JwtException("claim failed V2 signature verification");
    }
    JsonObject nats = claims.getJsonObject("nats");
    String type = nats == null ? claims.getString("type") : nats.getString("type", claims.getString("type"));
    if (kind.claimType != null && !kind.claimType.equals(type)) {
      throw new JwtException("expected " + kind.claimType + " claims, got " + type);
    }
    long expires = number(claims, "exp");
    if (expires > 0 && nowSeconds >= expires) {
      throw new JwtException("claim is expired");
    }
    long notBefore = number(claims, "nbf");
    if (notBefore > 0 && nowSeconds < notBefore) {
      throw new JwtException("claim is not yet valid");
    }
    return new Jwt(t, issuer, subject, type, number(claims, "iat"), expires, claims);
  }

  private static JsonObject json(String part, String what) throws JwtException {
    try {
      return new JsonObject(new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
      throw new JwtException("malformed " + what);
    }
  }

  private static String string(JsonObject claims, String key) throws JwtException {
    Object v = claims.getValue(key);
    if (!(v instanceof String s)) {
      throw new JwtException("claims have no \"" + key + "\"");
    }
    return s;
  }

  private static long number(JsonObject claims, String key) throws JwtException {
    Object v = claims.getValue(key);
    if (v == null) {
      return 0;
    }
    if (!(v instanceof Number n)) {
      throw new JwtException("\"" + key + "\" is not a number");
    }
    return n.longValue();
  }
}
