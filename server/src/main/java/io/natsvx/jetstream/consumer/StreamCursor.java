package io.natsvx.jetstream.consumer;

import io.natsvx.jetstream.store.StoredMessage;
import io.natsvx.jetstream.store.StreamState;
import io.natsvx.jetstream.store.StreamStore;
import io.natsvx.subject.Subjects;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.TreeSet;

/**
 * Where a consumer is in its stream: the next new message matching its filters (read ahead in
 * batches), the start its deliver policy picks, and {@code num_pending}, the matching messages
 * not yet delivered, kept as deliveries and removals go rather than counted on each ask.
 * Confined to the consumer's pump (and its lock).
 */
final class StreamCursor {

  /** How many messages one store read takes. */
  static final int READ_AHEAD = 256;

  private final StreamStore store;
  private final ConsumerConfig config;
  private long nextSeq;
  /** last_per_subject: the sequences to deliver before going on from nextSeq. */
  private final ArrayDeque<Long> initial = new ArrayDeque<>();
  /** New messages read ahead in one go (one filter or none), delivered from here first. */
  private final ArrayDeque<StoredMessage> ahead = new ArrayDeque<>();
  /** Matching messages from nextSeq up to countedTo. */
  private long numPending;
  private long countedTo = -1;
  private long removalMark;

  StreamCursor(StreamStore store, ConsumerConfig config) {
    this.store = store;
    this.config = config;
  }

  /**
   * Places the cursor where the deliver policy says. Worker only (reads the store).
   *
   * @return the stream sequence delivery starts after
   */
  long position() {
    StreamState state = store.state();
    long first = Math.max(1, state.firstSeq());
    switch (config.deliverPolicy()) {
      case "last" -> {
        long last = 0;
        for (String f : config.filters()) {
          StoredMessage m = store.loadLast(f);
          last = Math.max(last, m == null ? 0 : m.seq());
        }
        nextSeq = config.filters().isEmpty() ? Math.max(first, state.lastSeq()) : (last == 0 ? state.lastSeq() + 1 : last);
      }
      case "new" -> nextSeq = state.lastSeq() + 1;
      case "by_start_sequence" -> nextSeq = Math.max(1, config.optStartSeq());
      case "by_start_time" -> {
        long at = store.seqAtTime(Instant.parse(config.optStartTime()).toEpochMilli() * 1_000_000L);
        nextSeq = at == 0 ? state.lastSeq() + 1 : at;
      }
      case "last_per_subject" -> {
        TreeSet<Long> lasts = new TreeSet<>();
        for (String f : config.filters().isEmpty() ? List.of(">") : config.filters()) {
          for (String subject : store.subjectTotals(f).keySet()) {
            lasts.add(store.lastSeq(subject));
          }
        }
        initial.addAll(lasts);
        nextSeq = state.lastSeq() + 1;
      }
      default -> nextSeq = first;
    }
    return Math.max(0, (initial.isEmpty() ? nextSeq : initial.peek()) - 1);
  }

  /** The next message not delivered yet, or null; the cursor moves past it. */
  StoredMessage next() {
    while (!initial.isEmpty()) {
      StoredMessage m = store.load(initial.poll());
      if (m != null) {
        return m;
      }
    }
    List<String> filters = config.filters();
    if (filters.size() <= 1) {
      if (ahead.isEmpty()) {
        ahead.addAll(store.loadBatch(nextSeq, filters.isEmpty() ? null : filters.get(0), READ_AHEAD));
      }
      while (!ahead.isEmpty()) {
        StoredMessage m = ahead.poll();
        if (store.contains(m.seq())) { // not deleted since it was read
          taken(m);
          return m;
        }
      }
      return null;
    }
    StoredMessage best = null;
    for (String f : filters) {
      StoredMessage m = store.loadNext(nextSeq, f);
      if (m != null && (best == null || m.seq() < best.seq())) {
        best = m;
      }
    }
    if (best != null) {
      taken(best);
    }
    return best;
  }

  private void taken(StoredMessage m) {
    if (m.seq() > countedTo) {
      refreshPending(); // stored after the last count
    }
    nextSeq = m.seq() + 1;
    numPending = Math.max(0, numPending - 1);
  }

  /** A new message taken that could not go: the cursor goes back to it. */
  void unread(long sseq) {
    if (sseq < nextSeq) {
      nextSeq = sseq;
      ahead.clear();
      countedTo = -1; // counted again from the new place
    }
  }

  /** Whether {@code sseq} is still ahead of the cursor. */
  boolean ahead(long sseq) {
    return sseq >= nextSeq;
  }

  boolean matches(String subject) {
    List<String> filters = config.filters();
    if (filters.isEmpty()) {
      return true;
    }
    for (String f : filters) {
      if (Subjects.matches(f, subject)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Brings num_pending up to the stream's end: counts what was stored since the last count, or
   * everything ahead again when a removal may have hit what was counted.
   */
  void refreshPending() {
    long mark = store.removalMark();
    long last = store.state().lastSeq();
    if (countedTo < 0 || store.removedSince(removalMark, nextSeq, countedTo)) {
      numPending = countMatching(nextSeq, last);
    } else if (last > countedTo) {
      numPending += countMatching(countedTo + 1, last);
    }
    countedTo = Math.max(last, nextSeq - 1);
    removalMark = mark;
  }

  private long countMatching(long from, long to) {
    if (from > to) {
      return 0;
    }
    List<String> filters = config.filters();
    if (filters.isEmpty()) {
      return store.count(from, to, null);
    }
    long n = 0;
    for (String f : filters) { // filters do not overlap
      n += store.count(from, to, f);
    }
    return n;
  }

  /** num_pending as last refreshed. */
  long pending() {
    return numPending + initial.size();
  }

  long nextSeq() {
    return nextSeq;
  }

  void restore(long nextSeq) {
    this.nextSeq = nextSeq;
  }
}
