package io.natsvx.jetstream.store;

/**
 * One message of a stream as stored: its sequence, subject, header block (NATS/1.0..., empty
 * for none), payload and the time it was stored (epoch nanoseconds). Immutable; the arrays are
 * not copied and must not be changed.
 */
public record StoredMessage(long seq, String subject, byte[] headers, byte[] data, long timestampNanos) {

  /** nats-server's accounting of a message's bytes (memstore's: subject, headers, data, 16). */
  public static long size(String subject, byte[] headers, byte[] data) {
    return subject.length() + (long) headers.length + data.length + 16;
  }

  public long size() {
    return size(subject, headers, data);
  }
}
