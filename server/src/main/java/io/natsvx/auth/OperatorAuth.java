package io.natsvx.auth;

import io.natsvx.account.Accounts;
import io.natsvx.client.ConnectOptions;
import io.natsvx.jwt.AccountClaims;
import io.natsvx.jwt.Jwt;
import io.natsvx.jwt.JwtException;
import io.natsvx.jwt.UserClaims;
import io.natsvx.jwt.UserTokenCheck;
import io.vertx.core.Future;

/**
 * Client authentication in JWT operator mode: the CONNECT's user token is verified, its account
 * token fetched from the resolver and checked against the trusted operators, the nonce
 * signature checked, and the account registered with the user's permissions from the claims.
 */
public final class OperatorAuth {

  private final AccountTokens tokens;
  private final Accounts accounts;
  /** The latest verified token of each account seen, for revocation checks of connected users. */
  private final java.util.Map<String, AccountClaims> current = new java.util.concurrent.ConcurrentHashMap<>();

  public OperatorAuth(AccountTokens tokens, Accounts accounts) {
    this.tokens = tokens;
    this.accounts = accounts;
  }

  /** The account tokens this authentication trusts. */
  public AccountTokens tokens() {
    return tokens;
  }

  public Future<AuthService.Result> authenticate(ConnectOptions c, String nonce, String clientHost) {
    if (c.jwt() == null || c.jwt().isEmpty()) {
      return Future.succeededFuture(AuthService.Result.DENIED);
    }
    Jwt user;
    UserClaims claims;
    try {
      user = Jwt.decode(c.jwt(), Jwt.Kind.USER, now());
      claims = UserClaims.of(user);
    } catch (JwtException e) {
      return Future.succeededFuture(AuthService.Result.DENIED);
    }
    return tokens.fetch(claims.account()).map(account -> {
      try {
        UserTokenCheck.verify(user, claims, account, nonce, c.sig());
        UserTokenCheck.checkConnection(claims, clientHost, "STANDARD");
        long expiresAt = UserTokenCheck.expiresAt(user, claims, java.time.ZonedDateTime.now());
        apply(account);
        Permissions perms = claims.permissions() == null ? null : new Permissions(claims.permissions());
        return new AuthService.Result(true, claims.userKey(), perms, account.accountKey(),
            claims.maxSubscriptions(), claims.maxPayload(), expiresAt);
      } catch (JwtException e) {
        return AuthService.Result.DENIED;
      }
    }).otherwise(AuthService.Result.DENIED);
  }

  /** Takes an account's (newer) token: its limits, exports, imports and revocations apply from now on. */
  public void apply(AccountClaims account) {
    accounts.register(account.options());
    current.put(account.accountKey(), account);
  }

  /** Whether this server has the account (a client of it connected since the start). */
  public boolean inUse(String accountKey) {
    return accounts.get(accountKey) != null;
  }

  /** Whether the account's latest token revokes the user of this CONNECT. */
  public boolean revoked(ConnectOptions c) {
    try {
      Jwt user = Jwt.decode(c.jwt(), Jwt.Kind.USER, now());
      UserClaims claims = UserClaims.of(user);
      AccountClaims account = current.get(claims.account());
      return account != null && account.revoked(claims.userKey(), user.issuedAt());
    } catch (JwtException e) {
      return false;
    }
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }
}
