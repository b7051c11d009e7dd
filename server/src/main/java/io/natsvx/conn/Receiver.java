package io.natsvx.conn;

import io.natsvx.subject.SubjectKey;
import io.natsvx.subject.Subscriber;
import io.natsvx.subject.Subscription;

/**
 * The one delivery contract: every owner of subscriptions (a client, a link to other servers,
 * the server's own handlers) takes a message for one of its subscriptions through
 * {@link #receive}. {@link Dispatch} decides who gets what; the receiver only takes it.
 */
public interface Receiver extends Subscriber {

  /**
   * Takes {@code frame} for {@code sub}, called on {@code producer}'s loop; true when it was
   * taken (for queue groups and no-responders). {@code subject} is the subject as published.
   */
  boolean receive(Producer producer, MsgFrame frame, Subscription sub, SubjectKey subject);
}
