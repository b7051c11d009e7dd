package io.natsvx.conn;

import io.natsvx.subject.Subscription;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.internal.PlatformDependent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One connection's outbound bytes not yet handed to the socket; with those Netty still holds,
 * they make {@link #pending()}. Any event loop may append (a short lock guards the chunks);
 * only the owner's loop takes them for writing. Bytes go into pooled direct chunks, so each
 * delivered message is copied once.
 */
public final class Outbound {

  /** Append results. */
  public static final int OK = 0;
  /** Appended, but the connection is backed up: the producer should pause a moment. */
  public static final int STALLED = 1;
  /** Not appended: past max_pending, the connection is a slow consumer. */
  public static final int SLOW = 2;
  /** Not appended: the connection is closed. */
  public static final int CLOSED = 3;
  /** Not appended: the subscription already had its UNSUB max. */
  public static final int SKIPPED = 4;
  /** Flag on a result: this delivery was the subscription's last. */
  public static final int LAST = 0x10;
  /** Mask for the result without flags. */
  public static final int RESULT = 0x0F;

  private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;
  private static final int CHUNK = 64 * 1024;
  private static final int MIN_ALLOC = 1024;
  private static final int CRLF = ('\r' << 8) | '\n';

  private final ReentrantLock lock = new ReentrantLock();
  private final AtomicBoolean flushPending = new AtomicBoolean();
  private List<ByteBuf> full;
  private ByteBuf current;
  /** Bytes in our chunks, not yet handed to Netty. */
  private long buffered;
  /** Size of the last batch written, to size the next chunk and spare reallocations. */
  private int nextChunk = MIN_ALLOC;
  private final ChannelOutboundBuffer inFlight;
  private long maxPending;
  private long stallAt;
  private boolean closed;
  private long msgs;
  private long bytes;
  private long reportedMsgs;
  private long reportedBytes;
  // Counters as of the last take(), read by the owner's loop without the lock.
  private long takenMsgs;
  private long takenBytes;

  /** {@code inFlight} is the channel's own outbound buffer (what Netty has not written yet). */
  public Outbound(long maxPending, ChannelOutboundBuffer inFlight) {
    this.inFlight = inFlight;
    maxPending(maxPending);
  }

  private long inFlight() {
    return inFlight == null ? 0 : inFlight.totalPendingWriteBytes();
  }

  public void maxPending(long value) {
    lock.lock();
    try {
      maxPending = value;
      // Producers pause well before the hard limit, as nats-server stalls fast producers.
      stallAt = Math.max(64 * 1024, Math.min(value / 2, 8L * 1024 * 1024));
    } finally {
      lock.unlock();
    }
  }

  /** Marks that a flush is owed; true when the caller set the mark and must see it done. */
  boolean markFlushPending() {
    return !flushPending.get() && flushPending.compareAndSet(false, true);
  }

  void clearFlushPending() {
    flushPending.set(false);
  }

  /**
   * Appends one delivery of {@code frame} to {@code sub} (whose owner this is), counting it
   * against the subscription's UNSUB max under this lock. Returns OK, STALLED, SLOW, CLOSED or
   * SKIPPED, with {@link #LAST} set when this delivery used up the max.
   */
  public int appendMsg(MsgFrame frame, Subscription sub, boolean stripHeaders) {
    boolean strip = stripHeaders && frame.hasHeaders;
    int prefixOff = strip ? frame.strippedPrefixOff : frame.prefixOff;
    int prefixLen = strip ? frame.strippedPrefixLen : frame.prefixLen;
    int suffixOff = strip ? frame.strippedSuffixOff : frame.suffixOff;
    int suffixLen = strip ? frame.strippedSuffixLen : frame.suffixLen;
    int index = strip ? frame.strippedIndex : frame.payloadIndex;
    int size = strip ? frame.strippedSize : frame.size;
    byte[] sid = sub.sidBytes();
    int need = prefixLen + sid.length + suffixLen + size + 2;
    lock.lock();
    try {
      if (closed) {
        return CLOSED;
      }
      long max = sub.max;
      if (max > 0 && sub.delivered >= max) {
        return SKIPPED;
      }
      long pending = buffered + inFlight() + need;
      if (pending > maxPending) {
        return SLOW;
      }
      ByteBuf b = room(need);
      byte[] head = frame.bytes();
      ByteBuf payload = frame.payload;
      if (b.hasMemoryAddress() && (payload.hasMemoryAddress() || payload.hasArray())) {
        // One bounds check for the frame (room) instead of one per piece: per-call checks in
        // ByteBuf.writeBytes were a fifth of fan-out's event-loop time.
        int w = b.writerIndex();
        long at = b.memoryAddress() + w;
        PlatformDependent.copyMemory(head, prefixOff, at, prefixLen);
        at += prefixLen;
        PlatformDependent.copyMemory(sid, 0, at, sid.length);
        at += sid.length;
        PlatformDependent.copyMemory(head, suffixOff, at, suffixLen);
        at += suffixLen;
        if (payload.hasMemoryAddress()) {
          PlatformDependent.copyMemory(payload.memoryAddress() + index, at, size);
        } else {
          PlatformDependent.copyMemory(payload.array(), payload.arrayOffset() + index, at, size);
        }
        at += size;
        PlatformDependent.putByte(at, (byte) '\r');
        PlatformDependent.putByte(at + 1, (byte) '\n');
        b.writerIndex(w + need);
      } else {
        b.writeBytes(head, prefixOff, prefixLen);
        b.writeBytes(sid);
        b.writeBytes(head, suffixOff, suffixLen);
        b.writeBytes(payload, index, size);
        b.writeShort(CRLF);
      }
      buffered += need;
      msgs++;
      bytes += size;
      long delivered = ++sub.delivered;
      int r = pending > stallAt ? STALLED : OK;
      return max > 0 && delivered >= max ? r | LAST : r;
    } finally {
      lock.unlock();
    }
  }

  /**
   * UNSUB with a max: keeps the subscription for {@code max} deliveries in all (those it already
   * had count), or says to remove it now (false) when it has had them or max is not positive.
   */
  public boolean limit(Subscription sub, long max) {
    lock.lock();
    try {
      if (max > 0 && max > sub.delivered) {
        sub.max = max;
        return true;
      }
      sub.max = 0;
      return false;
    } finally {
      lock.unlock();
    }
  }

  /** Appends protocol bytes (INFO, PONG, +OK, -ERR) as they are. */
  public int append(byte[] data) {
    lock.lock();
    try {
      if (closed) {
        return CLOSED;
      }
      room(data.length).writeBytes(data);
      buffered += data.length;
      return OK;
    } finally {
      lock.unlock();
    }
  }

  /** A chunk with room for {@code need} bytes. Lock held. */
  private ByteBuf room(int need) {
    ByteBuf b = current;
    if (b == null) {
      b = ALLOC.directBuffer(Math.max(need, nextChunk));
      current = b;
    } else if (b.writableBytes() < need) {
      if (b.capacity() + need > CHUNK) {
        if (full == null) {
          full = new ArrayList<>(4);
        }
        full.add(b);
        b = ALLOC.directBuffer(Math.max(need, CHUNK));
        current = b;
      } else {
        b.ensureWritable(need);
      }
    }
    return b;
  }

  /**
   * Takes everything buffered, in order, into {@code out}; the caller hands the chunks to Netty,
   * which releases them once written. Owner's loop only.
   */
  int take(List<ByteBuf> out) {
    lock.lock();
    try {
      int n = 0;
      if (full != null) {
        for (ByteBuf b : full) {
          out.add(b);
          n += b.readableBytes();
        }
        full.clear();
      }
      if (current != null && current.isReadable()) {
        out.add(current);
        n += current.readableBytes();
        current = null;
      }
      buffered -= n;
      takenMsgs = msgs;
      takenBytes = bytes;
      nextChunk = Math.max(MIN_ALLOC, Math.min(CHUNK, n));
      return n;
    } finally {
      lock.unlock();
    }
  }

  public long pending() {
    lock.lock();
    try {
      return buffered + inFlight();
    } finally {
      lock.unlock();
    }
  }

  /** Adds what was delivered since the last call to the server's totals; owner's loop only. */
  void reportOut(io.natsvx.ServerContext server) {
    long m = takenMsgs;
    long b = takenBytes;
    if (m != reportedMsgs) {
      server.outMsgs.add(m - reportedMsgs);
      server.outBytes.add(b - reportedBytes);
      reportedMsgs = m;
      reportedBytes = b;
    }
  }

  public long msgs() {
    lock.lock();
    try {
      return msgs;
    } finally {
      lock.unlock();
    }
  }

  public long bytes() {
    lock.lock();
    try {
      return bytes;
    } finally {
      lock.unlock();
    }
  }

  /** Refuses further appends and releases what was buffered. */
  void close() {
    lock.lock();
    try {
      closed = true;
      if (full != null) {
        for (ByteBuf b : full) {
          b.release();
        }
        full = null;
      }
      if (current != null) {
        current.release();
        current = null;
      }
      buffered = 0;
    } finally {
      lock.unlock();
    }
  }
}
