package io.natsvx.conn;

import io.natsvx.subject.Subscription;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.concurrent.RejectedExecutionException;

/**
 * Whatever delivers messages on one event loop: a connection reading from its socket, or the
 * server's own publisher on that loop. It appends each delivery to the target's outbound from
 * its loop's slot, remembers the targets it touched and, when its batch ends, flushes each of
 * them once (DESIGN.md: one write per target per batch). The links a message must cross are
 * gathered in its {@link LinkFanout}. Event-loop confined.
 */
public abstract class Producer {

  protected final EventLoop loop;
  /** This producer's loop's slot in every Outbound's staging (ConnectionHost.loopSlot). */
  protected final int loopSlot;
  private final ArrayList<Connection> touched = new ArrayList<>();
  private LinkFanout fanout;

  protected Producer(EventLoop loop, int loopSlot) {
    this.loop = loop;
    this.loopSlot = loopSlot;
  }

  public final EventLoop eventLoop() {
    return loop;
  }

  /** True for the server's own publisher: the server's own subscribers never hear it (echo off). */
  public boolean isInternal() {
    return false;
  }

  /** The link the messages this producer delivers came over; null for this server's own. */
  public Link origin() {
    return null;
  }

  /** The links the current message goes to; made on first use (most producers never need one). */
  public final LinkFanout fanout() {
    if (fanout == null) {
      fanout = new LinkFanout();
    }
    return fanout;
  }

  /** Whether links were gathered for the current message. */
  final boolean hasFanout() {
    return fanout != null && !fanout.isEmpty();
  }

  /**
   * Appends one delivery to {@code target} (from this producer's loop) and acts on the
   * result: remembers the target for the end of the batch, pauses this producer when the target
   * is backed up, cuts a slow consumer. Returns the result with its flags.
   */
  public final int deliver(Connection target, MsgFrame frame, Subscription sub, boolean stripHeaders) {
    return delivered(target, target.outbound.appendMsg(frame, sub, stripHeaders, loopSlot));
  }

  /** The same for a message the caller framed itself (see {@link Outbound#appendFramed}). */
  public final int deliverFramed(Connection target, byte[] head, int headLen, ByteBuf payload, int index, int size) {
    return delivered(target, target.outbound.appendFramed(head, headLen, payload, index, size, loopSlot));
  }

  private int delivered(Connection target, int r) {
    if ((r & Outbound.FIRST) != 0) {
      touched.add(target);
    }
    switch (r & Outbound.RESULT) {
      case Outbound.STALLED -> stalled(target);
      case Outbound.SLOW -> target.slowConsumer();
      default -> { }
    }
    return r;
  }

  /** A target is backed up: a producer that reads a socket pauses it a moment. */
  protected void stalled(Connection target) {
  }

  /** Remembers a target that was appended to outside {@link #deliver}, for the end of the batch. */
  final void touch(Connection target) {
    touched.add(target);
  }

  /** Forgets a target (it is about to close and flush by itself). */
  final void untouch(Connection target) {
    touched.remove(target);
  }

  /**
   * Ends a batch: each target touched gets its bytes written, inline when it shares this loop,
   * else by handing this loop's staged chunk over and scheduling one drain on its loop.
   */
  public final void flushTouched() {
    ArrayList<Connection> list = touched;
    int n = list.size();
    if (n == 0) {
      return;
    }
    for (int i = 0; i < n; i++) {
      Connection t = list.get(i);
      if (t.loop == loop) {
        t.flush();
      } else if (t.outbound.handOver(loopSlot)) {
        try {
          t.loop.execute(t.flushTask);
        } catch (RejectedExecutionException shuttingDown) {
          // The target's loop is gone with the server; its buffers go with it.
        }
      }
    }
    list.clear();
  }
}
