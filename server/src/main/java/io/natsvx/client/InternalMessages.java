package io.natsvx.client;

import io.natsvx.account.Account;
import io.natsvx.subject.MatchResult;
import io.natsvx.subject.Subscription;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Messages the server itself sends into an account (system events, request answers, JetStream
 * acks and deliveries): matched once, then handed to each client subscriber on its own event
 * loop; one member of each queue group gets it. The server's own handlers never get them.
 * Thread-safe.
 */
public final class InternalMessages {

  private InternalMessages() {}

  /** {@code headers} is a whole header block ({@code NATS/1.0\r\n...\r\n\r\n}), or null. */
  public static void publish(Account account, String subject, String reply, byte[] headers, byte[] payload) {
    MatchResult r = account.subjects().match(subject);
    for (Subscription sub : r.plain()) {
      send(sub, subject, reply, headers, payload);
    }
    for (Subscription[] group : r.queues()) {
      send(group[ThreadLocalRandom.current().nextInt(group.length)], subject, reply, headers, payload);
    }
  }

  private static void send(Subscription sub, String subject, String reply, byte[] headers, byte[] payload) {
    if (sub.owner() instanceof ClientConnection c) {
      c.eventLoop().execute(() -> c.deliverInternal(subject, reply, sub, headers, payload));
    }
  }
}
