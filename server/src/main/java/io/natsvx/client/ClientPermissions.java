package io.natsvx.client;

import io.natsvx.auth.Permissions;
import io.natsvx.subject.SubjectKey;
import java.util.HashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One client's permissions in force (null for none) and what they cache: publish decisions by
 * subject, and the reply subjects the client received that {@code allow_responses} lets it
 * publish to (nats-server's pubAllowed and replies). The client's loop, but {@link #received}
 * which producers call on theirs.
 */
final class ClientPermissions {

  private Permissions permissions;
  /** Publish decisions by subject; made on first use. */
  private HashMap<SubjectKey, Boolean> publishAllowed;
  /** Reply subject to {granted at nanos, answers sent}. Any loop. */
  private ConcurrentHashMap<String, long[]> replies;

  Permissions get() {
    return permissions;
  }

  /** New permissions; {@code keepGrants} keeps the replies already granted (a reload). */
  void set(Permissions next, boolean keepGrants) {
    permissions = next;
    publishAllowed = null;
    boolean responses = next != null && next.responses() != null;
    replies = !responses ? null : keepGrants && replies != null ? replies : new ConcurrentHashMap<>();
  }

  boolean canSubscribe(String subject, String queue) {
    return permissions == null || permissions.canSubscribe(subject, queue);
  }

  /** Whether each delivery to a subscription of {@code subject} must pass the deny list. */
  boolean needsDeliveryCheck(String subject) {
    return permissions != null && permissions.needsDeliveryCheck(subject);
  }

  boolean denies(SubjectKey subject) {
    return permissions.denies(subject);
  }

  /** A message with {@code reply} reached the client: it may answer it (allow_responses). Any loop. */
  void received(String reply) {
    ConcurrentHashMap<String, long[]> r = replies;
    if (r != null) {
      r.put(reply, new long[] {System.nanoTime(), 0});
    }
  }

  boolean grantsReplies() {
    return replies != null;
  }

  /** The lists, cached per subject, then replies this client received. */
  boolean mayPublish(SubjectKey subject) {
    if (permissions == null || !permissions.restrictsPublish()) {
      return true;
    }
    if (publishAllowed == null) {
      publishAllowed = new HashMap<>();
    }
    Boolean cached = publishAllowed.get(subject);
    if (cached != null) {
      return cached;
    }
    boolean allowed = permissions.canPublish(subject);
    if (!allowed && replies != null) {
      long[] r = replies.get(subject.subject());
      if (r != null) {
        r[1]++;
        var resp = permissions.responses();
        boolean tooMany = resp.max() > 0 && r[1] > resp.max();
        boolean expired = !resp.expires().isZero() && System.nanoTime() - r[0] > resp.expires().toNanos();
        if (tooMany || expired) {
          replies.remove(subject.subject());
        } else {
          allowed = true;
        }
      }
      return allowed; // reply grants change over time: not cached
    }
    if (publishAllowed.size() >= 256) {
      publishAllowed.clear();
    }
    publishAllowed.put(subject.copyKey(), allowed);
    return allowed;
  }
}
