package io.natsvx.jwt;

/**
 * The armoured text nsc writes for operator, account and user tokens and for {@code .creds}
 * files: {@code -----BEGIN ... JWT-----} blocks. A bare token passes through unchanged.
 */
public final class Decorated {

  private Decorated() {}

  /** The first token in {@code text}: the body of its first JWT block, or the whole text trimmed. */
  public static String jwt(String text) {
    if (text == null) {
      return null;
    }
    String[] lines = text.split("\\R");
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i].trim();
      if (l.startsWith("-----BEGIN") && l.endsWith("JWT-----")) {
        for (int j = i + 1; j < lines.length; j++) {
          String body = lines[j].trim();
          if (body.startsWith("-----END")) {
            break;
          }
          if (!body.isEmpty()) {
            return body;
          }
        }
      }
    }
    return text.trim();
  }
}
