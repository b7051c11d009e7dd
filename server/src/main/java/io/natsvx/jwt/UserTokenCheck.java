package io.natsvx.jwt;

import io.natsvx.auth.NKeys;

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
}
