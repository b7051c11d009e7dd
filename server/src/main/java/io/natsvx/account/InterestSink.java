package io.natsvx.account;

/**
 * Hears of every change of this server's own interest (its clients' subscriptions and its
 * internal handlers'), for the links that tell other servers. Called on the subscriber's thread;
 * implementations hand off quickly.
 */
public interface InterestSink {

  InterestSink NONE = (account, subject, queue, added) -> { };

  void changed(String account, String subject, String queue, boolean added);
}
