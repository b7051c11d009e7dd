package io.natsvx.protocol;

import io.netty.buffer.ByteBuf;

/**
 * What a route connection does with the operations only the route dialect has (nats-server's
 * ROUTER kind). A parser speaks that dialect only with one of these.
 */
public interface RouteProtocolHandler extends ProtocolHandler {

  /** RS+ or RS-: {@code account subject [queue weight]}, unsplit. */
  void onRemoteSub(byte[] args, int off, int len, boolean add);

  /**
   * LS+ or LS- on a route (nats-server's lnoc): {@code origin account subject [queue weight]}
   * for LS+, {@code account subject [queue]} for LS-, unsplit.
   */
  default void onLeafOriginSub(byte[] args, int off, int len, boolean add) {
    onRemoteSub(args, off, len, add);
  }

  /** A complete RMSG/HMSG (or a route's LMSG, with its origin); account, subject, reply and queues are in {@code pa}. */
  void onRoutedMsg(PubArgs pa, ByteBuf payload, int index);
}
