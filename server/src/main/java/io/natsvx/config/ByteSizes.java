package io.natsvx.config;

import java.util.Locale;

/**
 * nats-server's integer syntax with size suffixes (conf/parse.go): a decimal number followed by
 * K, M, G, T, P or E for powers of 1000, or KB/KI/KIB… for powers of 1024, any case, so
 * {@code 1K} = 1000 and {@code 1KB} = 1024. Used for unquoted numbers in nats.conf and for size
 * strings such as "1MB" in YAML. Stateless.
 */
public final class ByteSizes {

  private ByteSizes() {}

  /**
   * Parses {@code text} such as "4096", "-1", "64KB", "1m".
   *
   * @throws IllegalArgumentException with a message fit for a config error
   */
  public static long parse(String text) {
    String t = text.trim();
    int digitsEnd = 0;
    while (digitsEnd < t.length()
        && (Character.isDigit(t.charAt(digitsEnd)) || (digitsEnd == 0 && t.charAt(0) == '-'))) {
      digitsEnd++;
    }
    if (digitsEnd == 0 || (digitsEnd == 1 && t.charAt(0) == '-')) {
      throw new IllegalArgumentException("expected integer, but got '" + text + "'");
    }
    long number;
    try {
      number = Long.parseLong(t.substring(0, digitsEnd));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("integer '" + text + "' is out of the range");
    }
    long multiplier = multiplier(t.substring(digitsEnd).trim().toLowerCase(Locale.ROOT), text);
    try {
      return Math.multiplyExact(number, multiplier);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("integer '" + text + "' is out of the range");
    }
  }

  /** True if {@code text} looks like a number with an optional size suffix. */
  public static boolean looksLikeSize(String text) {
    try {
      parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static long multiplier(String suffix, String text) {
    if (suffix.isEmpty()) {
      return 1;
    }
    int power = "kmgtpe".indexOf(suffix.charAt(0)) + 1;
    String rest = suffix.substring(1);
    if (power == 0) {
      throw new IllegalArgumentException("invalid size suffix in '" + text
          + "' (use K, M, G, T, P, E for powers of 1000, KB, MB, GB… for powers of 1024)");
    }
    long base;
    if (rest.isEmpty()) {
      base = 1000;
    } else if (rest.equals("b") || rest.equals("i") || rest.equals("ib")) {
      base = 1024;
    } else {
      throw new IllegalArgumentException("invalid size suffix in '" + text
          + "' (use K, M, G, T, P, E for powers of 1000, KB, MB, GB… for powers of 1024)");
    }
    long m = 1;
    for (int i = 0; i < power; i++) {
      m *= base;
    }
    return m;
  }
}
