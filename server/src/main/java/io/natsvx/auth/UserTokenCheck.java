package io.natsvx.auth;

import io.natsvx.jwt.ConnectTimes;
import io.natsvx.jwt.Jwt;
import io.natsvx.jwt.JwtException;
import io.natsvx.internal.NKeys;

/**
 * The checks nats-server makes on a client presenting a user token, once the token's account is
 * known: the account trusts the signer, the user is not revoked, and, unless the token is a
 * bearer token, the client signed the INFO nonce with the user's key.
 */
public final class UserTokenCheck {

  private UserTokenCheck() {}

  public static void verify(Jwt user, UserClaims claims, AccountClaims account, String nonce, String sig)
      throws JwtException {
    if (!account.accountKey().equals(claims.account())) {
      throw new JwtException("user token names account " + claims.account() + ", not " + account.accountKey());
    }
    if (!account.trusts(claims.issuer())) {
      throw new JwtException("user " + claims.userKey() + " signed by a key the account does not trust");
    }
    if (account.revoked(claims.userKey(), user.issuedAt())) {
      throw new JwtException("user " + claims.userKey() + " has been revoked");
    }
    if (!claims.bearer() && !NKeys.verify(claims.userKey(), nonce, sig)) {
      throw new JwtException("signature not verified");
    }
  }

  /**
   * The token's {@code src} (CIDRs the client must come from) and
   * {@code allowed_connection_types} (which kinds of connection may use it; names natsvx does
   * not know are ignored, as nats-server ignores them).
   */
  public static void checkConnection(UserClaims claims, String clientHost, String connectionType)
      throws JwtException {
    if (!claims.sources().isEmpty() && !Cidr.anyContains(claims.sources(), clientHost)) {
      throw new JwtException("client source " + clientHost + " not allowed");
    }
    java.util.List<String> known = claims.connectionTypes().stream()
        .map(t -> t.toUpperCase(java.util.Locale.ROOT)).filter(KNOWN_TYPES::contains).toList();
    if (!claims.connectionTypes().isEmpty() && !known.contains(connectionType)) {
      throw new JwtException("connection type " + connectionType + " not allowed");
    }
  }

  /**
   * When a client with this token must go (epoch seconds, 0 for never): the token's expiry, or
   * the end of its connect-time window when that comes first, as nats-server's setExpiration.
   *
   * @throws JwtException when it is outside its connect times
   */
  public static long expiresAt(Jwt user, UserClaims claims, java.time.ZonedDateTime now) throws JwtException {
    java.time.Duration window = claims.times().validFor(now);
    if (window.isZero()) {
      return user.expires();
    }
    long windowEnd = now.toEpochSecond() + Math.max(1, (window.toMillis() + 999) / 1000);
    return user.expires() > 0 && user.expires() < windowEnd ? user.expires() : windowEnd;
  }

  private static final java.util.Set<String> KNOWN_TYPES = java.util.Set.of(
      "STANDARD", "WEBSOCKET", "LEAFNODE", "LEAFNODE_WS", "MQTT", "MQTT_WS", "IN_PROCESS");
}
