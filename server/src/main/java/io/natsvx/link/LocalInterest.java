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

  /** One piece of news: {@code weight} is the group's member count (0 when it is gone). */
  public record Change(String account, String subject, String queue, int weight, boolean added) {}

  private record Key(String subject, String queue) {}

  private final Map<String, Map<Key, int[]>> byAccount = new HashMap<>();

  /** Counts one change; returns what every link must hear, or null when nothing. */
  public Change apply(String account, String subject, String queue, boolean added) {
    Map<Key, int[]> counts = byAccount.computeIfAbsent(account, a -> new HashMap<>());
    Key key = new Key(subject, queue);
    int[] n = counts.get(key);
    if (added) {
      if (n == null) {
        n = new int[1];
        counts.put(key, n);
      }
      n[0]++;
      return queue == null && n[0] > 1 ? null : new Change(account, subject, queue, n[0], true);
    }
    if (n == null) {
      return null;
    }
    if (--n[0] > 0) {
      return queue == null ? null : new Change(account, subject, queue, n[0], true);
    }
    counts.remove(key);
    if (counts.isEmpty()) {
      byAccount.remove(account);
    }
    return new Change(account, subject, queue, 0, false);
  }

  /** Everything counted, as news: what a new link is told first. */
  public List<Change> all() {
    List<Change> out = new ArrayList<>();
    byAccount.forEach((account, counts) ->
        counts.forEach((k, n) -> out.add(new Change(account, k.subject(), k.queue(), n[0], true))));
    return out;
  }
}
