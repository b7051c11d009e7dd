package io.natsvx.jetstream.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a stream's state needs, per message, in memory: its subject (as a small id), size and
 * time, in dense arrays indexed by sequence (16 bytes a message), plus counts per subject. The
 * bodies live elsewhere (a {@link MessageLog}). Not thread-safe: its store guards it.
 */
final class SeqIndex {

  /** A subject in use: how many messages, and the first and last of them. */
  static final class SubjectState {
    final int id;
    final String subject;
    long count;
    long first;
    long last;

    SubjectState(int id, String subject) {
      this.id = id;
      this.subject = subject;
    }
  }

  private static final int DELETED = -1;

  /** Sequence of slot 0 of the arrays. */
  private long base = 1;
  private int[] subjectIds = new int[64];
  private int[] sizes = new int[64];
  private long[] times = new long[64];
  /** Slots in use: sequences base .. base + used - 1. */
  private int used;

  private long firstSeq = 1;
  private long lastSeq;
  private long msgs;
  private long bytes;
  private final Map<String, SubjectState> subjects = new HashMap<>();
  private final List<SubjectState> byId = new ArrayList<>();
  private final java.util.ArrayDeque<Integer> freeIds = new java.util.ArrayDeque<>();
  private final RemovalLog removals;

  SeqIndex(RemovalLog removals) {
    this.removals = removals;
  }

  long firstSeq() {
    return firstSeq;
  }

  long lastSeq() {
    return lastSeq;
  }

  long msgs() {
    return msgs;
  }

  long bytes() {
    return bytes;
  }

  int subjectsInUse() {
    return subjects.size();
  }

  SubjectState subject(String subject) {
    return subjects.get(subject);
  }

  /** Whether the message is there. */
  boolean has(long seq) {
    return seq >= firstSeq && seq <= lastSeq && sizes[(int) (seq - base)] != DELETED;
  }

  String subjectOf(long seq) {
    return byId.get(subjectIds[(int) (seq - base)]).subject;
  }

  long timeOf(long seq) {
    return times[(int) (seq - base)];
  }

  long sizeOf(long seq) {
    return sizes[(int) (seq - base)];
  }

  /**
   * Moves the last sequence on to {@code last} with no message for the sequences passed: an
   * empty index starts after it (a purge, first_seq), otherwise they count as deleted (deletes
   * at the tail before a restart, a message skipped for lack of interest).
   */
  void skipTo(long last) {
    if (last <= lastSeq) {
      return;
    }
    if (msgs == 0) {
      lastSeq = last;
      firstSeq = last + 1;
      base = firstSeq;
      used = 0;
      return;
    }
    while (lastSeq < last) {
      ensure(used + 1);
      sizes[used++] = DELETED;
      lastSeq++;
    }
  }

  /** Adds the next message; a sequence past the next one (a store reopened with gaps) leaves the gap deleted. */
  void add(long seq, String subject, long size, long timeNanos) {
    if (seq <= lastSeq) {
      throw new IllegalStateException("sequence " + seq + " after " + lastSeq);
    }
    if (msgs == 0) {
      base = seq;
      used = 0;
      firstSeq = seq;
    } else {
      while (lastSeq + 1 < seq) {
        ensure(used + 1);
        sizes[used++] = DELETED;
        lastSeq++;
      }
    }
    ensure(used + 1);
    SubjectState s = subjects.get(subject);
    if (s == null) {
      s = new SubjectState(idFor(), subject);
      subjects.put(subject, s);
      setId(s);
      s.first = seq;
    }
    s.count++;
    s.last = seq;
    subjectIds[used] = s.id;
    sizes[used] = (int) Math.min(Integer.MAX_VALUE, size);
    times[used] = timeNanos;
    used++;
    lastSeq = seq;
    msgs++;
    bytes += size;
  }

  /** Takes a message out; false when it was not there. */
  boolean remove(long seq) {
    if (!has(seq)) {
      return false;
    }
    removals.removed(seq);
    int slot = (int) (seq - base);
    SubjectState s = byId.get(subjectIds[slot]);
    msgs--;
    bytes -= sizes[slot];
    sizes[slot] = DELETED;
    s.count--;
    if (s.count == 0) {
      subjects.remove(s.subject);
      byId.set(s.id, null);
      freeIds.push(s.id);
    } else if (s.first == seq) {
      s.first = next(seq + 1, s.id);
    } else if (s.last == seq) {
      s.last = previous(seq - 1, s.id);
    }
    if (seq == firstSeq) {
      advanceFirst();
    }
    return true;
  }

  /** Live messages in {@code [from, to]} whose subject matches {@code filter} (null: any). */
  long count(long from, long to, String filter) {
    long n = 0;
    int[] verdicts = filter == null ? null : new int[byId.size()]; // 0 unknown, 1 match, 2 not
    for (long q = Math.max(from, firstSeq), end = Math.min(to, lastSeq); q <= end; q++) {
      int slot = (int) (q - base);
      if (sizes[slot] == DELETED) {
        continue;
      }
      if (verdicts != null) {
        int id = subjectIds[slot];
        if (verdicts[id] == 0) {
          verdicts[id] = io.natsvx.subject.Subjects.matches(filter, byId.get(id).subject) ? 1 : 2;
        }
        if (verdicts[id] == 2) {
          continue;
        }
      }
      n++;
    }
    return n;
  }

  /** The newest message on a subject matching {@code filter} (wildcards allowed), or 0. */
  long lastMatching(String filter) {
    if (io.natsvx.subject.Subjects.isLiteral(filter)) {
      SubjectState s = subjects.get(filter);
      return s == null ? 0 : s.last;
    }
    long last = 0;
    for (SubjectState s : subjects.values()) {
      if (s.last > last && io.natsvx.subject.Subjects.matches(filter, s.subject)) {
        last = s.last;
      }
    }
    return last;
  }

  /** Messages per subject in use that matches {@code filter} (wildcards allowed). */
  Map<String, Long> subjectTotals(String filter) {
    Map<String, Long> totals = new java.util.TreeMap<>();
    for (SubjectState s : subjects.values()) {
      if (io.natsvx.subject.Subjects.matches(filter, s.subject)) {
        totals.put(s.subject, s.count);
      }
    }
    return totals;
  }

  /** The deleted sequences between the first and the last, ascending. */
  List<Long> deleted() {
    List<Long> out = new ArrayList<>();
    for (long q = firstSeq; q <= lastSeq; q++) {
      if (sizes[(int) (q - base)] == DELETED) {
        out.add(q);
      }
    }
    return out;
  }

  /** The first live sequence at or after {@code from}, or 0. */
  long nextLive(long from) {
    for (long q = Math.max(from, firstSeq); q <= lastSeq; q++) {
      if (sizes[(int) (q - base)] != DELETED) {
        return q;
      }
    }
    return 0;
  }

  /** The first live sequence at or after {@code from} on subject {@code id}. */
  private long next(long from, int id) {
    for (long q = Math.max(from, firstSeq); q <= lastSeq; q++) {
      int slot = (int) (q - base);
      if (sizes[slot] != DELETED && subjectIds[slot] == id) {
        return q;
      }
    }
    return 0;
  }

  private long previous(long from, int id) {
    for (long q = Math.min(from, lastSeq); q >= firstSeq; q--) {
      int slot = (int) (q - base);
      if (sizes[slot] != DELETED && subjectIds[slot] == id) {
        return q;
      }
    }
    return 0;
  }

  private void advanceFirst() {
    if (msgs == 0) {
      firstSeq = lastSeq + 1;
      base = firstSeq;
      used = 0;
      return;
    }
    long q = firstSeq;
    while (sizes[(int) (q - base)] == DELETED) {
      q++;
    }
    firstSeq = q;
    // Reclaim the front once it is half the arrays: keeps memory to what is live.
    int dead = (int) (firstSeq - base);
    if (dead > 1024 && dead > used / 2) {
      System.arraycopy(subjectIds, dead, subjectIds, 0, used - dead);
      System.arraycopy(sizes, dead, sizes, 0, used - dead);
      System.arraycopy(times, dead, times, 0, used - dead);
      used -= dead;
      base = firstSeq;
    }
  }

  private int idFor() {
    if (!freeIds.isEmpty()) {
      return freeIds.pop();
    }
    byId.add(null);
    return byId.size() - 1;
  }

  private void setId(SubjectState s) {
    byId.set(s.id, s);
  }

  private void ensure(int n) {
    if (n <= subjectIds.length) {
      return;
    }
    int cap = Math.max(n, subjectIds.length * 2);
    subjectIds = java.util.Arrays.copyOf(subjectIds, cap);
    sizes = java.util.Arrays.copyOf(sizes, cap);
    times = java.util.Arrays.copyOf(times, cap);
  }
}
