package io.natsvx.protocol;

import io.netty.buffer.ByteBuf;

/**
 * What a leaf node connection does with the operations only the leaf dialect has (nats-server's
 * LEAF kind). A parser speaks that dialect only with one of these.
 */
public interface LeafProtocolHandler extends ProtocolHandler {

  /** LS+ or LS-: {@code subject [queue weight]} ({@code subject [queue]} for LS-), unsplit. */
  void onLeafSub(byte[] args, int off, int len, boolean add);

  /** A complete LMSG/HMSG; subject, reply and queues are in {@code pa} (no account). */
  void onLeafMsg(PubArgs pa, ByteBuf payload, int index);
}
