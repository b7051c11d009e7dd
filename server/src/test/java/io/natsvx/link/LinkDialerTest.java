package io.natsvx.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The redial schedule: one second apart, or doubling from one second to thirty with the backoff. */
class LinkDialerTest {

  @Test
  void withoutBackoffEveryTryWaitsOneSecond() {
    LinkDialer.Retry retry = new LinkDialer.Retry(true, 0, false);
    for (int attempt = 1; attempt <= 10; attempt++) {
      assertEquals(1000, LinkDialer.delay(retry, attempt));
    }
  }

  @Test
  void theBackoffDoublesUpToThirtySeconds() {
    LinkDialer.Retry retry = new LinkDialer.Retry(true, 0, true);
    long[] expected = {1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};
    for (int attempt = 1; attempt <= expected.length; attempt++) {
      assertEquals(expected[attempt - 1], LinkDialer.delay(retry, attempt), "attempt " + attempt);
    }
  }
}
