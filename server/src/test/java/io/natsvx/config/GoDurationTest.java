package io.natsvx.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoDurationTest {

  @ParameterizedTest
  @CsvSource({"0, 0", "10s, 10000000000", "2m, 120000000000", "1h30m, 5400000000000",
      "1.5h, 5400000000000", "500ms, 500000000", "3us, 3000", "3µs, 3000", "7ns, 7",
      "-5s, -5000000000", "+1s, 1000000000", "1m0.5s, 60500000000", ".5s, 500000000"})
  void parses(String text, long nanos) {
    assertEquals(Duration.ofNanos(nanos), GoDuration.parse(text));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "abc | time: invalid duration \"abc\"",
      "'' | time: invalid duration \"\"",
      "5 | time: missing unit in duration \"5\"",
      "5d | time: unknown unit \"d\" in duration \"5d\"",
      "1..5s | time: invalid duration \"1..5s\""})
  void rejectsLikeGo(String text, String message) {
    assertEquals(message, assertThrows(IllegalArgumentException.class,
        () -> GoDuration.parse(text)).getMessage());
  }

  @ParameterizedTest
  @CsvSource({"0, 0s", "10000000000, 10s", "120000000000, 2m0s", "5400000000000, 1h30m0s",
      "1500000000, 1.5s", "500000000, 500ms", "3000, 3µs", "7, 7ns", "-60000000000, -1m0s"})
  void formatsLikeGo(long nanos, String text) {
    assertEquals(text, GoDuration.format(Duration.ofNanos(nanos)));
  }

  @ParameterizedTest
  @CsvSource({"1024, 1024", "1K, 1000", "1 KB, 1024", "2mib, 2097152", "-3, -3"})
  void byteSizes(String text, long expected) {
    assertEquals(expected, ByteSizes.parse(text));
  }

  @ParameterizedTest
  @CsvSource({"MB", "1.5MB", "1XB", "1kbb", "-", "99999999999E"})
  void badByteSizes(String text) {
    assertThrows(IllegalArgumentException.class, () -> ByteSizes.parse(text));
  }
}
