package io.natsvx.config;

/**
 * Go's {@code %q} (strconv.Quote) for the values nats-server quotes in its messages, so that
 * natsvx's messages read the same: double quotes, backslash escapes for quotes, backslashes and
 * control characters. Stateless.
 */
final class GoQuote {

  private GoQuote() {}

  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    s.codePoints().forEach(c -> {
      switch (c) {
        case '"': sb.append("\\\""); break;
        case '\\': sb.append("\\\\"); break;
        case '\n': sb.append("\\n"); break;
        case '\r': sb.append("\\r"); break;
        case '\t': sb.append("\\t"); break;
        case '\f': sb.append("\\f"); break;
        case 0x0B: sb.append("\\v"); break;
        case 0x07: sb.append("\\a"); break;
        case '\b': sb.append("\\b"); break;
        default:
          if (c < 0x20 || c == 0x7F) {
            sb.append(String.format("\\x%02x", c));
          } else {
            sb.appendCodePoint(c);
          }
      }
    });
    return sb.append('"').toString();
  }
}
