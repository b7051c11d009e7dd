package io.natsvx.gateway;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An outbound link's view of a far cluster that does not switch accounts to interest-only mode
 * at once (no {@code gateway_iom}: nats-server before 2.9, nats-server's outsie): each account
 * starts optimistic, every message crosses but to the subjects the far side said RS- of, or
 * none after its A-; once the far side starts sending all its subscriptions for the account
 * (gateway_cmd 2) they count, and after it is done (gateway_cmd 3) only they do. Modes change
 * on the gateway verticle's loop; {@link #crosses} is read on any.
 */
final class OptimisticInterest {

  enum Mode { OPTIMISTIC, NO_INTEREST, TRANSITIONING, INTEREST_ONLY }

  private final Map<String, Mode> modes = new HashMap<>();
  private final Map<String, Set<String>> noInterest = new ConcurrentHashMap<>();
  private volatile boolean anyNoInterest;

  /** {@code account} starts optimistic. */
  void optimistic(String account) {
    modes.put(account, Mode.OPTIMISTIC);
  }

  Mode mode(String account) {
    return modes.getOrDefault(account, Mode.INTEREST_ONLY);
  }

  /** Whether RS+ and RS- of plain subscriptions are subscriptions now (not optimistic mode's markers). */
  boolean storesPlain(String account) {
    Mode m = mode(account);
    return m == Mode.TRANSITIONING || m == Mode.INTEREST_ONLY;
  }

  /** RS- in optimistic mode: nothing more on {@code subject}. */
  void noInterest(String account, String subject) {
    noInterest.computeIfAbsent(account, a -> ConcurrentHashMap.newKeySet()).add(subject);
    anyNoInterest = true;
  }

  /** RS+ in optimistic mode: {@code subject} (a wildcard: every subject it covers) is wanted again. */
  void interest(String account, String subject) {
    Set<String> s = noInterest.get(account);
    if (s != null) {
      s.removeIf(k -> io.natsvx.subject.Subjects.matches(subject, k));
    }
  }

  /** A-: nothing in the account crosses; A+: optimistic again from scratch. */
  void account(String account, boolean interest) {
    noInterest.remove(account);
    modes.put(account, interest ? Mode.OPTIMISTIC : Mode.NO_INTEREST);
  }

  /** gateway_cmd 2 and 3: the far side's subscriptions count, then only they do. */
  void switching(String account, boolean complete) {
    modes.put(account, complete ? Mode.INTEREST_ONLY : Mode.TRANSITIONING);
    if (complete) {
      noInterest.remove(account);
    }
  }

  /** Whether a message on {@code subject} may cross in {@code account}; any loop. */
  boolean crosses(byte[] account, byte[] subject, int off, int len) {
    if (!anyNoInterest) {
      return true;
    }
    Set<String> s = noInterest.get(new String(account, StandardCharsets.UTF_8));
    return s == null || s.isEmpty() || !s.contains(new String(subject, off, len, StandardCharsets.UTF_8));
  }
}
