package io.natsvx.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A user token's connect-time windows, as nats-server's validateTimes reads them. */
class ConnectTimesTest {

  private static final ZonedDateTime NOON_UTC = ZonedDateTime.of(2026, 11, 21, 12, 0, 0, 0, ZoneId.of("UTC"));

  private static ConnectTimes times(String location, String... startEnd) {
    List<ConnectTimes.Range> ranges = new java.util.ArrayList<>();
    for (int i = 0; i < startEnd.length; i += 2) {
      ranges.add(new ConnectTimes.Range(startEnd[i], startEnd[i + 1]));
    }
    return new ConnectTimes(ranges, location);
  }

  @Test
  void noWindowsMeansAnyTime() throws Exception {
    assertEquals(Duration.ZERO, times("").validFor(NOON_UTC));
  }

  @Test
  void insideAWindowLastsUntilItsEnd() throws Exception {
    assertEquals(Duration.ofHours(5), times("UTC", "08:00:00", "17:00:00").validFor(NOON_UTC));
    assertEquals(Duration.ofHours(8), times("UTC", "08:00:00", "13:00:00", "11:00:00", "20:00:00").validFor(NOON_UTC),
        "the window that lasts longest wins");
  }

  @Test
  void windowsMayCrossMidnight() throws Exception {
    ConnectTimes night = times("UTC", "22:00:00", "06:00:00");
    assertEquals(Duration.ofHours(1), night.validFor(NOON_UTC.withHour(5)));
    assertEquals(Duration.ofMinutes(390), night.validFor(NOON_UTC.withHour(23).withMinute(30)));
    assertEquals("outside connect times", assertThrows(JwtException.class, () -> night.validFor(NOON_UTC)).getMessage());
  }

  @Test
  void theLocationShiftsTheClock() throws Exception {
    // 12:00 UTC is 13:00 in Berlin in November
    assertEquals(Duration.ofHours(1), times("Europe/Berlin", "08:00:00", "14:00:00").validFor(NOON_UTC));
    assertThrows(JwtException.class, () -> times("Europe/Berlin", "08:00:00", "12:30:00").validFor(NOON_UTC));
    assertThrows(JwtException.class, () -> times("Mars/Olympus", "08:00:00", "14:00:00").validFor(NOON_UTC));
  }
}
