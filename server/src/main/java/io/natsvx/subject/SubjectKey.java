package io.natsvx.subject;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A subject as bytes with a precomputed hash, the key of the match cache. A connection keeps one
 * mutable instance as a probe ({@link #set}) so a cache hit allocates nothing; stored keys are
 * immutable copies ({@link #copy}). Not thread-safe as a probe: one per event-loop-confined owner.
 */
public final class SubjectKey {

  private byte[] buf;
  private int off;
  private int len;
  private int hash;
  private String subject;

  public SubjectKey() {}

  private SubjectKey(byte[] buf, int hash, String subject) {
    this.buf = buf;
    this.len = buf.length;
    this.hash = hash;
    this.subject = subject;
  }

  public static SubjectKey of(String subject) {
    byte[] b = subject.getBytes(StandardCharsets.UTF_8);
    return new SubjectKey(b, hash(b, 0, b.length), subject);
  }

  /** Points this probe at bytes owned by the caller; valid until the caller reuses them. */
  public SubjectKey set(byte[] buf, int off, int len) {
    this.buf = buf;
    this.off = off;
    this.len = len;
    this.hash = hash(buf, off, len);
    this.subject = null;
    return this;
  }

  /** An immutable copy fit to be stored as a map key. */
  public SubjectKey copyKey() {
    return copy();
  }

  /** An immutable copy fit to be stored. */
  SubjectKey copy() {
    byte[] b = Arrays.copyOfRange(buf, off, off + len);
    return new SubjectKey(b, hash, subject != null ? subject : new String(b, StandardCharsets.UTF_8));
  }

  /** The subject as a string (allocates once per stored key, on a cache miss for probes). */
  public String subject() {
    if (subject == null) {
      subject = new String(buf, off, len, StandardCharsets.UTF_8);
    }
    return subject;
  }

  static int hash(byte[] b, int off, int len) {
    int h = 0x811c9dc5;
    for (int i = off, end = off + len; i < end; i++) {
      h = (h ^ b[i]) * 0x01000193;
    }
    return h;
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SubjectKey k) || k.hash != hash || k.len != len) {
      return false;
    }
    return Arrays.equals(buf, off, off + len, k.buf, k.off, k.off + k.len);
  }

  @Override
  public String toString() {
    return subject();
  }
}
