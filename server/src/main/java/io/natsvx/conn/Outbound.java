package io.natsvx.conn;

import io.natsvx.subject.Subscription;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.internal.PlatformDependent;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One connection's outbound bytes not yet handed to the socket. Shares nothing hot between event
 * loops: the owner's loop appends to its own chunks; every other loop appends to a staging
 * chunk of its own (one slot per loop) and hands it over, through a queue, once per read batch,
 * scheduling at most one drain on the owner's loop (DESIGN.md: per-loop staging chunks beat a
 * lock shared by producer and writer). Bytes go into pooled direct chunks, so each delivery is
 * copied once. Which thread may call what is said per method.
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
  /** Mask for the result without flags. */
  public static final int RESULT = 0x0F;
  /** Flag: this delivery was the subscription's last. */
  public static final int LAST = 0x10;
  /** Flag: the first append by this producer since its last hand-over: remember the target. */
  public static final int FIRST = 0x20;

  private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;
  private static final int CHUNK = 64 * 1024;
  private static final int MIN_ALLOC = 1024;

  private final int ownerSlot;
  private final ChannelOutboundBuffer inFlight;
  private volatile long maxPending;
  private volatile long stallAt;
  private volatile boolean closed;

  // Owner's loop only.
  private ByteBuf current;
  private List<ByteBuf> full;
  private long ownBuffered;
  private boolean ownTouched;
  private int nextChunk = MIN_ALLOC;
  private long msgs;
  private long bytes;
  private long reportedMsgs;
  private long reportedBytes;

  // Slot i belongs to event loop i (ServerContext.loopSlot); only that loop touches it.
  private final ByteBuf[] staging;
  private final long[] stagedMsgs;
  private final long[] stagedBytes;
  /** Size of each slot's last hand-over: the next staging chunk starts that big. */
  private final int[] stagingHint;

  // Handed over by other loops, drained by the owner.
  // A linked queue costs nothing while empty (an array-backed MPSC queue took 4 KB per idle
  // connection) and one node per hand-over, which is once per batch.
  private final Queue<ByteBuf> handed = new ConcurrentLinkedQueue<>();
  private final AtomicLong handedBytes = new AtomicLong();
  private final AtomicLong handedMsgs = new AtomicLong();
  private final AtomicLong handedPayload = new AtomicLong();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();

  /**
   * {@code ownerSlot} is the owner loop's slot, {@code slots} how many loops may deliver here,
   * {@code inFlight} the channel's own outbound buffer (what Netty has not written yet).
   */
  public Outbound(long maxPending, ChannelOutboundBuffer inFlight, int ownerSlot, int slots) {
    this.inFlight = inFlight;
    this.ownerSlot = ownerSlot;
    this.staging = new ByteBuf[slots];
    this.stagedMsgs = new long[slots];
    this.stagedBytes = new long[slots];
    this.stagingHint = new int[slots];
    maxPending(maxPending);
  }

  private long inFlight() {
    return inFlight == null ? 0 : inFlight.totalPendingWriteBytes();
  }

  /** Any thread. */
  public void maxPending(long value) {
    maxPending = value;
    // Producers pause well before the hard limit, as nats-server stalls fast producers.
    stallAt = Math.max(64 * 1024, Math.min(value / 2, 8L * 1024 * 1024));
  }

  /**
   * Appends one delivery of {@code frame} to {@code sub} (whose owner this is), counting it
   * against the subscription's UNSUB max. Called on the producer's loop, whose slot is given.
   * Returns OK, STALLED, SLOW, CLOSED or SKIPPED, with the LAST and FIRST flags.
   */
  public int appendMsg(MsgFrame frame, Subscription sub, boolean stripHeaders, int slot) {
    if (closed) {
      return CLOSED;
    }
    boolean strip = stripHeaders && frame.hasHeaders;
    int prefixOff = strip ? frame.strippedPrefixOff : frame.prefixOff;
    int prefixLen = strip ? frame.strippedPrefixLen : frame.prefixLen;
    int suffixOff = strip ? frame.strippedSuffixOff : frame.suffixOff;
    int suffixLen = strip ? frame.strippedSuffixLen : frame.suffixLen;
    int index = strip ? frame.strippedIndex : frame.payloadIndex;
    int size = strip ? frame.strippedSize : frame.size;
    byte[] sid = sub.sidBytes();
    int need = prefixLen + sid.length + suffixLen + size + 2;

    long pending = pendingAfter(need, slot);
    if (pending > maxPending) {
      return SLOW;
    }
    int flags = sub.countDelivery();
    if (flags < 0) {
      return SKIPPED;
    }
    flags |= first(slot);
    ByteBuf b = room(need, slot);
    byte[] head = frame.bytes();
    ByteBuf payload = frame.payload;
    if (b.hasMemoryAddress() && (payload.hasMemoryAddress() || payload.hasArray())) {
      // One bounds check for the frame (the room above) instead of one per piece: per-call
      // checks in ByteBuf.writeBytes were a fifth of fan-out's event-loop time.
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
      b.writeByte('\r');
      b.writeByte('\n');
    }
    return appended(need, size, slot, pending, flags);
  }

  /**
   * Appends a message framed by the caller: {@code head} (its control line, CRLF included), then
   * {@code size} bytes of {@code payload} from {@code index}, then CRLF. Called on the producer's
   * loop, whose slot is given, as {@link #appendMsg}; returns OK, STALLED, SLOW or CLOSED with
   * the FIRST flag.
   */
  public int appendFramed(byte[] head, int headLen, ByteBuf payload, int index, int size, int slot) {
    if (closed) {
      return CLOSED;
    }
    int need = headLen + size + 2;
    long pending = pendingAfter(need, slot);
    if (pending > maxPending) {
      return SLOW;
    }
    int flags = first(slot);
    ByteBuf b = room(need, slot);
    b.writeBytes(head, 0, headLen);
    b.writeBytes(payload, index, size);
    b.writeByte('\r');
    b.writeByte('\n');
    return appended(need, size, slot, pending, flags);
  }

  /** What would wait here with {@code need} more bytes from loop {@code slot}. */
  private long pendingAfter(int need, int slot) {
    long local = slot == ownerSlot ? ownBuffered : (staging[slot] == null ? 0 : staging[slot].readableBytes());
    return local + handedBytes.get() + inFlight() + need;
  }

  /** FIRST when this is the producer's first append since its last hand-over (it must remember us). */
  private int first(int slot) {
    if (slot == ownerSlot) {
      if (ownTouched) {
        return 0;
      }
      ownTouched = true;
      return FIRST;
    }
    return staging[slot] == null ? FIRST : 0;
  }

  private ByteBuf room(int need, int slot) {
    return slot == ownerSlot ? ownRoom(need) : stagingRoom(slot, need);
  }

  /** Counts one message appended; STALLED joins the flags when the connection is backed up. */
  private int appended(int need, int size, int slot, long pending, int flags) {
    if (slot == ownerSlot) {
      ownBuffered += need;
      msgs++;
      bytes += size;
    } else {
      stagedMsgs[slot]++;
      stagedBytes[slot] += size;
    }
    return pending > stallAt ? flags | STALLED : flags;
  }

  /** Appends protocol bytes (INFO, PONG, +OK, -ERR) as they are. Owner's loop only. */
  public int append(byte[] data) {
    if (closed) {
      return CLOSED;
    }
    ownRoom(data.length).writeBytes(data);
    ownBuffered += data.length;
    if (!ownTouched) {
      ownTouched = true;
      return FIRST;
    }
    return OK;
  }

  private ByteBuf ownRoom(int need) {
    if (handedBytes.get() != 0) {
      absorbHanded();
    }
    ByteBuf b = current;
    if (b == null) {
      b = current = ALLOC.directBuffer(Math.max(need, nextChunk));
    } else if (b.writableBytes() < need) {
      if (b.capacity() + need > CHUNK) {
        if (full == null) {
          full = new ArrayList<>(4);
        }
        full.add(b);
        b = current = ALLOC.directBuffer(Math.max(need, CHUNK));
      } else {
        b.ensureWritable(need);
      }
    }
    return b;
  }

  /**
   * Puts what other loops handed over before the owner's next bytes: it happened first (a
   * message whose publisher got its PONG precedes this client's own PONG, as in nats-server).
   */
  private void absorbHanded() {
    ByteBuf b;
    while ((b = handed.poll()) != null) {
      int r = b.readableBytes();
      handedBytes.addAndGet(-r);
      if (full == null) {
        full = new ArrayList<>(4);
      }
      if (current != null) {
        if (current.isReadable()) {
          full.add(current);
        } else {
          current.release();
        }
        current = null;
      }
      full.add(b);
      ownBuffered += r;
    }
  }

  private ByteBuf stagingRoom(int slot, int need) {
    ByteBuf b = staging[slot];
    if (b == null) {
      b = staging[slot] = ALLOC.directBuffer(Math.max(need, Math.max(MIN_ALLOC, stagingHint[slot])));
    } else if (b.writableBytes() < need) {
      b.ensureWritable(need);
    }
    return b;
  }

  /**
   * Hands what the calling loop staged here to the owner. Called on loop {@code slot} at the
   * end of its batch; true when the caller must schedule the owner's drain.
   */
  boolean handOver(int slot) {
    ByteBuf b = staging[slot];
    if (b == null) {
      return false;
    }
    staging[slot] = null;
    stagingHint[slot] = Math.min(CHUNK, b.readableBytes());
    handedMsgs.addAndGet(stagedMsgs[slot]);
    handedPayload.addAndGet(stagedBytes[slot]);
    stagedMsgs[slot] = 0;
    stagedBytes[slot] = 0;
    handedBytes.addAndGet(b.readableBytes());
    handed.offer(b);
    // After a close the drain still runs, to release what was handed over late.
    return drainScheduled.compareAndSet(false, true) || closed;
  }

  /**
   * Takes everything to write, in order, into {@code out}; the caller hands the chunks to
   * Netty, which releases them once written. Owner's loop only.
   */
  int take(List<ByteBuf> out) {
    drainScheduled.set(false);
    ownTouched = false;
    if (closed) {
      ByteBuf b;
      while ((b = handed.poll()) != null) {
        handedBytes.addAndGet(-b.readableBytes());
        b.release();
      }
      return 0;
    }
    // The owner's own bytes first: each own append took in what was handed over before it, so
    // what is still handed over came after the last of them (an interest change sent here
    // before a message that needs it).
    int own = 0;
    if (full != null && !full.isEmpty()) {
      for (ByteBuf f : full) {
        out.add(f);
        own += f.readableBytes();
      }
      full.clear();
    }
    if (current != null && current.isReadable()) {
      out.add(current);
      own += current.readableBytes();
      current = null;
    }
    ownBuffered = 0;
    if (own > 0) {
      nextChunk = Math.max(MIN_ALLOC, Math.min(CHUNK, own));
    }
    int n = 0;
    ByteBuf b;
    while ((b = handed.poll()) != null) {
      int r = b.readableBytes();
      handedBytes.addAndGet(-r);
      out.add(b);
      n += r;
    }
    return n + own;
  }

  /** Adds what was delivered since the last call to the server's totals; owner's loop only. */
  void reportOut(ConnectionHost host) {
    long m = msgs + handedMsgs.get();
    long b = bytes + handedPayload.get();
    if (m != reportedMsgs) {
      host.countOut(m - reportedMsgs, b - reportedBytes);
      reportedMsgs = m;
      reportedBytes = b;
    }
  }

  /** Bytes waiting to be written: ours, handed over, and Netty's. Owner's loop. */
  public long pending() {
    return ownBuffered + handedBytes.get() + inFlight();
  }

  /** Messages written or queued so far. Owner's loop. */
  public long msgs() {
    return msgs + handedMsgs.get();
  }

  /** Payload bytes written or queued so far. Owner's loop. */
  public long bytes() {
    return bytes + handedPayload.get();
  }

  /** Refuses further appends and releases what was buffered. Owner's loop only. */
  void close() {
    closed = true;
    if (full != null) {
      for (ByteBuf f : full) {
        f.release();
      }
      full = null;
    }
    if (current != null) {
      current.release();
      current = null;
    }
    ownBuffered = 0;
    ByteBuf b;
    while ((b = handed.poll()) != null) {
      handedBytes.addAndGet(-b.readableBytes());
      b.release();
    }
  }
}
