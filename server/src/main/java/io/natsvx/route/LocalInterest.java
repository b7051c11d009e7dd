package io.natsvx.route;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What this server's own clients subscribe to, counted per account, subject and queue group,
 * and what routes must hear of a change (nats-server's updateRouteSubscriptionMap): the first
 * plain subscription to a subject is an {@code RS+}, the last one gone an {@code RS-}; every
 * change of a queue group's size is an {@code RS+} with the new weight, its end an {@code RS-}.
 * Route loop only.
 */
final class LocalInterest {

  private record Key(String subject, String queue) {}

  private final Map<String, Map<Key, int[]>> byAccount = new HashMap<>();

  /** Counts one change; returns the line every route must get, or null when none must. */
  byte[] apply(String account, String subject, String queue, boolean added) {
    Map<Key, int[]> counts = byAccount.computeIfAbsent(account, a -> new HashMap<>());
    Key key = new Key(subject, queue);
    int[] n = counts.get(key);
    if (added) {
      if (n == null) {
        n = new int[1];
        counts.put(key, n);
      }
      n[0]++;
      return queue == null && n[0] > 1 ? null : plus(account, subject, queue, n[0]);
    }
    if (n == null) {
      return null;
    }
    if (--n[0] > 0) {
      return queue == null ? null : plus(account, subject, queue, n[0]);
    }
    counts.remove(key);
    if (counts.isEmpty()) {
      byAccount.remove(account);
    }
    return minus(account, subject, queue);
  }

  /** An {@code RS+} for everything counted: what a new route is sent first. */
  List<byte[]> all() {
    List<byte[]> out = new ArrayList<>();
    byAccount.forEach((account, counts) ->
        counts.forEach((k, n) -> out.add(plus(account, k.subject(), k.queue(), n[0]))));
    return out;
  }

  static byte[] plus(String account, String subject, String queue, int weight) {
    String line = queue == null ? "RS+ " + account + " " + subject + "\r\n"
        : "RS+ " + account + " " + subject + " " + queue + " " + weight + "\r\n";
    return line.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] minus(String account, String subject, String queue) {
    String line = queue == null ? "RS- " + account + " " + subject + "\r\n"
        : "RS- " + account + " " + subject + " " + queue + "\r\n";
    return line.getBytes(StandardCharsets.UTF_8);
  }
}
