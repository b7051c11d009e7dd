package io.natsvx.config;

import java.util.List;

/**
 * nats-server 2.10's {@code authorization { auth_callout { issuer, account, auth_users,
 * allowed_accounts } }}: clients other than the {@code auth_users} are authorized by a service
 * that answers {@code $SYS.REQ.USER.AUTH} in {@code account} with a response signed by
 * {@code issuer}; with {@code xkey} (the service's curve public key) requests are sealed for it
 * and responses may come sealed. Immutable.
 */
public record AuthCalloutOptions(String issuer, String account, List<String> authUsers, List<String> allowedAccounts,
    String xkey) {

  public static final String SUBJECT = "$SYS.REQ.USER.AUTH";

  public AuthCalloutOptions {
    authUsers = List.copyOf(authUsers);
    allowedAccounts = List.copyOf(allowedAccounts);
  }
}
