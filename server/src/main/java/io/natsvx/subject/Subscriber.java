package io.natsvx.subject;

/** Whatever owns subscriptions in an index: a client, and later a route, gateway or leaf link. */
public interface Subscriber {
  /** The connection id, unique in this server. */
  long id();

  /** Whether this stands for other servers (a route, gateway or leaf link), not a local subscriber. */
  default boolean isLink() {
    return false;
  }
}
