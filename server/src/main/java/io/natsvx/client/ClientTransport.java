package io.natsvx.client;

import io.natsvx.conn.ClosedReason;

/**
 * What carries a client's protocol bytes: a plain TCP socket, or a framing around it (WebSocket)
 * that the listener set up before the connection began. The connection core is the same.
 */
public interface ClientTransport {

  /** TCP: TLS, when configured, follows INFO (or comes first with handshake_first). */
  ClientTransport TCP = new ClientTransport() {
    @Override
    public boolean webSocket() {
      return false;
    }

    @Override
    public void closing(ClosedReason reason) {
    }
  };

  /** Whether the bytes go in WebSocket frames; TLS is then the listener's, done before INFO. */
  boolean webSocket();

  /** The connection is about to close the socket, for {@code reason} (a WebSocket close frame). */
  void closing(ClosedReason reason);
}
