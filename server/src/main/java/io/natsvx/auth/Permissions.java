package io.natsvx.auth;

import io.natsvx.config.AuthOptions.PermissionOptions;
import io.natsvx.config.AuthOptions.ResponsePermission;
import io.natsvx.subject.MatchResult;
import io.natsvx.subject.SubjectIndex;
import io.natsvx.subject.SubjectKey;
import io.natsvx.subject.Subjects;
import io.natsvx.subject.Subscriber;
import io.natsvx.subject.Subscription;
import java.util.List;

/**
 * One user's publish and subscribe permissions, compiled into subject indexes, with
 * nats-server's rules (client.go canSubscribe, pubAllowed): an allow list, when present, must
 * match; a deny list must not; a subscribe entry "subject queue" constrains queue subscribers;
 * allow_responses turns the blanket publish allow off except for replies received. Thread-safe
 * and shared by all connections of the user; per-connection caches live in the connection.
 */
public final class Permissions {

  private static final Subscriber RULE = () -> 0;

  private final SubjectIndex pubAllow;
  private final SubjectIndex pubDeny;
  private final SubjectIndex subAllow;
  private final SubjectIndex subDeny;
  private final List<String> subDenyList;
  private final ResponsePermission responses;
  private final PermissionOptions options;

  public Permissions(PermissionOptions p) {
    this.options = p;
    this.responses = p.allowResponses();
    List<String> allow = p.publishAllow();
    if (allow == null && responses != null) {
      allow = List.of(); // replies only, unless something is allowed explicitly
    }
    this.pubAllow = index(allow);
    this.pubDeny = index(p.publishDeny());
    this.subAllow = index(p.subscribeAllow());
    this.subDeny = index(p.subscribeDeny());
    this.subDenyList = p.subscribeDeny() == null ? List.of() : List.copyOf(p.subscribeDeny());
  }

  private static SubjectIndex index(List<String> entries) {
    if (entries == null) {
      return null;
    }
    SubjectIndex idx = new SubjectIndex();
    for (String e : entries) {
      String[] parts = e.trim().split("\\s+", 2);
      idx.insert(new Subscription(RULE, parts[0], parts.length > 1 ? parts[1] : null, e));
    }
    return idx;
  }

  /** The same permissions, also denying publish to {@code subject}; from none when {@code p} is null. */
  public static Permissions denyingPublish(Permissions p, String subject) {
    PermissionOptions o = p == null ? new PermissionOptions(null, null, null, null, null) : p.options;
    List<String> deny = new java.util.ArrayList<>(o.publishDeny() == null ? List.of() : o.publishDeny());
    deny.add(subject);
    return new Permissions(new PermissionOptions(o.publishAllow(), deny, o.subscribeAllow(), o.subscribeDeny(),
        o.allowResponses()));
  }

  /** The lists these were compiled from. */
  public PermissionOptions options() {
    return options;
  }

  public boolean restrictsPublish() {
    return pubAllow != null || pubDeny != null;
  }

  public ResponsePermission responses() {
    return responses;
  }

  /** Whether publishing to the subject is allowed by the lists (replies are checked by the caller). */
  public boolean canPublish(SubjectKey subject) {
    boolean allowed = pubAllow == null || pubAllow.match(subject).plain().length > 0;
    if (allowed && pubDeny != null) {
      allowed = pubDeny.match(subject).plain().length == 0;
    }
    return allowed;
  }

  /** Whether a subscription to the subject (in the given queue, or null) is allowed. */
  public boolean canSubscribe(String subject, String queue) {
    boolean allowed = true;
    if (subAllow != null) {
      MatchResult r = subAllow.match(subject);
      allowed = r.plain().length > 0;
      if (queue != null && r.queues().length > 0) {
        allowed = queueMatches(queue, r);
      }
    }
    if (allowed && subDeny != null) {
      MatchResult r = subDeny.match(subject);
      allowed = r.plain().length == 0;
      if (queue != null && r.queues().length > 0) {
        allowed = !queueMatches(queue, r);
      }
    }
    return allowed;
  }

  /**
   * Whether a wildcard subscription reaches into a denied subject, so each delivery to it must
   * be checked ({@link #denies}), as nats-server's message deny filter.
   */
  public boolean needsDeliveryCheck(String subscription) {
    if (subDenyList.isEmpty() || Subjects.isLiteral(subscription)) {
      return false;
    }
    for (String d : subDenyList) {
      String subject = d.trim().split("\\s+", 2)[0];
      if (Subjects.matches(subscription, subject) || overlaps(subscription, subject)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a message on this literal subject must not be delivered to this user. */
  public boolean denies(SubjectKey subject) {
    return subDeny != null && subDeny.match(subject).plain().length > 0;
  }

  private static boolean queueMatches(String queue, MatchResult r) {
    for (Subscription[] group : r.queues()) {
      String q = group[0].queue();
      if (queue.equals(q) || (!Subjects.isLiteral(q) && Subjects.matches(q, queue))) {
        return true;
      }
    }
    return false;
  }

  /** Whether two patterns can match a common subject (a deny pattern inside a wildcard sub). */
  private static boolean overlaps(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    int n = Math.min(x.length, y.length);
    for (int i = 0; i < n; i++) {
      if (x[i].equals(">") || y[i].equals(">")) {
        return true;
      }
      if (!x[i].equals("*") && !y[i].equals("*") && !x[i].equals(y[i])) {
        return false;
      }
    }
    return x.length == y.length;
  }
}
