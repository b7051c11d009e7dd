package io.natsvx.auth;

import io.natsvx.config.AuthCalloutOptions;
import io.natsvx.jwt.Jwt;
import io.natsvx.jwt.JwtException;
import io.natsvx.auth.UserClaims;
import io.vertx.core.Future;
import java.util.function.Predicate;

/**
 * The auth callout of the config file ({@code authorization { auth_callout {...} }}): the
 * {@code auth_users} skip it, the {@code issuer} signs everything the service answers, and the
 * user token's {@code aud} names the account. Immutable.
 */
final class ConfigCallout implements CalloutPolicy {

  private final AuthCalloutOptions options;
  private final Predicate<String> accountExists;

  ConfigCallout(AuthCalloutOptions options, Predicate<String> accountExists) {
    this.options = options;
    this.accountExists = accountExists;
  }

  /** Whether this user authenticates with the server's own users (the callout service does). */
  boolean skips(String user) {
    return user != null && options.authUsers().contains(user);
  }

  /** Whether a client that logged in to {@code account} goes to the callout all the same. */
  boolean delegates(String account) {
    return account == null || account.equals("$G") || options.allowedAccounts().isEmpty()
        || options.allowedAccounts().contains(account);
  }

  @Override
  public String account() {
    return options.account();
  }

  @Override
  public String requestSubject() {
    return options.issuer();
  }

  @Override
  public String xkey() {
    return options.xkey();
  }

  @Override
  public void checkResponse(Jwt response, boolean sealed) throws JwtException {
    if (!response.issuer().equals(options.issuer())) {
      throw wrongIssuer(response.issuer());
    }
  }

  @Override
  public Future<String> place(Jwt user, UserClaims claims) {
    if (!user.nats().getString("issuer_account", "").isEmpty()) {
      return Future.failedFuture("error non operator mode account \"" + options.account()
          + "\": attempted to use issuer_account");
    }
    if (!user.issuer().equals(options.issuer())) {
      return Future.failedFuture(wrongIssuer(user.issuer()).getMessage());
    }
    String placement = user.claims().getString("aud", "");
    return accountExists.test(placement) ? Future.succeededFuture(placement)
        : Future.failedFuture("no valid account \"" + placement + "\" for auth callout response on account \""
            + options.account() + "\": account not found");
  }

  private JwtException wrongIssuer(String got) {
    return new JwtException("wrong issuer for auth callout response on account \"" + options.account()
        + "\", expected \"" + options.issuer() + "\" got \"" + got + "\"");
  }
}
