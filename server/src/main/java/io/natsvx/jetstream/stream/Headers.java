package io.natsvx.jetstream.stream;

import java.nio.charset.StandardCharsets;

/**
 * Reads one header from a NATS header block ({@code NATS/1.0\r\nName: value\r\n...\r\n\r\n}),
 * matching the name exactly as nats-server's getHeader does. Stateless.
 */
public final class Headers {

  private Headers() {}

  /** The header's value, trimmed, or null when the block does not have it. */
  public static String get(byte[] block, String name) {
    if (block == null || block.length == 0) {
      return null;
    }
    String text = new String(block, StandardCharsets.UTF_8);
    int lineStart = text.indexOf("\r\n");
    while (lineStart >= 0 && lineStart + 2 < text.length()) {
      int start = lineStart + 2;
      int end = text.indexOf("\r\n", start);
      if (end < 0) {
        end = text.length();
      }
      int colon = text.indexOf(':', start);
      if (colon > start && colon < end && text.regionMatches(start, name, 0, name.length())
          && colon - start == name.length()) {
        return text.substring(colon + 1, end).trim();
      }
      lineStart = end;
    }
    return null;
  }
}
