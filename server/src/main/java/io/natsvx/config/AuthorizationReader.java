package io.natsvx.config;

import io.natsvx.config.AuthOptions.PermissionOptions;
import io.natsvx.config.AuthOptions.UserOptions;
import io.natsvx.internal.NKeyCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code authorization} block and {@code no_auth_user} for {@link OptionsReader}, with
 * nats-server's keys, rules and messages (server/opts.go parseAuthorization, parseUsers, the
 * checks after them, and validateNoAuthUser), and merges {@code --user/--pass/--auth} the way
 * nats-server does. Not thread-safe; one per read.
 *
 * <p>nats-server keeps the block-level {@code user}/{@code password} apart from the
 * {@code users} list: {@code default_permissions} and {@code no_auth_user} only concern the
 * list, and the flags only replace the single user. {@link AuthOptions} has one list, so the
 * single user is the only entry and carries {@link #SINGLE_USER} as its permissions:
 * unrestricted, which keeps the runtime from giving it the default permissions, and recognised
 * by identity when the flags are merged.
 */
public final class AuthorizationReader {

  /** The permissions of the block-level user: none restricted. Compare with ==. */
  public static final PermissionOptions SINGLE_USER = new PermissionOptions(null, null, null, null, null);

  /** nats-server warns above this authorization timeout. */
  static final Duration HIGH_TIMEOUT = Duration.ofSeconds(60);

  private final ValueReader values;
  private final PermissionsReader permissions;
  private AuthOptions block;      // this file's authorization block, when read without error
  private Duration timeout;       // its timeout, when given
  private ConfNode noAuthUserAt;
  private String noAuthUser;
  private List<String> authenticators = List.of();
  private AuthCalloutOptions callout;
  private ConfNode calloutAt;

  AuthorizationReader(ValueReader values) {
    this.values = values;
    this.permissions = new PermissionsReader(values);
  }

  /** The top-level {@code authorization} block. */
  void block(ConfNode v, String key) {
    Map<String, ConfNode> m = values.map(v, key);
    if (m == null) {
      return;
    }
    int errorsBefore = values.errors().size();
    Block p = new Block();
    new ConfKeys(values)
        .stringOrNull("user username", u -> p.user = nonEmpty(u))
        .on("pass password", (n, k) -> {
          p.pass = nonEmpty(values.string(n, k));
          p.passAt = n;
        })
        .stringOrNull("token", t -> p.token = nonEmpty(t))
        .on("timeout", this::timeout)
        .on("users", (n, k) -> {
          p.usersAt = n;
          p.users = users(n, k);
        })
        .on("default_permission default_permissions permissions", (n, k) -> p.defaults = permissions.read(n, k))
        .on("authenticators", this::authenticators)
        .on("auth_callout auth_hook", (n, k) -> {
          callout = new AuthCalloutReader(values).read(n, k);
          calloutAt = n;
        })
        .error("proxy_required", "not supported yet")
        .read(m, key);
    // The same checks, in the same order, as nats-server after parseAuthorization.
    if ((p.user != null || p.pass != null) && p.token != null) {
      values.error(v, key, "Cannot have a user/pass and token");
    } else if (p.usersAt != null && p.user != null) {
      values.error(v, key, "Can not have a single user/pass and a users array");
    } else if (p.usersAt != null && p.token != null) {
      values.error(v, key, "Can not have a token and a users array");
    } else if (p.pass != null && p.user == null) {
      // nats-server keeps it, but asks nobody for it: the server would stay open.
      values.warning(p.passAt, "password", "ignored: a password needs a user");
    }
    if (values.errors().size() > errorsBefore) {
      return;
    }
    List<UserOptions> all = new ArrayList<>();
    if (p.users != null) {
      all.addAll(p.users);
    } else if (p.user != null) {
      all.add(singleUser(p.user, p.pass));
      if (p.defaults != null) {
        values.warning(v, key, "default_permissions apply to the users list only; user \""
            + p.user + "\" is not restricted (as in nats-server)");
      }
    }
    block = new AuthOptions(p.token, all, p.defaults, null);
  }

  /** The parts of an {@code authorization} block, as they are read. */
  private static final class Block {
    String user;
    String pass;
    ConfNode passAt;
    String token;
    ConfNode usersAt;
    List<UserOptions> users;
    PermissionOptions defaults;
  }

  /** natsvx only: plugin authenticators (by id) asked when built-in credentials do not fit. */
  private void authenticators(ConfNode n, String k) {
    List<ConfNode> ids = values.list(n, k);
    if (ids != null) {
      List<String> out = new ArrayList<>();
      for (ConfNode id : ids) {
        ConfKeys.set(values.string(id, k), out::add);
      }
      authenticators = out;
    }
  }

  /**
   * This file's {@code authorization} block as read, without {@code no_auth_user}; null when
   * there is none or it had errors. {@link AccountsReader} checks its users against it.
   */
  AuthOptions fileBlock() {
    return block;
  }

  /** The top-level {@code no_auth_user}; checked against the users in {@link #applyTo}. */
  void noAuthUser(ConfNode v, String key) {
    noAuthUserAt = v;
    noAuthUser = nonEmpty(values.string(v, key));
  }

  /**
   * Sets what was read on {@code b}, after checking {@code no_auth_user} as nats-server does,
   * against the accounts already set on {@code b} too.
   */
  void applyTo(ServerOptions.Builder b) {
    b.authenticators(authenticators);
    b.authCallout(callout);
    if (callout != null) {
      Set<String> names = new HashSet<>();
      b.build().accounts().forEach(a -> names.add(a.name()));
      for (String allowed : callout.allowedAccounts()) {
        if (!names.contains(allowed)) {
          values.error(calloutAt, "allowed_accounts", "auth_callout allowed account \"" + allowed
              + "\" not found in configured accounts");
        }
      }
    }
    if (timeout != null) {
      b.authTimeout(timeout);
    }
    if (block == null && noAuthUserAt == null) {
      return;
    }
    ServerOptions current = b.build();
    AuthOptions a = block != null ? block : current.authorization();
    if (noAuthUserAt != null) {
      a = new AuthOptions(a.token(), a.users(), a.defaultPermissions(), noAuthUser);
      checkNoAuthUser(a, current.accounts());
    }
    b.authorization(a);
  }

  /**
   * nats-server's validateNoAuthUser: the name must be a user or nkey of the users list or of an
   * account.
   */
  private void checkNoAuthUser(AuthOptions a, List<AccountOptions> accounts) {
    String name = a.noAuthUser();
    if (name == null) {
      return;
    }
    List<UserOptions> listed = new ArrayList<>(hasSingleUser(a) ? List.of() : a.users());
    accounts.forEach(acc -> listed.addAll(acc.users()));
    if (listed.isEmpty()) {
      values.error(noAuthUserAt, "no_auth_user: \"" + name
          + "\" present, but users/nkeys are not defined");
      return;
    }
    for (UserOptions u : listed) {
      if (name.equals(u.user()) || name.equals(u.nkey())) {
        return;
      }
    }
    values.error(noAuthUserAt, "no_auth_user: \"" + name
        + "\" not present as user or nkey in authorization block or account configuration");
  }

  /**
   * As {@link #withFlags(AuthOptions, String, String, String)} for options with accounts: users
   * of accounts are a users list too, so the flags change nothing then (nats-server's
   * configureAuthorization looks at the users before the single user and the token).
   */
  public static AuthOptions withFlags(ServerOptions o, String user, String pass, String token) {
    for (AccountOptions acc : o.accounts()) {
      if (!acc.users().isEmpty()) {
        return o.authorization();
      }
    }
    return withFlags(o.authorization(), user, pass, token);
  }

  /**
   * {@code --user}, {@code --pass}, {@code --auth} on top of the file, with nats-server's effect:
   * each non-empty flag replaces its file value (MergeOptions); a users list still wins over
   * them, and a token over a single user (auth.go, processClientOrLeafAuthentication).
   */
  static AuthOptions withFlags(AuthOptions a, String user, String pass, String token) {
    boolean single = hasSingleUser(a);
    if (!single && !a.users().isEmpty()) {
      return a;
    }
    UserOptions fileUser = single ? a.users().get(0) : null;
    String u = nonEmpty(user) != null ? user : fileUser == null ? null : fileUser.user();
    String p = nonEmpty(pass) != null ? pass : fileUser == null ? null : fileUser.password();
    String t = nonEmpty(token) != null ? token : a.token();
    if (t != null) {
      return new AuthOptions(t, List.of(), a.defaultPermissions(), a.noAuthUser());
    }
    if (u != null) {
      return new AuthOptions(null, List.of(singleUser(u, p)), a.defaultPermissions(),
          a.noAuthUser());
    }
    return a;
  }

  /** Whether the only user is the block-level (or flag) user/password. */
  static boolean hasSingleUser(AuthOptions a) {
    return a.users().size() == 1 && a.users().get(0).permissions() == SINGLE_USER;
  }

  private static UserOptions singleUser(String user, String pass) {
    // nats-server compares a missing password as the empty string.
    return new UserOptions(user, pass == null ? "" : pass, null, SINGLE_USER);
  }

  // ---- timeout ----

  /** Seconds (integer or float) or a Go duration; 0 means the default (nats-server). */
  private void timeout(ConfNode n, String key) {
    Duration d;
    String written;
    if (n.isInteger()) {
      d = Duration.ofSeconds(n.asLong());
      written = Long.toString(n.asLong());
    } else if (n.isFloat()) {
      d = Duration.ofNanos(Math.round(n.asDouble() * 1e9));
      written = n.text();
    } else if (n.isString()) {
      try {
        d = GoDuration.parse(n.asString());
      } catch (IllegalArgumentException e) {
        values.error(n, key, "error parsing authorization config, 'timeout' " + e.getMessage());
        return;
      }
      written = n.asString();
    } else {
      values.error(n, key, "error parsing authorization config, 'timeout' wrong type");
      return;
    }
    if (d.isNegative()) {
      // nats-server would time every client out at once; say so instead.
      values.error(n, key, "must not be negative");
      return;
    }
    if (d.compareTo(HIGH_TIMEOUT) > 0) {
      String seconds = String.format(Locale.ROOT, "%f", d.getSeconds() + d.getNano() / 1e9);
      values.warning(n, "invalid use of field \"" + key + "\": timeout of " + written + " ("
          + seconds + " seconds) is high, consider keeping it under 60 seconds. possibly caused "
          + "by unquoted duration; use '1m' instead of 1m, for example");
    }
    timeout = d.isZero() ? Defaults.AUTH_TIMEOUT : d;
  }

  // ---- users ----

  /**
   * A {@code users} list (the block's, or an account's), each entry checked as nats-server
   * does; null after an error about the list itself.
   */
  List<UserOptions> users(ConfNode v, String key) {
    if (!v.isList()) {
      values.error(v, key, "Expected users field to be an array, got " + v);
      return null;
    }
    List<UserOptions> users = new ArrayList<>();
    // One name space for users and nkeys, as nats-server's duplicate check.
    Set<String> seen = new HashSet<>();
    for (ConfNode item : v.asList()) {
      if (!item.isMap()) {
        values.error(item, key, "Expected user entry to be a map/struct, got " + item);
        continue;
      }
      UserOptions u = user(item, key);
      if (u == null) {
        continue;
      }
      String name = u.nkey() != null ? u.nkey() : u.user();
      if (!seen.add(name)) {
        values.error(item, key, "Duplicate " + (u.nkey() != null ? "nkey " : "user ")
            + GoQuote.quote(name) + " detected");
        continue;
      }
      users.add(u);
    }
    return users;
  }

  /** One entry of {@code users}: a user (and password) or an nkey, and permissions. */
  private UserOptions user(ConfNode entry, String usersKey) {
    int errorsBefore = values.errors().size();
    Entry p = new Entry();
    new ConfKeys(values)
        .on("nkey", (n, k) -> {
          p.nkey = nonEmpty(values.string(n, k));
          p.nkeyAt = n;
        })
        .stringOrNull("user username", u -> p.name = nonEmpty(u))
        .stringOrNull("pass password", pw -> p.pass = nonEmpty(pw))
        .on("permission permissions authorization", (n, k) -> p.perms = permissions.read(n, k))
        // Ignoring a restriction would let the user in where it must not be.
        .error("allowed_connection_types connection_types clients proxy_required", "not supported yet")
        .read(entry.asMap(), usersKey + " entry");
    if (values.errors().size() > errorsBefore) {
      return null;
    }
    if (p.nkey == null && p.name == null) {
      values.error(entry, usersKey, "User entry requires a user");
      return null;
    }
    if (p.nkey == null) {
      return new UserOptions(p.name, p.pass == null ? "" : p.pass, null, p.perms);
    }
    if (NKeyCodec.decode(p.nkey, NKeyCodec.PREFIX_USER) == null) {
      values.error(p.nkeyAt, "nkey", "Not a valid public nkey for a user");
      return null;
    }
    if (p.name != null || p.pass != null) {
      values.error(entry, usersKey, "Nkey users do not take usernames or passwords");
      return null;
    }
    return new UserOptions(null, null, p.nkey, p.perms);
  }

  /** The parts of a {@code users} entry, as they are read. */
  private static final class Entry {
    String name;
    String pass;
    String nkey;
    ConfNode nkeyAt;
    PermissionOptions perms;
  }

  private static String nonEmpty(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
