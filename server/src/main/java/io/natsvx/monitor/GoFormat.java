package io.natsvx.monitor;

import io.natsvx.config.GoDuration;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/** Times and durations as nats-server's JSON shows them. Stateless. */
public final class GoFormat {

  private GoFormat() {}

  /** RFC 3339 with nanoseconds, UTC. */
  public static String time(long epochMillis) {
    return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(epochMillis));
  }

  public static String now() {
    return DateTimeFormatter.ISO_INSTANT.format(Instant.now());
  }

  /** Go's Duration.String(): "274µs", "1.5s", "2m0s". */
  public static String duration(Duration d) {
    return GoDuration.format(d);
  }

  /** nats-server's uptime: whole seconds as "1d2h3m4s", leading zero units left out. */
  public static String uptime(Duration d) {
    long secs = d.getSeconds();
    long mins = secs / 60;
    long hrs = mins / 60;
    long days = hrs / 24;
    long years = days / 365;
    if (years > 0) {
      return years + "y" + days % 365 + "d" + hrs % 24 + "h" + mins % 60 + "m" + secs % 60 + "s";
    }
    if (days > 0) {
      return days + "d" + hrs % 24 + "h" + mins % 60 + "m" + secs % 60 + "s";
    }
    if (hrs > 0) {
      return hrs + "h" + mins % 60 + "m" + secs % 60 + "s";
    }
    if (mins > 0) {
      return mins + "m" + secs % 60 + "s";
    }
    return secs + "s";
  }
}
