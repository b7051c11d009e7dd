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
    assertEquals(new Change("$G", "a", null, 1, true, null), interest.apply("$G", "a", null, true));
    assertNull(interest.apply("$G", "a", null, true), "a second subscriber changes nothing for the links");
    assertNull(interest.apply("$G", "a", null, false));
    assertEquals(new Change("$G", "a", null, 0, false, null), interest.apply("$G", "a", null, false));
    assertNull(interest.apply("$G", "a", null, false), "nothing left to take away");
  }

  @Test
  void everyChangeOfAQueueGroupsSizeIsNewsWithItsWeight() {
    assertEquals(new Change("$G", "q", "w", 1, true, null), interest.apply("$G", "q", "w", true));
    assertEquals(new Change("$G", "q", "w", 2, true, null), interest.apply("$G", "q", "w", true));
    assertEquals(new Change("$G", "q", "w", 1, true, null), interest.apply("$G", "q", "w", false));
    assertEquals(new Change("$G", "q", "w", 0, false, null), interest.apply("$G", "q", "w", false));
  }

  @Test
  void accountsAreCountedApart() {
    interest.apply("A", "x", null, true);
    assertEquals(new Change("B", "x", null, 1, true, null), interest.apply("B", "x", null, true));
    interest.apply("B", "x", "g", true);
    interest.apply("B", "x", "g", true);
    assertEquals(3, interest.all().size());
    assertEquals(List.of(new Change("A", "x", null, 1, true, null)),
        interest.all().stream().filter(c -> c.account().equals("A")).toList());
  }

  @Test
  void aKeyKeepsTheLeafClusterOfItsFirstSubscription() {
    assertEquals(new Change("$G", "x", null, 1, true, "L"), interest.apply("$G", "x", null, true, "L"));
    assertNull(interest.apply("$G", "x", null, true, null));
    assertNull(interest.apply("$G", "x", null, false, "L"));
    assertEquals(new Change("$G", "x", null, 0, false, "L"), interest.apply("$G", "x", null, false, null),
        "the last one gone is told in the words the first was");
  }
}
