package io.natsvx.conn;

import io.natsvx.protocol.PubArgs;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One connection's outbound bytes not yet handed to the socket, plus those handed over but not
 * yet written ({@link #pending()}). Any event loop may append (a short lock guards the chunks);
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

  private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;
  private static final int CHUNK = 64 * 1024;
  private static final int MIN_ALLOC = 1024;
  private static final byte[] MSG = {'M', 'S', 'G', ' '};
  private static final byte[] HMSG = {'H', 'M', 'S', 'G', ' '};
  private static final byte[] CRLF = {'\r', '\n'};

  private final ReentrantLock lock = new ReentrantLock();
  private final AtomicBoolean flushPending = new AtomicBoolean();
  private final byte[] digits = new byte[10];
  private List<ByteBuf> full;
  private ByteBuf current;
  private long pending;
  private long maxPending;
  private long stallAt;
  private boolean closed;
  private long msgs;
  private long bytes;

  public Outbound(long maxPending) {
    maxPending(maxPending);
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

  /** Appends a MSG or HMSG frame for one delivery. */
  public int appendMsg(PubArgs pa, byte[] sidBytes, ByteBuf payload, int index, boolean stripHeaders) {
    boolean headers = pa.headerSize >= 0 && !stripHeaders;
    int skip = pa.headerSize > 0 && stripHeaders ? pa.headerSize : 0;
    int size = pa.size - skip;
    int sizeDigitsLen = skip == 0 ? pa.sizeLen : 0;
    int need = 5 + pa.subjectLen + sidBytes.length + (pa.replyOff >= 0 ? pa.replyLen + 1 : 0)
        + (headers ? pa.headerSizeLen + 1 : 0) + 10 + 2 + size + 2;
    lock.lock();
    try {
      if (closed) {
        return CLOSED;
      }
      if (pending + need > maxPending) {
        return SLOW;
      }
      ByteBuf b = room(need);
      int start = b.writerIndex();
      b.writeBytes(headers ? HMSG : MSG);
      b.writeBytes(pa.line, pa.subjectOff, pa.subjectLen);
      b.writeBytes(sidBytes);
      if (pa.replyOff >= 0) {
        b.writeBytes(pa.line, pa.replyOff, pa.replyLen);
        b.writeByte(' ');
      }
      if (headers) {
        b.writeBytes(pa.line, pa.headerSizeOff, pa.headerSizeLen);
        b.writeByte(' ');
      }
      if (sizeDigitsLen > 0) {
        b.writeBytes(pa.line, pa.sizeOff, pa.sizeLen);
      } else {
        writeDigits(b, size);
      }
      b.writeBytes(CRLF);
      b.writeBytes(payload, index + skip, size);
      b.writeBytes(CRLF);
      int written = b.writerIndex() - start;
      pending += written;
      msgs++;
      bytes += size;
      return pending > stallAt ? STALLED : OK;
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
      pending += data.length;
      return OK;
    } finally {
      lock.unlock();
    }
  }

  private void writeDigits(ByteBuf b, int value) {
    int i = digits.length;
    do {
      digits[--i] = (byte) ('0' + value % 10);
      value /= 10;
    } while (value > 0);
    b.writeBytes(digits, i, digits.length - i);
  }

  /** A chunk with room for {@code need} bytes. Lock held. */
  private ByteBuf room(int need) {
    ByteBuf b = current;
    if (b == null) {
      b = ALLOC.directBuffer(Math.max(need, MIN_ALLOC));
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
   * Takes everything buffered, in order, into {@code out}; the caller writes and releases the
   * chunks and reports {@link #written} when the socket took them. Owner's loop only.
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
      return n;
    } finally {
      lock.unlock();
    }
  }

  /** The socket wrote {@code n} bytes handed over by {@link #take}. */
  void written(long n) {
    lock.lock();
    try {
      if (!closed) {
        pending -= n;
      }
    } finally {
      lock.unlock();
    }
  }

  public long pending() {
    lock.lock();
    try {
      return pending;
    } finally {
      lock.unlock();
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
      pending = 0;
    } finally {
      lock.unlock();
    }
  }
}
