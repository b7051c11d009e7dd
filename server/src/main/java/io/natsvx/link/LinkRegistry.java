package io.natsvx.link;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registered links of one kind, one per far server id (nats-server's routes by remote id):
 * a second link to the same server is refused as a duplicate, and the one kept is told to be
 * redialed should it drop (both sides may have dropped opposite ones). What one link's peer says
 * of itself can be told to all the others (gossip). The link verticle's loop, but {@link #count}.
 */
public final class LinkRegistry<L extends LinkConnection> {

  private final Map<String, L> byId = new LinkedHashMap<>();
  private volatile int count;

  /** Registers {@code link} as server {@code id}'s; false when that server already has one. */
  public boolean register(String id, L link, Runnable keepRetrying) {
    L existing = byId.get(id);
    if (existing != null && existing != link) {
      keepRetrying.run();
      return false;
    }
    byId.put(id, link);
    count = byId.size();
    return true;
  }

  /** Forgets {@code link}; true when it was the one registered for {@code id}. */
  public boolean remove(String id, L link) {
    if (id == null || byId.get(id) != link) {
      return false;
    }
    byId.remove(id);
    count = byId.size();
    return true;
  }

  public boolean has(String id) {
    return byId.containsKey(id);
  }

  public L get(String id) {
    return byId.get(id);
  }

  public Collection<L> all() {
    return byId.values();
  }

  /** A copy, for readers on other threads. */
  public List<L> snapshot() {
    return new ArrayList<>(byId.values());
  }

  /** How many are registered; any thread (a snapshot). */
  public int count() {
    return count;
  }

  /** Tells every registered link but {@code except} (null for none) {@code proto}. */
  public void tellOthers(L except, byte[] proto) {
    for (L other : byId.values()) {
      if (other != except) {
        other.queue(proto);
      }
    }
  }
}
