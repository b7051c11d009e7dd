package io.natsvx.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.natsvx.link.LocalInterest.Change;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which local subscription changes other servers hear of (nats-server's route subscription map). */
class LocalInterestTest {

  private final LocalInterest interest = new LocalInterest();

  @Test
  void aSubjectIsNewsOnlyForItsFirstAndLastPlainSubscriber() {
    assertEquals(new Change("$G", "a", null, 1, true), interest.apply("$G", "a", null, true));
    assertNull(interest.apply("$G", "a", null, true), "a second subscriber changes nothing for the links");
    assertNull(interest.apply("$G", "a", null, false));
    assertEquals(new Change("$G", "a", null, 0, false), interest.apply("$G", "a", null, false));
    assertNull(interest.apply("$G", "a", null, false), "nothing left to take away");
  }

  @Test
  void everyChangeOfAQueueGroupsSizeIsNewsWithItsWeight() {
    assertEquals(new Change("$G", "q", "w", 1, true), interest.apply("$G", "q", "w", true));
    assertEquals(new Change("$G", "q", "w", 2, true), interest.apply("$G", "q", "w", true));
    assertEquals(new Change("$G", "q", "w", 1, true), interest.apply("$G", "q", "w", false));
    assertEquals(new Change("$G", "q", "w", 0, false), interest.apply("$G", "q", "w", false));
  }

  @Test
  void accountsAreCountedApart() {
    interest.apply("A", "x", null, true);
    assertEquals(new Change("B", "x", null, 1, true), interest.apply("B", "x", null, true));
    interest.apply("B", "x", "g", true);
    interest.apply("B", "x", "g", true);
    assertEquals(3, interest.all().size());
    assertEquals(List.of(new Change("A", "x", null, 1, true)),
        interest.all().stream().filter(c -> c.account().equals("A")).toList());
  }
}
