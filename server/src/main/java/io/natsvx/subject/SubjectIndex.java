package io.natsvx.subject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The subscriptions of one account: a trie of subject tokens with `*` and `>` nodes and queue
 * groups, plus a bounded cache of match results. Thread-safe: matches run concurrently on every
 * event loop (a cache hit takes no lock), writes take the write lock and bump {@link #genId()}.
 * Shaped after nats-server's sublist.go.
 */
public final class SubjectIndex {

  /** Cache bound and the size a full cache is trimmed to, as in nats-server. */
  static final int CACHE_MAX = 1024;
  static final int CACHE_SWEEP_TO = 256;
  /** Above this many removals at once, dropping the whole cache is cheaper than testing each entry. */
  private static final int BULK_INVALIDATE = 16;

  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Level root = new Level();
  private final AtomicLong genId = new AtomicLong();
  private final ConcurrentHashMap<SubjectKey, MatchResult> cache = new ConcurrentHashMap<>();
  private int count;
  private long inserts; // write lock
  private long removes; // write lock
  private final java.util.concurrent.atomic.LongAdder matches = new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder cacheHits = new java.util.concurrent.atomic.LongAdder();

  public long genId() {
    return genId.get();
  }

  /** Number of subscriptions in the index. */
  public int count() {
    lock.readLock().lock();
    try {
      return count;
    } finally {
      lock.readLock().unlock();
    }
  }

  public int cacheSize() {
    return cache.size();
  }

  public void insert(Subscription sub) {
    lock.writeLock().lock();
    try {
      Node node = root.descend(sub.subject(), true);
      node.add(sub);
      count++;
      inserts++;
      genId.incrementAndGet();
      invalidate(sub.subject());
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Removes one subscription; false when it was not in the index. */
  public boolean remove(Subscription sub) {
    lock.writeLock().lock();
    try {
      if (!removeLocked(sub)) {
        return false;
      }
      genId.incrementAndGet();
      invalidate(sub.subject());
      return true;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Removes many subscriptions under one lock, as when a connection closes. */
  public int removeAll(Collection<Subscription> subs) {
    if (subs.isEmpty()) {
      return 0;
    }
    lock.writeLock().lock();
    try {
      int removed = 0;
      for (Subscription s : subs) {
        if (removeLocked(s)) {
          removed++;
        }
      }
      if (removed > 0) {
        genId.incrementAndGet();
        if (subs.size() > BULK_INVALIDATE) {
          cache.clear();
        } else {
          for (Subscription s : subs) {
            invalidate(s.subject());
          }
        }
      }
      return removed;
    } finally {
      lock.writeLock().unlock();
    }
  }

  private boolean removeLocked(Subscription sub) {
    String subject = sub.subject();
    List<Node> path = new ArrayList<>();
    List<Level> levels = new ArrayList<>();
    List<String> tokens = new ArrayList<>();
    Level level = root;
    Node node = null;
    int start = 0;
    while (true) {
      int end = subject.indexOf('.', start);
      String token = end < 0 ? subject.substring(start) : subject.substring(start, end);
      node = level == null ? null : level.get(token);
      if (node == null) {
        return false;
      }
      levels.add(level);
      path.add(node);
      tokens.add(token);
      if (end < 0) {
        break;
      }
      level = node.next;
      start = end + 1;
    }
    if (!node.remove(sub)) {
      return false;
    }
    count--;
    removes++;
    // Prune empty nodes bottom-up so churn on unique subjects (inboxes) does not grow the trie.
    for (int i = path.size() - 1; i >= 0; i--) {
      Node n = path.get(i);
      if (!n.isEmpty()) {
        break;
      }
      levels.get(i).prune(tokens.get(i));
    }
    return true;
  }

  /** Drops cached results the changed subscription subject may affect. Write lock held. */
  private void invalidate(String pattern) {
    if (cache.isEmpty()) {
      return;
    }
    for (SubjectKey key : cache.keySet()) {
      if (Subjects.matches(pattern, key.subject())) {
        cache.remove(key);
      }
    }
  }

  public MatchResult match(String subject) {
    return match(SubjectKey.of(subject));
  }

  /**
   * Matches a literal subject. {@code key} may be a caller's reusable probe: it is copied
   * before being stored.
   */
  public MatchResult match(SubjectKey key) {
    matches.increment();
    MatchResult cached = cache.get(key);
    if (cached != null) {
      cacheHits.increment();
      return cached;
    }
    MatchResult result;
    long gen;
    lock.readLock().lock();
    try {
      gen = genId.get();
      result = matchLocked(key.subject());
    } finally {
      lock.readLock().unlock();
    }
    SubjectKey stored = key.copy();
    cache.put(stored, result);
    // A write after our read may have missed this entry in its invalidation sweep.
    if (genId.get() != gen) {
      cache.remove(stored, result);
    }
    if (cache.size() > CACHE_MAX) {
      trimCache();
    }
    return result;
  }

  private void trimCache() {
    int excess = cache.size() - CACHE_SWEEP_TO;
    for (SubjectKey k : cache.keySet()) {
      if (excess-- <= 0) {
        break;
      }
      cache.remove(k);
    }
  }

  private MatchResult matchLocked(String subject) {
    String[] tokens = tokenize(subject);
    if (tokens == null) {
      return MatchResult.EMPTY;
    }
    Collector c = new Collector();
    matchLevel(root, tokens, 0, c);
    return c.result();
  }

  private static String[] tokenize(String subject) {
    int n = 1;
    for (int i = 0; i < subject.length(); i++) {
      if (subject.charAt(i) == '.') {
        n++;
      }
    }
    String[] tokens = new String[n];
    int start = 0;
    for (int t = 0; t < n; t++) {
      int end = subject.indexOf('.', start);
      if (end < 0) {
        end = subject.length();
      }
      if (end == start) {
        return null; // an empty token matches nothing
      }
      tokens[t] = subject.substring(start, end);
      start = end + 1;
    }
    return tokens;
  }

  private static void matchLevel(Level level, String[] tokens, int i, Collector c) {
    while (level != null) {
      if (level.fwc != null) {
        c.add(level.fwc);
      }
      if (level.pwc != null) {
        if (i == tokens.length - 1) {
          c.add(level.pwc);
        } else {
          matchLevel(level.pwc.next, tokens, i + 1, c);
        }
      }
      Node n = level.nodes.get(tokens[i]);
      if (n == null) {
        return;
      }
      if (i == tokens.length - 1) {
        c.add(n);
        return;
      }
      level = n.next;
      i++;
    }
  }

  /** nats-server's sublist statistics, for /subsz and /varz. */
  public Stats stats() {
    long ins;
    long rem;
    int n;
    lock.readLock().lock();
    try {
      ins = inserts;
      rem = removes;
      n = count;
    } finally {
      lock.readLock().unlock();
    }
    int maxFanout = 0;
    long totalFanout = 0;
    int cached = 0;
    for (MatchResult r : cache.values()) {
      int size = r.size();
      maxFanout = Math.max(maxFanout, size);
      totalFanout += size;
      cached++;
    }
    long m = matches.sum();
    long hits = cacheHits.sum();
    return new Stats(n, cached, ins, rem, m, m == 0 ? 0 : (double) hits / m, maxFanout,
        cached == 0 ? 0 : (double) totalFanout / cached);
  }

  /** Field for field nats-server's SublistStats. */
  public record Stats(int numSubscriptions, int numCache, long numInserts, long numRemoves, long numMatches,
      double cacheHitRate, int maxFanout, double avgFanout) {}

  /** Every subscription, for monitoring. Takes the read lock; not for hot paths. */
  public List<Subscription> all() {
    lock.readLock().lock();
    try {
      List<Subscription> out = new ArrayList<>(count);
      root.collect(out);
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  private static final class Collector {
    private final ArrayList<Subscription> plain = new ArrayList<>();
    private LinkedHashMap<String, ArrayList<Subscription>> queues;

    void add(Node n) {
      if (n.plain != null) {
        plain.addAll(n.plain);
      }
      if (n.queues != null) {
        if (queues == null) {
          queues = new LinkedHashMap<>();
        }
        for (Map.Entry<String, LinkedHashSet<Subscription>> e : n.queues.entrySet()) {
          queues.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).addAll(e.getValue());
        }
      }
    }

    MatchResult result() {
      if (plain.isEmpty() && queues == null) {
        return MatchResult.EMPTY;
      }
      Subscription[][] q = new Subscription[queues == null ? 0 : queues.size()][];
      if (queues != null) {
        int i = 0;
        for (ArrayList<Subscription> members : queues.values()) {
          q[i++] = members.toArray(new Subscription[0]);
        }
      }
      return new MatchResult(plain.toArray(new Subscription[0]), q);
    }
  }

  private static final class Level {
    final HashMap<String, Node> nodes = new HashMap<>();
    Node pwc;
    Node fwc;

    Node get(String token) {
      if (token.length() == 1) {
        char c = token.charAt(0);
        if (c == '*') {
          return pwc;
        }
        if (c == '>') {
          return fwc;
        }
      }
      return nodes.get(token);
    }

    Node getOrCreate(String token) {
      Node n = get(token);
      if (n != null) {
        return n;
      }
      n = new Node();
      if (token.length() == 1 && token.charAt(0) == '*') {
        pwc = n;
      } else if (token.length() == 1 && token.charAt(0) == '>') {
        fwc = n;
      } else {
        nodes.put(token, n);
      }
      return n;
    }

    void prune(String token) {
      if (token.length() == 1 && token.charAt(0) == '*') {
        pwc = null;
      } else if (token.length() == 1 && token.charAt(0) == '>') {
        fwc = null;
      } else {
        nodes.remove(token);
      }
    }

    boolean isEmpty() {
      return nodes.isEmpty() && pwc == null && fwc == null;
    }

    /** The node for a subject, created on the way when {@code create}. */
    Node descend(String subject, boolean create) {
      Level level = this;
      int start = 0;
      while (true) {
        int end = subject.indexOf('.', start);
        String token = end < 0 ? subject.substring(start) : subject.substring(start, end);
        Node n = create ? level.getOrCreate(token) : level.get(token);
        if (n == null || end < 0) {
          return n;
        }
        if (n.next == null) {
          n.next = new Level();
        }
        level = n.next;
        start = end + 1;
      }
    }

    void collect(List<Subscription> out) {
      for (Node n : nodes.values()) {
        n.collect(out);
      }
      if (pwc != null) {
        pwc.collect(out);
      }
      if (fwc != null) {
        fwc.collect(out);
      }
    }
  }

  private static final class Node {
    Level next;
    Set<Subscription> plain;
    Map<String, LinkedHashSet<Subscription>> queues;

    void add(Subscription s) {
      if (s.queue() == null) {
        if (plain == null) {
          plain = new LinkedHashSet<>();
        }
        plain.add(s);
      } else {
        if (queues == null) {
          queues = new HashMap<>();
        }
        queues.computeIfAbsent(s.queue(), q -> new LinkedHashSet<>()).add(s);
      }
    }

    boolean remove(Subscription s) {
      if (s.queue() == null) {
        if (plain == null || !plain.remove(s)) {
          return false;
        }
        if (plain.isEmpty()) {
          plain = null;
        }
        return true;
      }
      if (queues == null) {
        return false;
      }
      Set<Subscription> members = queues.get(s.queue());
      if (members == null || !members.remove(s)) {
        return false;
      }
      if (members.isEmpty()) {
        queues.remove(s.queue());
        if (queues.isEmpty()) {
          queues = null;
        }
      }
      return true;
    }

    boolean isEmpty() {
      return plain == null && queues == null && (next == null || next.isEmpty());
    }

    void collect(List<Subscription> out) {
      if (plain != null) {
        out.addAll(plain);
      }
      if (queues != null) {
        for (Set<Subscription> q : queues.values()) {
          out.addAll(q);
        }
      }
      if (next != null) {
        next.collect(out);
      }
    }
  }
}
