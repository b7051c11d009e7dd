package io.natsvx.conn;

import io.natsvx.config.ServerOptions;
import io.natsvx.log.ServerLog;

/**
 * What a connection needs of the server it runs in, and nothing more: ids, loop slots, the
 * options in force, the log, the traffic counters and the registry. The server's hub implements
 * it; thread-safe.
 */
public interface ConnectionHost {

  ServerOptions options();

  ServerLog log();

  long nextConnectionId();

  /** The slot of {@code eventLoop} in every outbound's staging (the same for all its connections). */
  int loopSlot(Object eventLoop);

  /** How many loops may deliver: the size of every outbound's staging. */
  int loopSlots();

  /** Adds what connections received (once per read, not per message). */
  void countIn(long msgs, long bytes);

  /** Adds what connections delivered. */
  void countOut(long msgs, long bytes);

  void countSlowConsumer();

  /** The server's own publisher on {@code loop} (one per loop, made on first use). */
  InternalProducer internalProducer(io.netty.channel.EventLoop loop);

  void register(Connection c);

  /**
   * The far side of {@code from} subscribed ({@code added}) or unsubscribed: the other links
   * hear of it as their rules say (a leaf's interest reaches the routes, a route's the leaf nodes);
   * {@code origin} is the leaf cluster a route said it came from, or null.
   */
  void linkInterest(Link from, String account, String subject, String queue, boolean added, String origin);

  /** Leaves the registry; {@code last} is what monitoring keeps of the closed connection. */
  void retire(Connection c, ConnectionInfo last);
}
