package io.natsvx.auth;

import io.natsvx.account.Accounts;
import io.natsvx.protocol.ConnectOptions;
import io.natsvx.auth.AccountClaims;
import io.natsvx.jwt.Jwt;
import io.natsvx.jwt.JwtException;
import io.natsvx.auth.UserClaims;
import io.natsvx.auth.UserTokenCheck;
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

  private final AuthCallout callout;

  public OperatorAuth(AccountTokens tokens, Accounts accounts, AuthCallout callout) {
    this.tokens = tokens;
    this.accounts = accounts;
    this.callout = callout;
  }

  /** The account tokens this authentication trusts. */
  public AccountTokens tokens() {
    return tokens;
  }

  /**
   * Checks a CONNECT's user token. When its account's token asks for an auth callout, users
   * other than the callout's own go to it instead (nats-server's external authorization).
   */
  public Future<AuthService.Result> authenticate(ConnectOptions c, String nonce, String clientHost, long cid) {
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
    return tokens.fetch(claims.account()).compose(account -> {
      AccountClaims.ExternalAuth external = account.externalAuth();
      if (external != null && !external.authUsers().contains(claims.userKey())) {
        apply(account); // the service listens there
        return callout.authorize(new AccountCallout(account, tokens, this::apply), c,
            new AuthCallout.Client(cid, clientHost, claims.userKey(), nonce));
      }
      return Future.succeededFuture(checked(user, claims, account, c, nonce, clientHost, external != null));
    }).otherwise(AuthService.Result.DENIED);
  }

  /** The user token's own checks, for a user the account's callout (if any) does not decide about. */
  private AuthService.Result checked(Jwt user, UserClaims claims, AccountClaims account, ConnectOptions c,
      String nonce, String clientHost, boolean calloutAccount) {
    try {
      UserTokenCheck.verify(user, claims, account, nonce, c.sig());
      UserTokenCheck.checkConnection(claims, clientHost, "STANDARD");
      long expiresAt = UserTokenCheck.expiresAt(user, claims, java.time.ZonedDateTime.now());
      apply(account);
      Permissions perms = claims.permissions() == null ? null : new Permissions(claims.permissions());
      if (calloutAccount) {
        perms = Permissions.denyingPublish(perms, io.natsvx.config.AuthCalloutOptions.SUBJECT);
      }
      return new AuthService.Result(true, claims.userKey(), perms, account.accountKey(),
          claims.maxSubscriptions(), claims.maxPayload(), expiresAt);
    } catch (JwtException e) {
      return AuthService.Result.DENIED;
    }
  }

  /** Takes an account's (newer) token: its limits, exports, imports and revocations apply from now on. */
  public void apply(AccountClaims account) {
    accounts.register(account.options());
    current.put(account.accountKey(), account);
  }

  /** Whether this user's account hands it to an auth callout (then a reload does not ask again). */
  public boolean decidedByCallout(ConnectOptions c) {
    try {
      UserClaims claims = UserClaims.of(Jwt.decode(c.jwt(), Jwt.Kind.USER, now()));
      AccountClaims account = current.get(claims.account());
      return account != null && account.externalAuth() != null
          && !account.externalAuth().authUsers().contains(claims.userKey());
    } catch (JwtException e) {
      return false;
    }
  }

  /** Fetches an account's token and applies it (a leaf remote's account, before any client of it connected). */
  public Future<Void> load(String accountKey) {
    return tokens.fetch(accountKey).map(account -> {
      apply(account);
      return null;
    });
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
