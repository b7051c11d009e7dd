package io.natsvx.jetstream.store;

import java.util.List;

/**
 * A stream's messages by sequence, with a per-subject index: on the heap or in Xodus. Every
 * method may block on disk: worker threads only. Implementations are thread-safe; one writer
 * per stream is expected (the stream's writer), readers may come from anywhere.
 */
public interface StreamStore extends AutoCloseable {

  /**
   * A message to append: the store gives it the next sequence, or {@code seq} when set (a
   * mirror keeps its origin's sequences; those passed over hold no message).
   */
  record Append(String subject, byte[] headers, byte[] data, long timestampNanos, long seq) {

    public Append(String subject, byte[] headers, byte[] data, long timestampNanos) {
      this(subject, headers, data, timestampNanos, 0);
    }

    /** A sequence given to no message (interest retention with nobody interested: nats-server's SkipMsg). */
    public static Append skip(long timestampNanos) {
      return new Append(null, null, null, timestampNanos);
    }

    /** Every sequence up to {@code seq} given to no message (a mirror's origin moved on past them). */
    public static Append skipTo(long seq, long timestampNanos) {
      return new Append(null, null, null, timestampNanos, seq);
    }

    public boolean skipped() {
      return subject == null;
    }
  }

  /**
   * Appends a burst in one commit (group commit) and drops the oldest messages past the limits
   * in the same commit; returns each message's sequence. When this returns, the burst is as
   * durable as the store is configured to be.
   */
  long[] append(List<Append> burst, StoreLimits limits);

  /** The message with this sequence, or null when there is none (never stored, deleted, purged). */
  StoredMessage load(long seq);

  /** The newest message whose subject matches {@code filter} (wildcards allowed), or null. */
  StoredMessage loadLast(String filter);

  /** The first message at or after {@code fromSeq} whose subject matches {@code filter} (wildcards allowed; null for any), or null. */
  StoredMessage loadNext(long fromSeq, String filter);

  /**
   * Up to {@code max} messages at or after {@code fromSeq} matching {@code filter} (null: any),
   * in order, read together (one Xodus transaction).
   */
  List<StoredMessage> loadBatch(long fromSeq, String filter, int max);

  /** The first message stored at or after {@code timeNanos}, or 0 when none was. */
  long seqAtTime(long timeNanos);

  /** Whether the message is (still) there. */
  boolean contains(long seq);

  /** Deletes one message; {@code erase} overwrites its bytes first. False when it was not there. */
  boolean remove(long seq, boolean erase);

  /**
   * nats-server's purge: removes the messages on {@code subject} (wildcards allowed; null for
   * all) below sequence {@code upTo} (0: no bound), keeping the newest {@code keep} (0: none
   * kept). Returns how many went. A full purge moves the first sequence past the last.
   */
  long purge(String subject, long upTo, long keep);

  /** An empty store's next sequence becomes {@code firstSeq} (a stream's first_seq). */
  void startAt(long firstSeq);

  /** Drops every message stored before {@code cutoffNanos} (max_age); returns how many went. */
  long expire(long cutoffNanos);

  /** The sequence of the newest message on exactly this subject, or 0. */
  long lastSeq(String subject);

  /** How many messages are on exactly this subject. */
  long subjectCount(String subject);

  StreamState state();

  /** Messages per subject matching {@code filter} (wildcards allowed), subjects in order. */
  java.util.Map<String, Long> subjectTotals(String filter);

  /** The sequences deleted between the first and the last, ascending. */
  List<Long> deleted();

  /** How many messages in {@code [fromSeq, toSeq]} match {@code filter} (null: any). */
  long count(long fromSeq, long toSeq, String filter);

  /** Where the removals stand now, for {@link #removedSince}. */
  long removalMark();

  /**
   * Whether a message in {@code [fromSeq, toSeq]} may have been removed since {@code mark}: a
   * count over that range taken then must be taken again.
   */
  boolean removedSince(long mark, long fromSeq, long toSeq);

  /** Keeps a consumer's config and state (JSON) with the stream, in one commit; null removes it. */
  void saveConsumer(String name, String json);

  /** The consumers kept with the stream: name to JSON. */
  java.util.Map<String, String> consumers();

  /** Closes and removes everything the store keeps (the stream is deleted). */
  void destroy();

  @Override
  void close();
}
