package io.natsvx.websocket;

import io.natsvx.conn.Transport;
import io.vertx.core.net.NetSocket;

/** Who takes the leaf nodes that come in on the WebSocket port ({@code /leafnode}). */
public interface LeafNodeAcceptor {

  /** Whether leaf nodes are taken here at all (nats-server: only with a leaf node port). */
  boolean acceptsWebSocket();

  /** A leaf node's upgrade is done: its link goes on {@code socket}, in {@code frames}, and starts. */
  void acceptWebSocket(NetSocket socket, Transport frames);
}
