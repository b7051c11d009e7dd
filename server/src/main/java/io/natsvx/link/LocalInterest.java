package io.natsvx.link;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What this server's own subscribers want, counted per account, subject and queue group, and
 * what the links must hear of a change (nats-server's updateRouteSubscriptionMap): the first
 * plain subscription to a subject is news, and so is the last one gone; every change of a queue
 * group's size is news with the new weight. Each link kind words the news in its dialect (RS+,
 * LS+...). The link verticle's loop only.
 */
public final class LocalInterest {

  /**
   * One piece of news: {@code weight} is the group's member count (0 when it is gone); {@code
   * origin} the leaf cluster the first subscription of the key came from (null: none), which
   * routes tell as nats-server's lnoc does.
   */
  public record Change(String account, String subject, String queue, int weight, boolean added, String origin) {}

  private record Key(String subject, String queue) {}

  /** How many subscribe a key, and the leaf cluster the first came from. */
  private static final class Count {
    int n;
    final String origin;

    Count(String origin) {
      this.origin = origin;
    }
  }

  private final Map<String, Map<Key, Count>> byAccount = new HashMap<>();

  /** Counts one change; returns what every link must hear, or null when nothing. */
  public Change apply(String account, String subject, String queue, boolean added) {
    return apply(account, subject, queue, added, null);
  }

  /** Counts one change of a subscription for leaf cluster {@code origin} (null: none). */
  public Change apply(String account, String subject, String queue, boolean added, String origin) {
    Map<Key, Count> counts = byAccount.computeIfAbsent(account, a -> new HashMap<>());
    Key key = new Key(subject, queue);
    Count n = counts.get(key);
    if (added) {
      if (n == null) {
        n = new Count(origin);
        counts.put(key, n);
      }
      n.n++;
      return queue == null && n.n > 1 ? null : new Change(account, subject, queue, n.n, true, n.origin);
    }
    if (n == null) {
      return null;
    }
    if (--n.n > 0) {
      return queue == null ? null : new Change(account, subject, queue, n.n, true, n.origin);
    }
    counts.remove(key);
    if (counts.isEmpty()) {
      byAccount.remove(account);
    }
    return new Change(account, subject, queue, 0, false, n.origin);
  }

  /** Everything counted, as news: what a new link is told first. */
  public List<Change> all() {
    List<Change> out = new ArrayList<>();
    byAccount.forEach((account, counts) ->
        counts.forEach((k, n) -> out.add(new Change(account, k.subject(), k.queue(), n.n, true, n.origin))));
    return out;
  }
}
