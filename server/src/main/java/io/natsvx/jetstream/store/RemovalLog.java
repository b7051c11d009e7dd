package io.natsvx.jetstream.store;

/**
 * The most recent removals from a stream, so a reader counting messages in a range (a
 * consumer's pending count) can tell whether a removal since it last looked fell into that range
 * and it must count again, instead of counting on every delivery. Guarded by its store.
 */
final class RemovalLog {

  private static final int RECENT = 64;

  private final long[] recent = new long[RECENT];
  private long count;

  void removed(long seq) {
    recent[(int) (count % RECENT)] = seq;
    count++;
  }

  /** Everything may have changed (the index was rebuilt): every reader counts again. */
  void invalidate() {
    count += RECENT + 1;
    java.util.Arrays.fill(recent, 0);
  }

  long mark() {
    return count;
  }

  /** Whether a removal since {@code mark} may have hit {@code [from, to]}; true when too many to tell. */
  boolean hitSince(long mark, long from, long to) {
    if (mark > count || count - mark > RECENT) {
      return true;
    }
    for (long r = mark; r < count; r++) {
      long seq = recent[(int) (r % RECENT)];
      if (seq >= from && seq <= to) {
        return true;
      }
    }
    return false;
  }
}
