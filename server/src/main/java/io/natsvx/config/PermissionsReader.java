package io.natsvx.config;

import io.natsvx.config.AuthOptions.PermissionOptions;
import io.natsvx.config.AuthOptions.ResponsePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@code permissions} block (a user's, or {@code default_permissions}) with nats-server's
 * keys, forms and messages (server/opts.go parseUserPermissions, parseVariablePermissions,
 * parseAllowResponses, checkPermSubjectArray). Problems go to the shared {@link ValueReader}.
 * Not thread-safe; one per read.
 */
final class PermissionsReader {

  private final ValueReader values;

  PermissionsReader(ValueReader values) {
    this.values = values;
  }

  /** The permissions under {@code key}, or null after an error. */
  PermissionOptions read(ConfNode v, String key) {
    if (!v.isMap()) {
      values.error(v, key, "Expected permissions to be a map/struct, got " + v);
      return null;
    }
    int errorsBefore = values.errors().size();
    Parts p = new Parts();
    new ConfKeys(values)
        .on("pub publish", (n, k) -> p.publish = subjectPermission(n, k, false))
        .on("sub subscribe", (n, k) -> p.subscribe = subjectPermission(n, k, true))
        .on("publish_allow_responses allow_responses", (n, k) -> p.responses = allowResponses(n, k))
        // nats-server reads these as publish/subscribe: the spelling of route permissions.
        .on("import export", (n, k) -> values.error(n, k, "not supported yet (write "
            + (k.equalsIgnoreCase("import") ? "publish" : "subscribe") + ")"))
        .read(v.asMap(), "permissions");
    if (values.errors().size() > errorsBefore) {
      return null;
    }
    List<String> publishAllow = p.publish.allow;
    if (p.responses != null && publishAllow == null) {
      // As nats-server: allow_responses turns the blanket publish allow off, so only replies
      // (and what an explicit allow list names) may be published.
      publishAllow = List.of();
    }
    return new PermissionOptions(publishAllow, p.publish.deny, p.subscribe.allow, p.subscribe.deny,
        p.responses);
  }

  /** The parts of a {@code permissions} block, as they are read. */
  private static final class Parts {
    Lists publish = new Lists();
    Lists subscribe = new Lists();
    ResponsePermission responses;
  }

  /** Allow and deny subjects; null for none. */
  private static final class Lists {
    List<String> allow;
    List<String> deny;
  }

  /**
   * A subject, a list of them (both: the allow list), or {allow, deny}; an empty map or list
   * restricts nothing.
   */
  private Lists subjectPermission(ConfNode v, String key, boolean queueAllowed) {
    Lists lists = new Lists();
    if (!v.isMap()) {
      lists.allow = subjects(v, key, queueAllowed);
      return lists;
    }
    new ConfKeys(values)
        .on("allow", (n, k) -> lists.allow = subjects(n, k, queueAllowed))
        .on("deny", (n, k) -> lists.deny = subjects(n, k, queueAllowed))
        .read(v.asMap(), key + " (only allow and deny are permitted)");
    return lists;
  }

  /** One subject or a list of subjects, each valid; null after an error. */
  List<String> subjects(ConfNode v, String key, boolean queueAllowed) {
    List<ConfNode> items;
    if (v.isString()) {
      items = List.of(v);
    } else if (v.isList()) {
      items = v.asList();
    } else {
      values.error(v, key, "Expected subject permissions to be a subject, or array of subjects, "
          + "got " + goType(v));
      return null;
    }
    if (items.isEmpty()) {
      // nats-server builds no list from [] at all, so nothing is restricted: say so.
      values.warning(v, key, "an empty list restricts nothing (as in nats-server); "
          + "deny: \">\" forbids everything");
      return null;
    }
    List<String> subjects = new ArrayList<>();
    boolean ok = true;
    for (ConfNode item : items) {
      if (!item.isString()) {
        values.error(item, key, "Subject in permissions array cannot be cast to string");
        ok = false;
        continue;
      }
      String problem = checkSubject(item.asString(), queueAllowed);
      if (problem != null) {
        values.error(item, key, problem);
        ok = false;
      }
      subjects.add(item.asString());
    }
    return ok ? List.copyOf(subjects) : null;
  }

  /**
   * nats-server's checkPermSubjectArray for one entry: null when valid, else its message. A
   * subscribe entry may be "subject queue", both parts valid subjects; a publish entry may not.
   */
  static String checkSubject(String s, boolean queueAllowed) {
    if (isValidSubject(s)) {
      return null;
    }
    String[] parts = s.strip().split("\\s+");
    if (!queueAllowed || parts.length != 2) {
      return "subject " + GoQuote.quote(s) + " is not a valid subject";
    }
    if (!isValidSubject(parts[0])) {
      return "subject " + GoQuote.quote(parts[0]) + " is not a valid subject";
    }
    if (!isValidSubject(parts[1])) {
      return "queue " + GoQuote.quote(parts[1]) + " is not a valid queue";
    }
    return null;
  }

  /**
   * nats-server's IsValidSubject: non-empty tokens separated by '.', no whitespace, nothing
   * after a '>' token; '*' and '>' are wildcards only as whole tokens.
   */
  static boolean isValidSubject(String s) {
    if (s.isEmpty()) {
      return false;
    }
    boolean afterFullWildcard = false;
    for (String token : s.split("\\.", -1)) {
      if (token.isEmpty() || afterFullWildcard) {
        return false;
      }
      for (int i = 0; i < token.length(); i++) {
        if (" \t\n\f\r".indexOf(token.charAt(i)) >= 0) {
          return false;
        }
      }
      afterFullWildcard = token.equals(">");
    }
    return true;
  }

  /** {@code allow_responses: true}, or {max, expires}; null when off or after an error. */
  private ResponsePermission allowResponses(ConfNode v, String key) {
    if (v.isBoolean()) {
      return v.asBoolean() ? ResponsePermission.DEFAULT : null;
    }
    if (!v.isMap()) {
      values.error(v, key, "error parsing response permissions, expected a boolean or a map");
      return null;
    }
    // 0 keeps the default; a negative value means no limit, or no expiry (nats-server).
    int[] max = {ResponsePermission.DEFAULT.max()};
    Duration[] expires = {ResponsePermission.DEFAULT.expires()};
    new ConfKeys(values)
        .integer("max max_msgs max_messages max_responses", m -> {
          if (m != 0) {
            max[0] = m;
          }
        })
        .on("expires expiration ttl", (n, k) -> ConfKeys.set(expires(n, k), d -> {
          if (!d.isZero()) {
            expires[0] = d;
          }
        }))
        .read(v.asMap(), key);
    return new ResponsePermission(max[0], expires[0]);
  }

  /** A Go duration string only: nats-server refuses a number here, even a plain one. */
  private Duration expires(ConfNode n, String key) {
    if (!n.isString()) {
      String hint = "";
      if (n.isInteger() && n.text() != null
          && !n.text().chars().allMatch(c -> c == '-' || Character.isDigit(c))) {
        // nats.conf reads an unquoted 1m as the number 1000000 (a size suffix).
        hint = " (unquoted " + n.text() + " is the number " + n.asLong() + "; write \"" + n.text()
            + "\" in quotes)";
      }
      values.error(n, key, "error parsing expires, not a duration string" + hint);
      return null;
    }
    try {
      return GoDuration.parse(n.asString());
    } catch (IllegalArgumentException e) {
      values.error(n, key, "error parsing expires: " + e.getMessage());
      return null;
    }
  }

  /** The Go type nats-server names with %T for a value of the wrong type. */
  static String goType(ConfNode n) {
    switch (n.kind()) {
      case INTEGER:
        return "int64";
      case FLOAT:
        return "float64";
      case BOOLEAN:
        return "bool";
      case MAP:
        return "map[string]interface {}";
      case LIST:
        return "[]interface {}";
      default:
        return "string";
    }
  }
}
