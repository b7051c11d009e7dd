package io.natsvx.config;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Go's duration syntax (time.ParseDuration / Duration.String), which nats-server uses for
 * ping_interval, write_deadline, lame_duck_duration…: "300ms", "10s", "2m", "1h30m", "1.5h",
 * "-5s"; units ns, us (µs), ms, s, m, h. Stateless.
 */
public final class GoDuration {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private GoDuration() {}

  /**
   * Parses a Go duration.
   *
   * @throws IllegalArgumentException with Go's message, e.g. {@code time: invalid duration "x"}
   */
  public static Duration parse(String s) {
    String orig = s;
    int i = 0;
    boolean negative = false;
    if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
      negative = s.charAt(i) == '-';
      i++;
    }
    if (s.substring(i).equals("0")) {
      return Duration.ZERO;
    }
    if (i == s.length()) {
      throw invalid(orig);
    }
    BigDecimal totalNanos = BigDecimal.ZERO;
    while (i < s.length()) {
      int numberStart = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      String number = s.substring(numberStart, i);
      if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
        throw invalid(orig);
      }
      int unitStart = i;
      while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
        i++;
      }
      String unit = s.substring(unitStart, i);
      if (unit.isEmpty()) {
        throw new IllegalArgumentException("time: missing unit in duration \"" + orig + "\"");
      }
      long unitNanos = unitNanos(unit, orig);
      totalNanos = totalNanos.add(new BigDecimal(number).multiply(BigDecimal.valueOf(unitNanos)));
    }
    // Go keeps whole nanoseconds in an int64 and rejects anything larger.
    if (totalNanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw invalid(orig);
    }
    long nanos = totalNanos.longValue();
    return Duration.ofNanos(negative ? -nanos : nanos);
  }

  /** Formats like Go's Duration.String(): "2m0s", "10s", "1h30m0s", "500ms", "0s". */
  public static String format(Duration d) {
    long nanos;
    try {
      nanos = d.toNanos();
    } catch (ArithmeticException e) {
      return d.toString();
    }
    if (nanos == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    if (nanos < 0) {
      sb.append('-');
      nanos = -nanos;
    }
    if (nanos < NANOS_PER_SECOND) {
      if (nanos < 1_000) {
        return sb.append(nanos).append("ns").toString();
      } else if (nanos < 1_000_000) {
        return sb.append(fraction(nanos, 1_000)).append("µs").toString();
      }
      return sb.append(fraction(nanos, 1_000_000)).append("ms").toString();
    }
    long hours = nanos / (3600 * NANOS_PER_SECOND);
    nanos -= hours * 3600 * NANOS_PER_SECOND;
    long minutes = nanos / (60 * NANOS_PER_SECOND);
    nanos -= minutes * 60 * NANOS_PER_SECOND;
    if (hours > 0) {
      sb.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      sb.append(minutes).append('m');
    }
    return sb.append(fraction(nanos, NANOS_PER_SECOND)).append('s').toString();
  }

  private static String fraction(long value, long unit) {
    BigDecimal v = BigDecimal.valueOf(value).divide(BigDecimal.valueOf(unit));
    return v.stripTrailingZeros().toPlainString();
  }

  private static long unitNanos(String unit, String orig) {
    switch (unit) {
      case "ns":
        return 1;
      case "us":
      case "µs": // U+00B5
      case "μs": // U+03BC
        return 1_000;
      case "ms":
        return 1_000_000;
      case "s":
        return NANOS_PER_SECOND;
      case "m":
        return 60 * NANOS_PER_SECOND;
      case "h":
        return 3600 * NANOS_PER_SECOND;
      default:
        throw new IllegalArgumentException("time: unknown unit \"" + unit + "\" in duration \""
            + orig + "\"");
    }
  }

  private static IllegalArgumentException invalid(String orig) {
    return new IllegalArgumentException("time: invalid duration \"" + orig + "\"");
  }
}
