package io.natsvx.conn;

import java.util.List;

/**
 * What monitoring shows of one connection, taken on its own event loop (open connections) or at
 * its close (the closed-connection ring). Immutable. Times in epoch milliseconds, rtt in nanos.
 */
public record ConnectionInfo(
    long cid,
    String kind,
    String ip,
    int port,
    long start,
    long lastActivity,
    long stop,
    String reason,
    long rttNanos,
    long pendingBytes,
    long inMsgs,
    long outMsgs,
    long inBytes,
    long outBytes,
    int subscriptions,
    String name,
    String lang,
    String version,
    String account,
    List<Sub> subs,
    String user,
    String type) {

  /** One subscription as /connz and /subsz list it. */
  public record Sub(String account, String subject, String queue, String sid, long msgs, long max, long cid) {}

  public boolean closed() {
    return stop > 0;
  }
}
