package io.natsvx.server;

/** What the rest of the server reads of the cluster: its name, route port and route count. Any thread. */
public interface ClusterView {

  /** The cluster's name (configured, adopted from a peer, or made up). */
  String name();

  /** The route port bound. */
  int port();

  /** How many routes are registered (a snapshot). */
  int routeCount();

  /** The route to the server whose id hashes to {@code hash} (nats-server's routesIDByHash); null when none. */
  default io.natsvx.conn.Link routeByHash(String hash) {
    return null;
  }
}
