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
    deliver(account, subject, subject, reply, headers, payload);
  }

  /**
   * To the subscribers of {@code to}, but carrying {@code subject} in the MSG line: how JetStream
   * hands a stored message to a consumer's deliver subject or a pull request's inbox. Returns
   * whether anyone got it.
   */
  public static boolean deliver(Account account, String to, String subject, String reply, byte[] headers,
      byte[] payload) {
    MatchResult r = account.subjects().match(to);
    boolean any = false;
    for (Subscription sub : r.plain()) {
      any |= send(sub, subject, reply, headers, payload);
    }
    for (Subscription[] group : r.queues()) {
      any |= send(group[ThreadLocalRandom.current().nextInt(group.length)], subject, reply, headers, payload);
    }
    return any;
  }

  /** Whether a client subscribes {@code to} (a push consumer's deliver subject). */
  public static boolean hasClientInterest(Account account, String to) {
    MatchResult r = account.subjects().match(to);
    for (Subscription sub : r.plain()) {
      if (sub.owner() instanceof ClientConnection) {
        return true;
      }
    }
    for (Subscription[] group : r.queues()) {
      if (group.length > 0 && group[0].owner() instanceof ClientConnection) {
        return true;
      }
    }
    return false;
  }

  /** One message of a {@link Batch}, bound for one subscription. */
  public record Item(Subscription sub, String subject, String reply, byte[] headers, byte[] payload) {}

  /**
   * Messages gathered by one producer (a JetStream writer's acks, a consumer's deliveries) and
   * handed over together: one task and one write per client, not one per message. Not
   * thread-safe: one producer fills it, then {@link #send} once.
   */
  public static final class Batch {
    private final java.util.Map<ClientConnection, java.util.List<Item>> byClient = new java.util.LinkedHashMap<>();
    private String lastTo;
    private MatchResult lastMatch;
    private int size;

    /** Messages added since the last send. */
    public int size() {
      return size;
    }

    /** As {@link #deliver}: to {@code to}'s subscribers, carrying {@code subject}. */
    public boolean add(Account account, String to, String subject, String reply, byte[] headers, byte[] payload) {
      // a consumer sends a run of messages to one subject: match it once per batch
      MatchResult r = to.equals(lastTo) ? lastMatch : account.subjects().match(to);
      lastTo = to;
      lastMatch = r;
      boolean any = false;
      for (Subscription sub : r.plain()) {
        any |= put(sub, subject, reply, headers, payload);
      }
      for (Subscription[] group : r.queues()) {
        any |= put(group[ThreadLocalRandom.current().nextInt(group.length)], subject, reply, headers, payload);
      }
      return any;
    }

    private boolean put(Subscription sub, String subject, String reply, byte[] headers, byte[] payload) {
      if (sub.owner() instanceof ClientConnection c) {
        byClient.computeIfAbsent(c, k -> new java.util.ArrayList<>()).add(new Item(sub, subject, reply, headers, payload));
        size++;
        return true;
      }
      return false;
    }

    public void send() {
      byClient.forEach((c, items) -> c.eventLoop().execute(() -> c.deliverInternal(items)));
      byClient.clear();
      size = 0;
      lastTo = null;
      lastMatch = null;
    }
  }

  private static boolean send(Subscription sub, String subject, String reply, byte[] headers, byte[] payload) {
    if (sub.owner() instanceof ClientConnection c) {
      c.eventLoop().execute(() -> c.deliverInternal(subject, reply, sub, headers, payload));
      return true;
    }
    return false;
  }
}
