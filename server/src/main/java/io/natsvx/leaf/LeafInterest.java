package io.natsvx.leaf;

import io.natsvx.conn.Link;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The interest every leaf node link must hear of (nats-server's smap per leaf connection, kept up
 * by updateLeafNodes and updateSmap): every subscription this server knows in each account, by
 * where it came from, and what each link was told. A link hears of this server's own
 * subscribers and those of its leaf nodes; one to a leaf node (this server its hub) also of
 * the routes', the gateways' (other clusters) and the hub's, one to the hub only of this
 * server's and its leaf nodes' (the hub's other servers have their own links). Leaf links to servers of one cluster do not hear
 * of each other's. News goes out as nats-server words it: a plain subject when its count
 * leaves or reaches zero, a queue group on every change with its weight. The leaf verticle's
 * loop only.
 */
final class LeafInterest {

  /** A subject, or a subject and queue group, as LS+ and LS- name it. */
  record Key(String subject, String queue) {
    /** "subject" or "subject queue". */
    String text() {
      return queue == null ? subject : subject + " " + queue;
    }
  }

  /** A leaf node link as interest sees it. */
  interface Audience {
    Link link();

    /** The account the link is bound to. */
    String account();

    /** Whether its permissions let it be told of {@code subject}. */
    boolean mayHear(String subject);

    /** Tells the far side: {@code count} subscribers of {@code key} (0: none left). */
    void tell(Key key, int count);
  }

  private static final String LOOP_DETECTION_PREFIX = "$LDS.";

  /**
   * Where a subscription came from: a link (null: this server's own) and, when a route said
   * so, the leaf cluster it is for (nats-server's sub.origin).
   */
  private record Source(Link from, String origin) {}

  /** Account, then key, then where it came from, to how many. */
  private final Map<String, Map<Key, Map<Source, int[]>>> table = new HashMap<>();
  /** Each link's told counts. */
  private final Map<Audience, Map<Key, int[]>> told = new LinkedHashMap<>();

  /**
   * A subscription came ({@code added}) or went in {@code account}; {@code from} null for this
   * server's own, {@code origin} the leaf cluster a route said it is for (null: none).
   */
  void changed(String account, String subject, String queue, boolean added, Link from, String origin) {
    Key key = new Key(subject, queue);
    Source source = new Source(from, origin);
    Map<Key, Map<Source, int[]>> keys = table.computeIfAbsent(account, a -> new HashMap<>());
    Map<Source, int[]> sources = keys.computeIfAbsent(key, k -> new HashMap<>());
    int[] n = sources.get(source);
    if (added) {
      if (n == null) {
        sources.put(source, n = new int[1]);
      }
      n[0]++;
    } else {
      if (n == null) {
        cleanUp(account, keys, key, sources);
        return;
      }
      if (--n[0] == 0) {
        sources.remove(source);
      }
      cleanUp(account, keys, key, sources);
    }
    for (Audience a : new ArrayList<>(told.keySet())) {
      if (a.account().equals(account) && hears(a, from, origin, subject)) {
        update(a, key, added ? 1 : -1);
      }
    }
  }

  private void cleanUp(String account, Map<Key, Map<Source, int[]>> keys, Key key, Map<Source, int[]> sources) {
    if (sources.isEmpty()) {
      keys.remove(key);
      if (keys.isEmpty()) {
        table.remove(account);
      }
    }
  }

  /** A link is ready: it is told everything it may hear of, and {@code extra} (its loop detection subject). */
  void join(Audience a, List<Key> extra) {
    Map<Key, int[]> counts = new LinkedHashMap<>();
    told.put(a, counts);
    table.getOrDefault(a.account(), Map.of()).forEach((key, sources) -> {
      int n = 0;
      for (Map.Entry<Source, int[]> e : sources.entrySet()) {
        if (hears(a, e.getKey().from(), e.getKey().origin(), key.subject())) {
          n += e.getValue()[0];
        }
      }
      if (n > 0) {
        counts.put(key, new int[] {n});
      }
    });
    for (Key k : extra) {
      counts.computeIfAbsent(k, x -> new int[1])[0]++;
    }
    counts.forEach((k, n) -> a.tell(k, n[0]));
  }

  /** A link closed. */
  void leave(Audience a) {
    told.remove(a);
  }

  /** What {@code a} was told, for tests and monitoring. */
  Map<String, Integer> toldTo(Audience a) {
    Map<String, Integer> out = new LinkedHashMap<>();
    Map<Key, int[]> counts = told.get(a);
    if (counts != null) {
      counts.forEach((k, n) -> out.put(k.text(), n[0]));
    }
    return out;
  }

  private static void update(Audience a, Map<Key, int[]> counts, Key key, int delta) {
    int[] n = counts.get(key);
    int before = n == null ? 0 : n[0];
    if (before == 0 && delta < 0) {
      return;
    }
    int after = before + delta;
    boolean news = key.queue() != null || before == 0 || after <= 0;
    if (after > 0) {
      if (n == null) {
        counts.put(key, n = new int[1]);
      }
      n[0] = after;
    } else {
      counts.remove(key);
    }
    if (news) {
      a.tell(key, Math.max(after, 0));
    }
  }

  private void update(Audience a, Key key, int delta) {
    update(a, told.get(a), key, delta);
  }

  /**
   * Whether link {@code a} hears of a subscription that came from {@code from} (null: this
   * server's own) for leaf cluster {@code origin}: never one of its own cluster's, which hears
   * of it over its own routes (nats-server's cluster-wide no echo).
   */
  static boolean hears(Audience a, Link from, String origin, String subject) {
    Link to = a.link();
    if (from == to) {
      return false;
    }
    boolean loopDetection = subject.startsWith(LOOP_DETECTION_PREFIX);
    if (origin != null && !loopDetection && origin.equals(to.remoteCluster())) {
      return false;
    }
    if (from != null) {
      if (from.role() == Link.Role.ROUTE || from.role() == Link.Role.GATEWAY) {
        if (to.role() != Link.Role.LEAF_HUB) {
          return false;
        }
      } else {
        if (to.role() == Link.Role.LEAF_SPOKE && from.role() == Link.Role.LEAF_SPOKE) {
          return false;
        }
        if (!loopDetection && Link.sameCluster(from, to)) {
          return false;
        }
      }
    }
    return loopDetection || a.mayHear(subject);
  }
}
