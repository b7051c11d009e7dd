package io.natsvx.jwt;

/** A token that cannot be trusted: malformed, wrongly signed, of the wrong kind or expired. */
public final class JwtException extends Exception {

  public JwtException(String message) {
    super(message, null, false, false);
  }
}
