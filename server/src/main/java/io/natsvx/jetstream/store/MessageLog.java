package io.natsvx.jetstream.store;

import java.util.List;

/**
 * Where a store keeps message bodies: the heap or a Xodus environment. Called by its
 * {@link IndexedStreamStore} under the store's lock, on a worker.
 */
interface MessageLog extends AutoCloseable {

  /** What {@link #open} reports of each message kept: enough to rebuild the index. */
  interface Visitor {
    void message(long seq, String subject, long size, long timestampNanos);
  }

  /** Reports every message kept, in sequence order; returns the last sequence ever given (0 for none). */
  long open(Visitor visitor);

  /** Adds these messages and takes those sequences out, in one commit, recording {@code lastSeq}. */
  void commit(List<StoredMessage> added, long[] removed, int removedCount, long lastSeq);

  /** The body of a message the index says is there. */
  StoredMessage get(long seq);

  /** The bodies of several messages the index says are there, read together. */
  default List<StoredMessage> getAll(long[] seqs, int count) {
    List<StoredMessage> out = new java.util.ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(get(seqs[i]));
    }
    return out;
  }

  /** Overwrites a message's bytes before it is removed (secure erase). */
  void erase(long seq);

  /** A consumer's record (null: remove it), committed on its own. */
  void putConsumer(String name, String json);

  java.util.Map<String, String> consumers();

  void destroy();

  @Override
  void close();
}
