package io.natsvx.auth;

import io.natsvx.account.Accounts;
import io.natsvx.client.ConnectOptions;
import io.natsvx.config.OperatorOptions;
import io.natsvx.jwt.AccountClaims;
import io.natsvx.jwt.Jwt;
import io.natsvx.jwt.JwtException;
import io.natsvx.jwt.TrustedOperators;
import io.natsvx.jwt.UserClaims;
import io.natsvx.jwt.UserTokenCheck;
import io.natsvx.plugin.api.AccountResolver;
import io.vertx.core.Future;

/**
 * Client authentication in JWT operator mode: the CONNECT's user token is verified, its account
 * token fetched from the resolver and checked against the trusted operators, the nonce
 * signature checked, and the account registered with the user's permissions from the claims.
 */
public final class OperatorAuth {

  private final TrustedOperators operators;
  private final AccountResolver resolver;
  private final Accounts accounts;
  /** The latest verified token of each account seen, for revocation checks of connected users. */
  private final java.util.Map<String, AccountClaims> current = new java.util.concurrent.ConcurrentHashMap<>();

  public OperatorAuth(OperatorOptions options, AccountResolver resolver, Accounts accounts) {
    try {
      this.operators = TrustedOperators.of(options.operatorJwts(), now());
    } catch (JwtException e) {
      throw new IllegalStateException("operator token no longer valid: " + e.getMessage());
    }
    this.resolver = resolver;
    this.accounts = accounts;
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
    return resolver.fetch(claims.account()).map(token -> {
      try {
        AccountClaims account = operators.account(token, now());
        UserTokenCheck.verify(user, claims, account, nonce, c.sig());
        UserTokenCheck.checkConnection(claims, clientHost, "STANDARD");
        accounts.register(account.options());
        current.put(account.accountKey(), account);
        Permissions perms = claims.permissions() == null ? null : new Permissions(claims.permissions());
        return new AuthService.Result(true, claims.userKey(), perms, account.accountKey(),
            claims.maxSubscriptions(), claims.maxPayload(), user.expires());
      } catch (JwtException e) {
        return AuthService.Result.DENIED;
      }
    }).otherwise(AuthService.Result.DENIED);
  }

  /**
   * A claims update pushed on {@code $SYS.REQ.ACCOUNT.<key>.CLAIMS.UPDATE}: checked, stored in the
   * resolver and applied to the account if this server knows it. Succeeds with nats-server's
   * message, fails with its description of what was wrong.
   */
  public Future<String> updateClaims(String accountKey, String token) {
    if (token.isEmpty()) {
      return Future.failedFuture("jwt update error - request body is empty");
    }
    AccountClaims account;
    try {
      account = operators.account(token, now());
    } catch (JwtException e) {
      return Future.failedFuture("jwt update resulted in error - " + e.getMessage());
    }
    if (!account.accountKey().equals(accountKey)) {
      return Future.failedFuture("jwt update resulted in error - subject does not match jwt content");
    }
    if (accounts.get(accountKey) == null) {
      return Future.succeededFuture("jwt update skipped");
    }
    return resolver.store(accountKey, token).map(v -> {
      accounts.register(account.options());
      current.put(accountKey, account);
      return "jwt updated";
    });
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
