package io.natsvx.jetstream.stream;

import java.nio.charset.StandardCharsets;

/**
 * Reads and sets one header of a NATS header block ({@code NATS/1.0\r\nName: value\r\n...\r\n\r\n}),
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

  /** The block with {@code name} set to {@code value}: any line of that name replaced, a block made if none. */
  public static byte[] set(byte[] block, String name, String value) {
    StringBuilder out = new StringBuilder();
    if (block == null || block.length == 0) {
      out.append("NATS/1.0\r\n");
    } else {
      String text = new String(block, StandardCharsets.UTF_8);
      String[] lines = text.split("\r\n", -1);
      out.append(lines[0]).append("\r\n");
      for (int i = 1; i < lines.length; i++) {
        String line = lines[i];
        int colon = line.indexOf(':');
        if (line.isEmpty() || (colon == name.length() && line.startsWith(name))) {
          continue;
        }
        out.append(line).append("\r\n");
      }
    }
    return out.append(name).append(": ").append(value).append("\r\n\r\n").toString()
        .getBytes(StandardCharsets.UTF_8);
  }
}
