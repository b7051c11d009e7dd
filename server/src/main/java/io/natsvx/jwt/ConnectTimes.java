package io.natsvx.jwt;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * A user token's {@code times} (daily {@code start}-{@code end} windows, "15:04:05" clock times,
 * a window may cross midnight) in {@code times_location} (the server's zone when absent): a
 * client may connect only inside one, and is cut off when the window ends, as nats-server's
 * validateTimes does.
 */
public record ConnectTimes(List<Range> ranges, String location) {

  public record Range(String start, String end) {}

  public ConnectTimes {
    ranges = List.copyOf(ranges);
  }

  /**
   * How long a client connecting at {@code now} may stay: {@link Duration#ZERO} when the token
   * has no windows; the longest time left among the windows it is in otherwise.
   *
   * @throws JwtException when it is in none (or the token's times cannot be read)
   */
  public Duration validFor(ZonedDateTime now) throws JwtException {
    if (ranges.isEmpty()) {
      return Duration.ZERO;
    }
    ZonedDateTime local;
    try {
      local = location == null || location.isEmpty() ? now : now.withZoneSameInstant(ZoneId.of(location));
    } catch (DateTimeException e) {
      throw new JwtException("unknown times_location " + location);
    }
    Duration best = null;
    for (Range r : ranges) {
      ZonedDateTime start;
      ZonedDateTime end;
      try {
        start = local.with(LocalTime.parse(r.start()));
        end = local.with(LocalTime.parse(r.end()));
      } catch (DateTimeParseException e) {
        throw new JwtException("bad time range " + r.start() + "-" + r.end());
      }
      Duration left = null;
      if (start.isBefore(local) && end.isAfter(local)) {
        left = Duration.between(local, end);
      } else if (start.isAfter(end)) {
        if (end.isAfter(local)) {
          left = Duration.between(local, end);
        } else if (start.isBefore(local) && end.plusDays(1).isAfter(local)) {
          left = Duration.between(local, end.plusDays(1));
        }
      }
      if (left != null && (best == null || left.compareTo(best) > 0)) {
        best = left;
      }
    }
    if (best == null) {
      throw new JwtException("outside connect times");
    }
    return best;
  }
}
