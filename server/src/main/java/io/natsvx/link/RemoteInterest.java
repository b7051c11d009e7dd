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
  /** Account, then "subject" or "subject queue", to its subscription here. */
  private final Map<String, Map<String, Subscription>> byAccount = new HashMap<>();

  RemoteInterest(Subscriber link) {
    this.link = link;
  }

  /** The far side subscribes {@code subject} ({@code queue} null for none) in {@code account}; true when new. */
  boolean add(Account account, String subject, String queue) {
    String key = queue == null ? subject : subject + " " + queue;
    Map<String, Subscription> subs = byAccount.computeIfAbsent(account.name(), k -> new HashMap<>());
    if (subs.containsKey(key)) {
      return false;
    }
    Subscription sub = new Subscription(link, subject, queue, key);
    subs.put(key, sub);
    account.subjects().insert(sub);
    return true;
  }

  /** The far side no longer subscribes it; true when it did. */
  boolean remove(Account account, String subject, String queue) {
    Map<String, Subscription> subs = byAccount.get(account.name());
    Subscription existing = subs == null ? null : subs.remove(queue == null ? subject : subject + " " + queue);
    if (existing == null) {
      return false;
    }
    existing.close();
    account.subjects().remove(existing);
    return true;
  }

  /** Whether the far side subscribes {@code subject} ({@code queue} null for none) in {@code account}. */
  boolean has(String account, String subject, String queue) {
    Map<String, Subscription> subs = byAccount.get(account);
    return subs != null && subs.containsKey(queue == null ? subject : subject + " " + queue);
  }

  int count() {
    int n = 0;
    for (Map<String, Subscription> m : byAccount.values()) {
      n += m.size();
    }
    return n;
  }

  /** By account, for monitoring. */
  Map<String, List<Subscription>> snapshot() {
    Map<String, List<Subscription>> out = new HashMap<>();
    byAccount.forEach((a, m) -> out.put(a, new ArrayList<>(m.values())));
    return out;
  }

  /**
   * Drops everything, from {@code accounts} by name (null: that account is gone), telling
   * {@code gone} of each subscription dropped.
   */
  void clear(java.util.function.Function<String, Account> accounts, java.util.function.BiConsumer<String,
      Subscription> gone) {
    byAccount.forEach((name, subs) -> {
      Account account = accounts.apply(name);
      subs.values().forEach(Subscription::close);
      if (account != null) {
        account.subjects().removeAll(subs.values());
      }
      subs.values().forEach(sub -> gone.accept(name, sub));
    });
    byAccount.clear();
  }
}
