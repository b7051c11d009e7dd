package io.natsvx.jetstream.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every stream store does, memory or Xodus: run by one subclass each. */
abstract class StreamStoreContractTest {

  protected StreamStore store;

  protected abstract StreamStore open();

  @BeforeEach
  void openStore() {
    store = open();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  static StreamStore.Append msg(String subject, String data, long ts) {
    return new StreamStore.Append(subject, new byte[0], data.getBytes(StandardCharsets.UTF_8), ts);
  }

  static String text(StoredMessage m) {
    return new String(m.data(), StandardCharsets.UTF_8);
  }

  private long[] append(StoreLimits limits, StreamStore.Append... burst) {
    return store.append(List.of(burst), limits);
  }

  @Test
  void sequencesStartAtOneAndTheStateCounts() {
    assertEquals(new StreamState(0, 0, 0, 0, 0, 0, 0, 0), store.state(), "never used: first and last 0");
    byte[] hdr = "NATS/1.0\r\nA: b\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    long[] seqs = store.append(List.of(new StreamStore.Append("a.1", hdr, "x".getBytes(StandardCharsets.UTF_8), 100),
        msg("a.2", "yy", 200), msg("a.1", "zzz", 300)), StoreLimits.NONE);
    assertArrayEquals(new long[] {1, 2, 3}, seqs);
    StoredMessage first = store.load(1);
    assertEquals("a.1", first.subject());
    assertArrayEquals(hdr, first.headers());
    assertEquals("x", text(first));
    assertEquals(100, first.timestampNanos());
    StreamState s = store.state();
    assertEquals(3, s.msgs());
    assertEquals(first.size() + store.load(2).size() + store.load(3).size(), s.bytes());
    assertEquals(1, s.firstSeq());
    assertEquals(100, s.firstTimestampNanos());
    assertEquals(3, s.lastSeq());
    assertEquals(300, s.lastTimestampNanos());
    assertEquals(2, s.numSubjects());
    assertEquals(2, store.subjectCount("a.1"));
    assertNull(store.load(4));
  }

  @Test
  void aSkippedSequenceIsGivenToNoMessage() {
    assertArrayEquals(new long[] {1, 2}, append(StoreLimits.NONE, StreamStore.Append.skip(10), StreamStore.Append.skip(20)));
    StreamState empty = store.state();
    assertEquals(0, empty.msgs());
    assertEquals(3, empty.firstSeq(), "nothing stored: the first is past the last, as after a purge");
    assertEquals(2, empty.lastSeq());
    assertArrayEquals(new long[] {3, 4, 5}, append(StoreLimits.NONE, msg("a", "x", 30), StreamStore.Append.skip(40),
        msg("a", "y", 50)));
    assertEquals(List.of(4L), store.deleted());
    assertNull(store.load(4));
    assertEquals("y", text(store.load(5)));
    assertEquals(5, store.seqAtTime(41), "the first message stored at or after a time");
    assertEquals(3, store.seqAtTime(0));
    assertEquals(0, store.seqAtTime(51));
  }

  @Test
  void lastBySubjectAndNextByFilter() {
    append(StoreLimits.NONE, msg("kv.a", "1", 1), msg("kv.b", "2", 2), msg("kv.a", "3", 3), msg("other", "4", 4));
    assertEquals(3, store.loadLast("kv.a").seq());
    assertNull(store.loadLast("kv.c"));
    assertEquals(2, store.loadNext(2, "kv.*").seq());
    assertEquals(3, store.loadNext(3, "kv.>").seq());
    assertEquals(4, store.loadNext(4, null).seq());
    assertNull(store.loadNext(4, "kv.*"));
  }

  @Test
  void batchesReadInOrderWithinTheFilterAndTheMax() {
    append(StoreLimits.NONE, msg("a.1", "1", 1), msg("b.1", "2", 2), msg("a.2", "3", 3), msg("a.3", "4", 4));
    store.remove(3, false);
    assertEquals(List.of(1L, 4L), store.loadBatch(1, "a.*", 10).stream().map(StoredMessage::seq).toList());
    assertEquals(List.of(2L), store.loadBatch(2, null, 1).stream().map(StoredMessage::seq).toList());
    assertEquals("4", text(store.loadBatch(4, null, 5).get(0)));
    assertTrue(store.loadBatch(5, null, 5).isEmpty());
    assertTrue(store.contains(4));
    assertFalse(store.contains(3));
  }

  @Test
  void removingLeavesAGapAndMovesTheFirst() {
    append(StoreLimits.NONE, msg("a", "1", 1), msg("b", "2", 2), msg("a", "3", 3));
    assertTrue(store.remove(2, false));
    assertFalse(store.remove(2, false));
    assertEquals(1, store.state().numDeleted());
    assertEquals(1, store.state().numSubjects());
    assertTrue(store.remove(1, true));
    assertEquals(3, store.state().firstSeq());
    assertEquals(0, store.state().numDeleted());
    assertEquals(3, store.loadNext(1, null).seq());
  }

  @Test
  void limitsDropTheOldest() {
    append(new StoreLimits(3, 0, 0), msg("a", "1", 1), msg("a", "2", 2), msg("a", "3", 3), msg("a", "4", 4));
    assertEquals(2, store.state().firstSeq());
    assertEquals(3, store.state().msgs());
    append(new StoreLimits(0, 0, 1), msg("k.x", "5", 5), msg("k.y", "6", 6), msg("k.x", "7", 7));
    assertEquals(1, store.subjectCount("k.x"));
    assertEquals("7", text(store.loadLast("k.x")));
    assertNull(store.load(5));
    long size = store.load(7).size();
    append(new StoreLimits(0, size * 2, 0), msg("z", "8", 8));
    assertEquals(2, store.state().msgs(), "bytes limit: the two newest of equal size");
  }

  @Test
  void purgeBySubjectSequenceAndKeep() {
    List<StreamStore.Append> burst = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      burst.add(msg(i % 2 == 0 ? "even" : "odd", Integer.toString(i), i));
    }
    store.append(burst, StoreLimits.NONE);
    assertEquals(2, store.purge("even", 5, 0), "2 and 4, below 5");
    assertEquals(2, store.purge("odd", 0, 3), "keep the newest three odd");
    assertEquals(List.of(5L, 6L, 7L, 8L, 9L, 10L), seqs());
    assertEquals(6, store.purge(null, 0, 0));
    StreamState s = store.state();
    assertEquals(0, s.msgs());
    assertEquals(11, s.firstSeq(), "after a full purge the first sequence is one past the last");
    assertEquals(10, s.lastSeq());
    assertArrayEquals(new long[] {11}, append(StoreLimits.NONE, msg("a", "11", 11)));
  }

  @Test
  void expiryDropsOldMessages() {
    append(StoreLimits.NONE, msg("a", "1", 10), msg("a", "2", 20), msg("a", "3", 30));
    assertEquals(2, store.expire(25));
    assertEquals(3, store.state().firstSeq());
  }

  private List<Long> seqs() {
    List<Long> out = new ArrayList<>();
    for (StoredMessage m = store.loadNext(1, null); m != null; m = store.loadNext(m.seq() + 1, null)) {
      out.add(m.seq());
    }
    return out;
  }

  /** Counts over a range, and whether a removal since a mark fell into one (a consumer's pending count). */
  @Test
  void countsRangesAndTellsWhichRemovalsHitThem() {
    StoreLimits limits = new StoreLimits(5, 0, 0);
    for (int i = 1; i <= 5; i++) {
      append(limits, msg(i % 2 == 0 ? "x.even" : "x.odd", "m" + i, i));
    }
    assertEquals(5, store.count(1, 5, null));
    assertEquals(3, store.count(1, 5, "x.odd"));
    assertEquals(3, store.count(2, 4, "x.*"));
    assertEquals(1, store.count(2, 4, "x.odd"));
    assertEquals(1, store.count(4, 100, "x.even"), "past the end counts what is there");
    long mark = store.removalMark();
    store.remove(2, false);
    assertFalse(store.removedSince(mark, 3, 5), "a removal below the range");
    assertTrue(store.removedSince(mark, 1, 5));
    assertEquals(1, store.count(1, 5, "x.even"));
    mark = store.removalMark();
    append(limits, msg("x.even", "m6", 6), msg("x.odd", "m7", 7));
    assertTrue(store.removedSince(mark, 1, 1), "the limit dropped the oldest");
    assertEquals(2, store.count(1, 7, "x.even"));
    mark = store.removalMark();
    store.purge(null, 0, 0);
    assertTrue(store.removedSince(mark, 6, 7));
    assertEquals(0, store.count(1, 100, null));
  }
}
