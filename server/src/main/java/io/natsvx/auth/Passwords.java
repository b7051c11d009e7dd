package io.natsvx.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Password and token checks as nats-server makes them: a configured value starting with
 * {@code $2a$}, {@code $2b$} or {@code $2y$} is a bcrypt hash, anything else is compared in
 * constant time. bcrypt is slow on purpose: call {@link #check} on a worker when
 * {@link #isBcrypt} says so.
 */
public final class Passwords {

  private Passwords() {}

  public static boolean isBcrypt(String configured) {
    return configured != null && (configured.startsWith("$2a$") || configured.startsWith("$2b$")
        || configured.startsWith("$2y$"));
  }

  public static boolean check(String configured, String given) {
    if (configured == null) {
      return false;
    }
    if (given == null) {
      given = ""; // as nats-server: no password matches an empty one
    }
    if (isBcrypt(configured)) {
      return BCrypt.verifyer().verify(given.toCharArray(), configured.toCharArray()).verified;
    }
    return MessageDigest.isEqual(configured.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }

  /** A bcrypt hash of {@code password} in nats-server's form ($2a$, cost 11 by default). */
  public static String hash(String password, int cost) {
    return BCrypt.with(BCrypt.Version.VERSION_2A).hashToString(cost, password.toCharArray());
  }
}
