package io.natsvx.subject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class SubjectIndexTest {

  private static final Subscriber OWNER = () -> 1;

  private static Subscription sub(String subject) {
    return new Subscription(OWNER, subject, null, subject);
  }

  private static Subscription qsub(String subject, String queue, String sid) {
    return new Subscription(OWNER, subject, queue, sid);
  }

  private static Set<String> plainSids(MatchResult r) {
    Set<String> s = new TreeSet<>();
    for (Subscription x : r.plain()) {
      s.add(x.sid());
    }
    return s;
  }

  @Test
  void literalsAndWildcards() {
    SubjectIndex idx = new SubjectIndex();
    for (String s : List.of("a.b.c", "a.*.c", "a.>", "*.b.*", ">", "a.b", "a.*", "b.>")) {
      idx.insert(sub(s));
    }
    assertEquals(Set.of("a.b.c", "a.*.c", "a.>", "*.b.*", ">"), plainSids(idx.match("a.b.c")));
    assertEquals(Set.of("a.b", "a.*", "a.>", ">"), plainSids(idx.match("a.b")));
    assertEquals(Set.of(">"), plainSids(idx.match("a")));
    assertEquals(Set.of("b.>", ">", "*.b.*"), plainSids(idx.match("b.b.x")));
    assertEquals(8, idx.count());
  }

  @Test
  void fullWildcardNeedsAToken() {
    SubjectIndex idx = new SubjectIndex();
    idx.insert(sub("foo.>"));
    assertTrue(idx.match("foo").isEmpty());
    assertEquals(1, idx.match("foo.bar.baz").plain().length);
  }

  @Test
  void queueGroups() {
    SubjectIndex idx = new SubjectIndex();
    idx.insert(qsub("q.*", "g1", "1"));
    idx.insert(qsub("q.x", "g1", "2"));
    idx.insert(qsub("q.x", "g2", "3"));
    idx.insert(sub("q.x"));
    MatchResult r = idx.match("q.x");
    assertEquals(1, r.plain().length);
    assertEquals(2, r.queues().length);
    int members = Arrays.stream(r.queues()).mapToInt(q -> q.length).sum();
    assertEquals(3, members);
  }

  @Test
  void removeInvalidatesCacheAndPrunes() {
    SubjectIndex idx = new SubjectIndex();
    Subscription a = sub("x.*");
    Subscription b = sub("x.y");
    idx.insert(a);
    idx.insert(b);
    assertEquals(2, idx.match("x.y").plain().length);
    assertTrue(idx.remove(a));
    assertFalse(idx.remove(a));
    assertEquals(1, idx.match("x.y").plain().length);
    assertTrue(idx.remove(b));
    assertTrue(idx.match("x.y").isEmpty());
    assertEquals(0, idx.count());
    assertTrue(idx.all().isEmpty());
  }

  @Test
  void insertAfterCachedMissIsSeen() {
    SubjectIndex idx = new SubjectIndex();
    assertTrue(idx.match("late.subject").isEmpty());
    idx.insert(sub("late.>"));
    assertEquals(1, idx.match("late.subject").plain().length);
  }

  @Test
  void probeKeysHitTheCache() {
    SubjectIndex idx = new SubjectIndex();
    idx.insert(sub("p.q"));
    byte[] buf = "xxp.qyy".getBytes();
    SubjectKey probe = new SubjectKey().set(buf, 2, 3);
    assertEquals(1, idx.match(probe).plain().length);
    buf[2] = 'z'; // the stored key must be a copy
    assertEquals(1, idx.match("p.q").plain().length);
    assertEquals(1, idx.match(new SubjectKey().set("p.q".getBytes(), 0, 3)).plain().length);
  }

  @Test
  void cacheStaysBounded() {
    SubjectIndex idx = new SubjectIndex();
    idx.insert(sub(">"));
    for (int i = 0; i < 5000; i++) {
      idx.match("s." + i);
    }
    assertTrue(idx.cacheSize() <= SubjectIndex.CACHE_MAX + 1, "cache " + idx.cacheSize());
  }

  @Test
  void removeAllInOneGo() {
    SubjectIndex idx = new SubjectIndex();
    List<Subscription> subs = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      subs.add(sub("bulk." + i));
    }
    subs.forEach(idx::insert);
    idx.match("bulk.5");
    assertEquals(100, idx.removeAll(subs));
    assertTrue(idx.match("bulk.5").isEmpty());
  }

  @Test
  void concurrentReadersSeeEveryCompletedWrite() throws Exception {
    SubjectIndex idx = new SubjectIndex();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    AtomicBoolean stop = new AtomicBoolean();
    List<Future<?>> readers = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      readers.add(pool.submit(() -> {
        while (!stop.get()) {
          for (int i = 0; i < 50; i++) {
            idx.match("c." + i + ".x");
          }
        }
      }));
    }
    try {
      for (int round = 0; round < 200; round++) {
        Subscription s = sub("c." + (round % 50) + ".*");
        idx.insert(s);
        assertEquals(1, idx.match("c." + (round % 50) + ".x").plain().length, "after insert " + round);
        idx.remove(s);
        assertTrue(idx.match("c." + (round % 50) + ".x").isEmpty(), "after remove " + round);
      }
    } finally {
      stop.set(true);
      for (Future<?> f : readers) {
        f.get(10, TimeUnit.SECONDS);
      }
      pool.shutdownNow();
    }
  }

  @Test
  void subjectRules() {
    assertTrue(Subjects.isValidSubject("a.b.c"));
    assertTrue(Subjects.isValidSubject("a.*.>"));
    assertTrue(Subjects.isValidSubject("a*b"));
    assertFalse(Subjects.isValidSubject(""));
    assertFalse(Subjects.isValidSubject("a..b"));
    assertFalse(Subjects.isValidSubject(".a"));
    assertFalse(Subjects.isValidSubject("a."));
    assertFalse(Subjects.isValidSubject("a.>.b"));
    assertTrue(Subjects.isValidLiteralSubject("a.b"));
    assertFalse(Subjects.isValidLiteralSubject("a.*"));
    for (String subject : new String[] {"a.b", "a.*", "a..b", "", ".a", "a.", "a.>", "*", "a b", "a*b.c"}) {
      byte[] b = ("xx" + subject + "yy").getBytes();
      assertEquals(Subjects.isValidLiteralSubject(subject), Subjects.isValidLiteralSubject(b, 2, subject.length()), subject);
    }
    assertTrue(Subjects.matches("a.*.c", "a.b.c"));
    assertTrue(Subjects.matches("a.>", "a.b.c"));
    assertFalse(Subjects.matches("a.>", "a"));
    assertFalse(Subjects.matches("a.*", "a.b.c"));
    assertTrue(Subjects.matches(">", "x"));
  }
}
