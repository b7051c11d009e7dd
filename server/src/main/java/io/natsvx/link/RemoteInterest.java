package io.natsvx.link;

import io.natsvx.account.Account;
import io.natsvx.subject.Subscriber;
import io.natsvx.subject.Subscription;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The far side's interest over one link, kept as subscriptions of the link in each account's
 * index, so a local publish finds the link by the same match as a local subscriber. Counted
 * once per subject (and queue group): a repeated add or a remove of what is unknown changes
 * nothing. The link's loop only.
 */
final class RemoteInterest {

  private final Subscriber link;
  /** A subscription held for the far side, and the leaf cluster it said it is for (null: itself). */
  record Held(Subscription sub, String origin) {}

  /** Account, then "subject" or "subject queue", to its subscription here. */
  private final Map<String, Map<String, Held>> byAccount = new HashMap<>();

  RemoteInterest(Subscriber link) {
    this.link = link;
  }

  /**
   * The far side subscribes {@code subject} ({@code queue} null for none) in {@code account},
   * for leaf cluster {@code origin} (null: itself); true when new.
   */
  boolean add(Account account, String subject, String queue, String origin) {
    String key = queue == null ? subject : subject + " " + queue;
    Map<String, Held> subs = byAccount.computeIfAbsent(account.name(), k -> new HashMap<>());
    if (subs.containsKey(key)) {
      return false;
    }
    Subscription sub = new Subscription(link, subject, queue, key);
    subs.put(key, new Held(sub, origin));
    account.subjects().insert(sub);
    return true;
  }

  /** The far side no longer subscribes it; what was held, or null when it did not. */
  Held remove(Account account, String subject, String queue) {
    Map<String, Held> subs = byAccount.get(account.name());
    Held existing = subs == null ? null : subs.remove(queue == null ? subject : subject + " " + queue);
    if (existing == null) {
      return null;
    }
    existing.sub().close();
    account.subjects().remove(existing.sub());
    return existing;
  }

  /** Whether the far side subscribes {@code subject} ({@code queue} null for none) in {@code account}. */
  boolean has(String account, String subject, String queue) {
    Map<String, Held> subs = byAccount.get(account);
    return subs != null && subs.containsKey(queue == null ? subject : subject + " " + queue);
  }

  int count() {
    int n = 0;
    for (Map<String, Held> m : byAccount.values()) {
      n += m.size();
    }
    return n;
  }

  /** By account, for monitoring. */
  Map<String, List<Subscription>> snapshot() {
    Map<String, List<Subscription>> out = new HashMap<>();
    byAccount.forEach((a, m) -> out.put(a, m.values().stream().map(Held::sub).toList()));
    return out;
  }

  /**
   * Drops everything, from {@code accounts} by name (null: that account is gone), telling
   * {@code gone} of each subscription dropped.
   */
  void clear(java.util.function.Function<String, Account> accounts, java.util.function.BiConsumer<String,
      Held> gone) {
    byAccount.forEach((name, subs) -> {
      Account account = accounts.apply(name);
      List<Subscription> all = subs.values().stream().map(Held::sub).toList();
      all.forEach(Subscription::close);
      if (account != null) {
        account.subjects().removeAll(all);
      }
      subs.values().forEach(held -> gone.accept(name, held));
    });
    byAccount.clear();
  }
}
