package io.natsvx.conn;

/**
 * What carries a connection's protocol bytes: a plain TCP socket, or a framing around it
 * (WebSocket) that the listener or dialer set up before the connection began. The connection
 * core is the same.
 */
public interface Transport {

  /** TCP: TLS, when configured, follows INFO (or comes first with handshake_first). */
  Transport TCP = new Transport() {
    @Override
    public boolean webSocket() {
      return false;
    }

    @Override
    public void closing(ClosedReason reason) {
    }
  };

  /** Whether the bytes go in WebSocket frames; TLS is then the socket's, done before INFO. */
  boolean webSocket();

  /** The connection is about to close the socket, for {@code reason} (a WebSocket close frame). */
  void closing(ClosedReason reason);
}
