package io.natsvx.jetstream.store;

/**
 * What a stream holds, as nats-server's StreamState counts it: messages and bytes, the first and
 * last sequence with their times (epoch nanoseconds, 0 when none), the subjects in use, and the
 * sequences between first and last that were deleted. After a purge the first sequence is one
 * past the last.
 */
public record StreamState(long msgs, long bytes, long firstSeq, long firstTimestampNanos, long lastSeq,
    long lastTimestampNanos, long numSubjects, long numDeleted) {}
