package io.natsvx.gateway;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What this cluster wants, as other clusters must hear of it (nats-server's gateway pasi map,
 * kept up by gatewayUpdateSubInterest): every subscription of this server's clients, its
 * routes and its leaf nodes, counted per account, subject and queue group. The first one of a
 * key is news (RS+), so is the last one gone (RS-); a queue group's weight is always 1. The
 * gateway verticle's loop only.
 */
final class GatewayInterest {

  /** A subject, or a subject and queue group. */
  record Key(String subject, String queue) {}

  /** A key that appeared ({@code added}) or went in {@code account}. */
  record News(String account, Key key, boolean added) {}

  private final Map<String, Map<Key, int[]>> table = new HashMap<>();

  /** Counts one change; the news every inbound gateway must hear, or null. */
  News changed(String account, String subject, String queue, boolean added) {
    Key key = new Key(subject, queue);
    Map<Key, int[]> keys = table.computeIfAbsent(account, a -> new HashMap<>());
    int[] n = keys.get(key);
    if (added) {
      if (n != null) {
        n[0]++;
        return null;
      }
      keys.put(key, new int[] {1});
      return new News(account, key, true);
    }
    if (n == null) {
      if (keys.isEmpty()) {
        table.remove(account);
      }
      return null;
    }
    if (--n[0] > 0) {
      return null;
    }
    keys.remove(key);
    if (keys.isEmpty()) {
      table.remove(account);
    }
    return new News(account, key, false);
  }

  /** The plain subjects wanted in {@code account}. */
  List<String> plain(String account) {
    List<String> out = new ArrayList<>();
    table.getOrDefault(account, Map.of()).keySet().forEach(k -> {
      if (k.queue() == null) {
        out.add(k.subject());
      }
    });
    return out;
  }

  /** Every queue group wanted, by account. */
  Map<String, List<Key>> queues() {
    Map<String, List<Key>> out = new HashMap<>();
    table.forEach((account, keys) -> keys.keySet().forEach(k -> {
      if (k.queue() != null) {
        out.computeIfAbsent(account, a -> new ArrayList<>()).add(k);
      }
    }));
    return out;
  }

  /** The accounts with any interest. */
  Set<String> accounts() {
    return table.keySet();
  }
}
