package io.natsvx.conn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsvx.subject.MatchResult;
import io.natsvx.subject.SubjectIndex;
import io.natsvx.subject.SubjectKey;
import io.natsvx.subject.Subscription;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one queue pick and dispatch rule: local members first, a link's only when none took it. */
class DispatchTest {

  private static final MsgFrame FRAME = new MsgFrame();
  private static final SubjectKey SUBJECT = SubjectKey.of("jobs");

  /** A producer that delivers nowhere: the receivers below only count. */
  private static final class Quiet extends Producer {
    Quiet() {
      super(null, 0);
    }
  }

  /** A local subscriber that takes or refuses what it is given, and counts. */
  private static final class Local implements Receiver {
    final boolean takes;
    int got;

    Local(boolean takes) {
      this.takes = takes;
    }

    @Override
    public long id() {
      return 1;
    }

    @Override
    public boolean receive(Producer producer, MsgFrame frame, Subscription sub, SubjectKey subject) {
      got++;
      return takes;
    }
  }

  /** A link: joins the fan-out like a route, and counts what it is asked to forward. */
  private static final class FakeLink implements Link {
    final List<String> forwarded = new ArrayList<>();

    @Override
    public long id() {
      return 2;
    }

    @Override
    public Role role() {
      return Role.ROUTE;
    }

    @Override
    public boolean accepts(Link from) {
      return from == null;
    }

    @Override
    public boolean forward(Producer producer, byte[] account, MsgFrame frame, String[] queues, int queueCount) {
      forwarded.add(queueCount == 0 ? "plain" : String.join(",", java.util.Arrays.copyOf(queues, queueCount)));
      return true;
    }
  }

  private static Subscription member(Receiver owner, String queue) {
    return new Subscription(owner, "jobs", queue, "s" + System.identityHashCode(owner));
  }

  @Test
  void aLocalMemberIsPreferredWhateverTheRandomStart() {
    for (int round = 0; round < 200; round++) {
      Local local = new Local(true);
      FakeLink link = new FakeLink();
      Subscription[] group = {member(link, "q"), member(local, "q"), member(new FakeLink(), "q")};
      Quiet p = new Quiet();
      assertTrue(Dispatch.pickOne(p, group, FRAME, SUBJECT, true));
      assertEquals(1, local.got);
      assertFalse(p.hasFanout(), "no link is asked while a local member takes it");
    }
  }

  @Test
  void oneLocalMemberGetsItAndTheRestNothing() {
    for (int round = 0; round < 100; round++) {
      Local a = new Local(true);
      Local b = new Local(true);
      Local c = new Local(true);
      assertTrue(Dispatch.pickOne(new Quiet(), new Subscription[] {member(a, "q"), member(b, "q"), member(c, "q")},
          FRAME, SUBJECT, true));
      assertEquals(1, a.got + b.got + c.got);
    }
  }

  @Test
  void theNextLocalMemberIsTriedWhenOneRefusesThenALink() {
    Local refuses = new Local(false);
    Local alsoRefuses = new Local(false);
    FakeLink link = new FakeLink();
    Quiet p = new Quiet();
    assertTrue(Dispatch.pickOne(p, new Subscription[] {member(refuses, "q"), member(link, "q"),
        member(alsoRefuses, "q")}, FRAME, SUBJECT, true));
    assertEquals(1, refuses.got);
    assertEquals(1, alsoRefuses.got);
    assertTrue(p.hasFanout(), "no local member took it: the link's side gets it");
    p.fanout().send(p, new byte[0], FRAME);
    assertEquals(List.of("q"), link.forwarded, "forwarded once, naming the group");
  }

  @Test
  void aMessageFromALinkNeverGoesToAnotherLink() {
    FakeLink link = new FakeLink();
    Local refuses = new Local(false);
    Quiet p = new Quiet();
    assertFalse(Dispatch.pickOne(p, new Subscription[] {member(link, "q"), member(refuses, "q")}, FRAME, SUBJECT,
        false));
    assertFalse(p.hasFanout());
  }

  @Test
  void closedMembersAreSkipped() {
    Local closed = new Local(true);
    Local open = new Local(true);
    Subscription gone = member(closed, "q");
    gone.close();
    for (int round = 0; round < 50; round++) {
      assertTrue(Dispatch.pickOne(new Quiet(), new Subscription[] {gone, member(open, "q")}, FRAME, SUBJECT, true));
    }
    assertEquals(0, closed.got);
    assertEquals(50, open.got);
  }

  @Test
  void dispatchSendsEachLinkOnceAndOnlyTheNamedGroups() {
    SubjectIndex index = new SubjectIndex();
    FakeLink link = new FakeLink();
    Local plain = new Local(true);
    Local worker = new Local(true);
    Local other = new Local(true);
    index.insert(new Subscription(plain, "jobs", null, "1"));
    index.insert(new Subscription(link, "jobs", null, "jobs"));
    index.insert(new Subscription(link, "*", null, "*"));
    index.insert(new Subscription(worker, "jobs", "workers", "2"));
    index.insert(new Subscription(other, "jobs", "others", "3"));
    MatchResult r = index.match("jobs");

    Quiet p = new Quiet();
    assertTrue(Dispatch.deliver(p, new byte[0], r, FRAME, SUBJECT, true, null));
    assertEquals(List.of("plain"), link.forwarded, "two of the link's subscriptions matched: one forward");
    assertEquals(1, plain.got);
    assertEquals(1, worker.got);
    assertEquals(1, other.got);

    link.forwarded.clear();
    assertTrue(Dispatch.deliver(p, new byte[0], r, FRAME, SUBJECT, false, q -> q.equals("workers")));
    assertEquals(List.of(), link.forwarded, "from a link: no link gets it");
    assertEquals(2, plain.got);
    assertEquals(2, worker.got, "the group the sender named");
    assertEquals(1, other.got, "a group it did not name");
  }
}
