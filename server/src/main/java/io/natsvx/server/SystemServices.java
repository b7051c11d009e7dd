package io.natsvx.server;

import io.natsvx.conn.ConnectionInfo;
import io.vertx.core.Future;

/**
 * What the core asks of the system account's services, which sit above it: connect and
 * disconnect events, and the server's own requests (the auth callout's, account lookups). The
 * composition root installs the real ones once they run; until then requests fail and events
 * go nowhere. Thread-safe.
 */
public interface SystemServices {

  SystemServices NONE = new SystemServices() {
    @Override
    public void clientConnected(ConnectionInfo client) {
    }

    @Override
    public void clientDisconnected(ConnectionInfo client) {
    }

    @Override
    public Future<byte[]> request(String account, String subject, byte[] headers, byte[] payload, long timeoutMillis) {
      return Future.failedFuture("eventing shut down");
    }

    @Override
    public Future<String> lookupAccount(String accountKey, long timeoutMillis) {
      return Future.failedFuture("eventing shut down");
    }
  };

  /** A client of a named account finished connecting ({@code client.account()} says which). */
  void clientConnected(ConnectionInfo client);

  /** A client that had connected went away; {@code client.stop()} and {@code reason()} are set. */
  void clientDisconnected(ConnectionInfo client);

  /** Asks the clients of {@code account}: the first answer, whatever it holds. */
  Future<byte[]> request(String account, String subject, byte[] headers, byte[] payload, long timeoutMillis);

  /** nats-server's account lookup: the first non-empty answer to the CLAIMS.LOOKUP request. */
  Future<String> lookupAccount(String accountKey, long timeoutMillis);
}
