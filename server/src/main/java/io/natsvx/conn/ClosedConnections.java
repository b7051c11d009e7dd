package io.natsvx.conn;

import java.util.ArrayList;
import java.util.List;

/**
 * The most recently closed connections, for /connz?state=closed (nats-server keeps 10,000).
 * Thread-safe: connections add from their loops, monitoring reads from anywhere.
 */
public final class ClosedConnections {

  public static final int DEFAULT_SIZE = 10_000;

  private final ConnectionInfo[] ring;
  private int next;
  private long total;

  public ClosedConnections(int size) {
    ring = new ConnectionInfo[size];
  }

  public synchronized void add(ConnectionInfo info) {
    ring[next] = info;
    next = (next + 1) % ring.length;
    total++;
  }

  /** Oldest first. */
  public synchronized List<ConnectionInfo> list() {
    int n = (int) Math.min(total, ring.length);
    List<ConnectionInfo> out = new ArrayList<>(n);
    int start = total > ring.length ? next : 0;
    for (int i = 0; i < n; i++) {
      out.add(ring[(start + i) % ring.length]);
    }
    return out;
  }
}
