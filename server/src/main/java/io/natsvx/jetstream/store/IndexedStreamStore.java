package io.natsvx.jetstream.store;

import io.natsvx.subject.Subjects;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one {@link StreamStore}: a {@link SeqIndex} in memory for state, limits and lookups, and a
 * {@link MessageLog} for the bodies (the heap for memory storage, Xodus for file storage).
 * Every change reaches the log in one commit; if a commit fails, the index is rebuilt from the
 * log, so the two never disagree. Thread-safe (one lock); worker threads only.
 */
public final class IndexedStreamStore implements StreamStore {

  private final MessageLog log;
  private final RemovalLog removals = new RemovalLog();
  private SeqIndex index;
  private long lastTimestampNanos;
  private boolean closed;

  private IndexedStreamStore(MessageLog log) {
    this.log = log;
    rebuild();
  }

  /** Memory storage: nothing survives the process. */
  public static StreamStore inMemory() {
    return new IndexedStreamStore(new HeapLog());
  }

  /** File storage: a Xodus environment in {@code dir}, made if missing, durable per {@code durability}. */
  public static StreamStore inXodus(java.nio.file.Path dir, XodusLog.Durability durability) {
    return new IndexedStreamStore(new XodusLog(dir, durability));
  }

  private void rebuild() {
    removals.invalidate();
    SeqIndex fresh = new SeqIndex(removals);
    long[] lastTime = new long[1];
    long last = log.open((seq, subject, size, ts) -> {
      fresh.add(seq, subject, size, ts);
      lastTime[0] = ts;
    });
    fresh.skipTo(last);
    index = fresh;
    lastTimestampNanos = lastTime[0];
  }

  @Override
  public synchronized long[] append(List<Append> burst, StoreLimits limits) {
    checkOpen();
    long before = index.lastSeq();
    long[] seqs = new long[burst.size()];
    Map<Long, StoredMessage> added = new HashMap<>();
    Removals removed = new Removals();
    try {
      for (int i = 0; i < burst.size(); i++) {
        Append a = burst.get(i);
        long seq = a.seq() > 0 ? a.seq() : index.lastSeq() + 1;
        if (seq <= index.lastSeq()) {
          throw new StoreException("sequence " + seq + " is not after the last, " + index.lastSeq());
        }
        seqs[i] = seq;
        if (a.skipped()) {
          index.skipTo(seq);
          lastTimestampNanos = a.timestampNanos();
          continue;
        }
        index.skipTo(seq - 1);
        StoredMessage m = new StoredMessage(seq, a.subject(), a.headers(), a.data(), a.timestampNanos());
        index.add(seq, a.subject(), m.size(), a.timestampNanos());
        added.put(seq, m);
        lastTimestampNanos = a.timestampNanos();
        enforce(limits, a.subject(), before, added, removed);
      }
      List<StoredMessage> kept = new ArrayList<>(added.size());
      for (long s : seqs) {
        StoredMessage m = added.get(s);
        if (m != null) {
          kept.add(m);
        }
      }
      log.commit(kept, removed.seqs, removed.count, index.lastSeq());
      return seqs;
    } catch (RuntimeException e) {
      rebuild();
      throw e instanceof StoreException se ? se : new StoreException(e.getMessage(), e);
    }
  }

  /** DiscardOld: the subject's oldest past its limit, then the stream's oldest past its limits. */
  private void enforce(StoreLimits limits, String subject, long before, Map<Long, StoredMessage> added,
      Removals removed) {
    if (limits.maxMsgsPerSubject() > 0) {
      SeqIndex.SubjectState s = index.subject(subject);
      while (s != null && s.count > limits.maxMsgsPerSubject()) {
        drop(s.first, before, added, removed);
        s = index.subject(subject);
      }
    }
    while (limits.maxMsgs() > 0 && index.msgs() > limits.maxMsgs()) {
      drop(index.firstSeq(), before, added, removed);
    }
    while (limits.maxBytes() > 0 && index.bytes() > limits.maxBytes() && index.msgs() > 0) {
      drop(index.firstSeq(), before, added, removed);
    }
  }

  private void drop(long seq, long before, Map<Long, StoredMessage> added, Removals removed) {
    index.remove(seq);
    if (seq > before) {
      added.remove(seq); // never reached the log
    } else {
      removed.add(seq);
    }
  }

  @Override
  public synchronized StoredMessage load(long seq) {
    checkOpen();
    return index.has(seq) ? log.get(seq) : null;
  }

  @Override
  public synchronized StoredMessage loadLast(String filter) {
    checkOpen();
    long last = index.lastMatching(filter);
    return last == 0 ? null : log.get(last);
  }

  @Override
  public synchronized StoredMessage loadNext(long fromSeq, String filter) {
    checkOpen();
    Map<String, Boolean> matches = new HashMap<>();
    for (long q = index.nextLive(fromSeq); q != 0; q = index.nextLive(q + 1)) {
      if (filter == null || matches.computeIfAbsent(index.subjectOf(q), s -> Subjects.matches(filter, s))) {
        return log.get(q);
      }
    }
    return null;
  }

  @Override
  public synchronized List<StoredMessage> loadBatch(long fromSeq, String filter, int max) {
    checkOpen();
    long[] seqs = new long[Math.max(1, max)];
    int n = 0;
    Map<String, Boolean> matches = new HashMap<>();
    for (long q = index.nextLive(fromSeq); q != 0 && n < max; q = index.nextLive(q + 1)) {
      if (filter == null || matches.computeIfAbsent(index.subjectOf(q), s -> Subjects.matches(filter, s))) {
        seqs[n++] = q;
      }
    }
    return n == 0 ? List.of() : log.getAll(seqs, n);
  }

  @Override
  public synchronized long seqAtTime(long timeNanos) {
    checkOpen();
    for (long q = index.nextLive(index.firstSeq()); q != 0; q = index.nextLive(q + 1)) {
      if (index.timeOf(q) >= timeNanos) {
        return q;
      }
    }
    return 0;
  }

  @Override
  public synchronized boolean contains(long seq) {
    return !closed && index.has(seq);
  }

  @Override
  public synchronized boolean remove(long seq, boolean erase) {
    checkOpen();
    if (!index.has(seq)) {
      return false;
    }
    try {
      if (erase) {
        log.erase(seq);
      }
      index.remove(seq);
      log.commit(List.of(), new long[] {seq}, 1, index.lastSeq());
      return true;
    } catch (RuntimeException e) {
      rebuild();
      throw e instanceof StoreException se ? se : new StoreException(e.getMessage(), e);
    }
  }

  @Override
  public synchronized long purge(String subject, long upTo, long keep) {
    checkOpen();
    List<Long> candidates = new ArrayList<>();
    Map<String, Boolean> matches = new HashMap<>();
    for (long q = index.nextLive(index.firstSeq()); q != 0 && (upTo <= 0 || q < upTo); q = index.nextLive(q + 1)) {
      if (subject == null || matches.computeIfAbsent(index.subjectOf(q), s -> Subjects.matches(subject, s))) {
        candidates.add(q);
      }
    }
    int n = (int) Math.max(0, candidates.size() - Math.max(0, keep));
    return removeAll(candidates.subList(0, n));
  }

  @Override
  public synchronized void startAt(long firstSeq) {
    checkOpen();
    if (index.msgs() == 0 && firstSeq - 1 > index.lastSeq()) {
      index.skipTo(firstSeq - 1);
      log.commit(List.of(), new long[0], 0, index.lastSeq());
    }
  }

  @Override
  public synchronized long expire(long cutoffNanos) {
    checkOpen();
    List<Long> old = new ArrayList<>();
    for (long q = index.nextLive(index.firstSeq()); q != 0 && index.timeOf(q) < cutoffNanos; q = index.nextLive(q + 1)) {
      old.add(q);
    }
    return removeAll(old);
  }

  private long removeAll(List<Long> seqs) {
    if (seqs.isEmpty()) {
      return 0;
    }
    Removals removed = new Removals();
    try {
      for (long q : seqs) {
        index.remove(q);
        removed.add(q);
      }
      log.commit(List.of(), removed.seqs, removed.count, index.lastSeq());
      return removed.count;
    } catch (RuntimeException e) {
      rebuild();
      throw e instanceof StoreException se ? se : new StoreException(e.getMessage(), e);
    }
  }

  @Override
  public synchronized long lastSeq(String subject) {
    SeqIndex.SubjectState s = index.subject(subject);
    return s == null ? 0 : s.last;
  }

  @Override
  public synchronized long subjectCount(String subject) {
    SeqIndex.SubjectState s = index.subject(subject);
    return s == null ? 0 : s.count;
  }

  @Override
  public synchronized Map<String, Long> subjectTotals(String filter) {
    checkOpen();
    return index.subjectTotals(filter);
  }

  @Override
  public synchronized List<Long> deleted() {
    checkOpen();
    return index.deleted();
  }

  @Override
  public synchronized long count(long fromSeq, long toSeq, String filter) {
    checkOpen();
    return index.count(fromSeq, toSeq, filter);
  }

  @Override
  public synchronized long removalMark() {
    return removals.mark();
  }

  @Override
  public synchronized boolean removedSince(long mark, long fromSeq, long toSeq) {
    return removals.hitSince(mark, fromSeq, toSeq);
  }

  @Override
  public synchronized void saveConsumer(String name, String json) {
    checkOpen();
    log.putConsumer(name, json);
  }

  @Override
  public synchronized Map<String, String> consumers() {
    checkOpen();
    return log.consumers();
  }

  @Override
  public synchronized StreamState state() {
    long msgs = index.msgs();
    long last = index.lastSeq();
    // nats-server: a stream that never had a message starts at 0; after a purge, one past the last
    long first = last == 0 ? 0 : index.firstSeq();
    return new StreamState(msgs, index.bytes(), first, msgs > 0 ? index.timeOf(first) : 0, last,
        last > 0 ? lastTimestampNanos : 0, index.subjectsInUse(), msgs == 0 ? 0 : last - first + 1 - msgs);
  }

  @Override
  public synchronized void destroy() {
    closed = true;
    log.destroy();
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      log.close();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new StoreException("store closed");
    }
  }

  /** A growable list of sequences, without boxing. */
  private static final class Removals {
    long[] seqs = new long[8];
    int count;

    void add(long seq) {
      if (count == seqs.length) {
        seqs = java.util.Arrays.copyOf(seqs, count * 2);
      }
      seqs[count++] = seq;
    }
  }
}
