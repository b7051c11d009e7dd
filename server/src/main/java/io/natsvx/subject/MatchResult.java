package io.natsvx.subject;

/**
 * The subscriptions one subject matches: plain subscriptions and, per queue group, its members.
 * Immutable; shared between event loops through the index cache.
 */
public final class MatchResult {

  public static final MatchResult EMPTY = new MatchResult(new Subscription[0], new Subscription[0][]);

  private final Subscription[] plain;
  private final Subscription[][] queues;

  public MatchResult(Subscription[] plain, Subscription[][] queues) {
    this.plain = plain;
    this.queues = queues;
  }

  /** Do not modify: the array is shared. */
  public Subscription[] plain() { return plain; }

  /** Do not modify: one array of members per queue group. */
  public Subscription[][] queues() { return queues; }

  public boolean isEmpty() { return plain.length == 0 && queues.length == 0; }

  public int size() {
    int n = plain.length;
    for (Subscription[] q : queues) {
      n += q.length;
    }
    return n;
  }
}
