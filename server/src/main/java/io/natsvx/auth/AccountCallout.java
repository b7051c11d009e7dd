package io.natsvx.auth;

import io.natsvx.auth.AccountClaims;
import io.natsvx.jwt.Jwt;
import io.natsvx.jwt.JwtException;
import io.natsvx.auth.UserClaims;
import io.vertx.core.Future;
import java.util.function.Consumer;

/**
 * The auth callout an account token asks for (operator mode, its {@code authorization}): the
 * service listens in that account, signs with the account's key or one of its signing keys, and
 * may place users in the account itself or in one of its {@code allowed_accounts}, whose token
 * must trust the user token's signer. Immutable.
 */
final class AccountCallout implements CalloutPolicy {

  private final AccountClaims account;
  private final AccountTokens tokens;
  private final Consumer<AccountClaims> register;

  AccountCallout(AccountClaims account, AccountTokens tokens, Consumer<AccountClaims> register) {
    this.account = account;
    this.tokens = tokens;
    this.register = register;
  }

  @Override
  public String account() {
    return account.accountKey();
  }

  @Override
  public String requestSubject() {
    return account.accountKey();
  }

  @Override
  public String xkey() {
    return account.externalAuth().xkey();
  }

  @Override
  public void checkResponse(Jwt response, boolean sealed) throws JwtException {
    if (sealed) {
      return; // only the holder of the account's curve key could have sealed it
    }
    String signer = response.nats().getString("issuer_account", "");
    signer = signer.isEmpty() ? response.issuer() : signer;
    if (!account.trusts(signer)) {
      throw new JwtException("auth callout signing key is unknown");
    }
  }

  @Override
  public Future<String> place(Jwt user, UserClaims claims) {
    String target = claims.account();
    if (!target.equals(account.accountKey()) && !account.externalAuth().allows(target)) {
      return Future.failedFuture("account \"" + user.issuer() + "\" not permitted as valid account option for auth "
          + "callout for account \"" + account.accountKey() + "\"");
    }
    Future<AccountClaims> claimsOfTarget = target.equals(account.accountKey()) ? Future.succeededFuture(account)
        : tokens.fetch(target);
    return claimsOfTarget
        .recover(e -> Future.failedFuture("no valid account \"" + target + "\" for auth callout response on account \""
            + account.accountKey() + "\": " + e.getMessage()))
        .compose(t -> {
          if (!t.trusts(user.issuer())) {
            return Future.failedFuture("user JWT issuer \"" + user.issuer() + "\" is not known");
          }
          register.accept(t);
          return Future.succeededFuture(t.accountKey());
        });
  }
}
