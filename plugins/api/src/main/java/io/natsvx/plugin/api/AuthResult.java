package io.natsvx.plugin.api;

/**
 * An authenticator's answer. {@link #deny()} refuses the client ({@code -ERR 'Authorization
 * Violation'}); {@link #allow} names the user, optionally its account (null: the global account)
 * and permissions (null: unrestricted).
 */
public record AuthResult(boolean ok, String user, String account, Permissions permissions) {

  private static final AuthResult DENIED = new AuthResult(false, null, null, null);

  public static AuthResult deny() {
    return DENIED;
  }

  public static AuthResult allow(String user) {
    return new AuthResult(true, user, null, null);
  }

  public static AuthResult allow(String user, String account, Permissions permissions) {
    return new AuthResult(true, user, account, permissions);
  }
}
