package io.natsvx.config;

import io.natsvx.config.AuthOptions.PermissionOptions;
import io.natsvx.config.AuthOptions.UserOptions;
import io.natsvx.config.ExportImportReader.ReadExport;
import io.natsvx.config.ExportImportReader.ReadImport;
import io.natsvx.internal.NKeyCodec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code accounts} block and {@code system_account} for {@link OptionsReader}, with
 * nats-server's keys, rules and messages (server/opts.go parseAccounts,
 * configureSystemAccount; server.go configureAccounts). An account's users are read as the
 * {@code authorization} block's are, by {@link AuthorizationReader}; users must be unique across
 * accounts and that block. Not thread-safe; one per read.
 */
final class AccountsReader {

  /** nats-server's global account: no configured account may take its name. */
  static final String GLOBAL = "$G";


  /** An account as read, with where its users were written. */
  record ReadAccount(String name, List<UserOptions> users, ConfNode usersAt,
      List<ReadExport> exports, List<ReadImport> imports, AccountOptions.Limits limits,
      JetStreamOptions.AccountLimits jetStream) {}

  private final ValueReader values;
  private final AuthorizationReader auth;
  private final PermissionsReader permissions;
  private final ExportImportReader entries;
  private final List<ReadAccount> accounts = new ArrayList<>();
  private boolean present;
  private boolean operatorMode;
  private boolean readErrors;
  private ConfNode systemAt;
  private String systemKey;
  private String system;

  AccountsReader(ValueReader values, AuthorizationReader auth) {
    this.values = values;
    this.auth = auth;
    this.permissions = new PermissionsReader(values);
    this.entries = new ExportImportReader(values);
  }

  /** The top-level {@code accounts}: a map of accounts, or a list of bare account names. */
  void block(ConfNode v, String key) {
    present = true;
    int errorsBefore = values.errors().size();
    if (v.isList()) {
      names(v, key);
    } else if (v.isMap()) {
      for (Map.Entry<String, ConfNode> e : v.asMap().entrySet()) {
        account(e.getKey(), e.getValue());
      }
    } else {
      values.error(v, key, "expected a map of accounts or a list of account names, got "
          + ValueReader.describe(v));
    }
    readErrors |= values.errors().size() > errorsBefore;
  }

  private void names(ConfNode v, String key) {
    Set<String> seen = new HashSet<>();
    for (ConfNode item : v.asList()) {
      String name = values.string(item, key);
      if (name == null) {
        continue;
      }
      if (name.equals(GLOBAL)) {
        values.error(item, key, GoQuote.quote(name) + " is a Reserved Account");
      } else if (!seen.add(name)) {
        values.error(item, key, "Duplicate Account Entry: " + name);
      } else {
        accounts.add(new ReadAccount(name, List.of(), null, List.of(), List.of(), AccountOptions.Limits.NONE, null));
      }
    }
  }

  private void account(String name, ConfNode v) {
    if (v.usedAsVariable()) {
      return; // a $NAME elsewhere used it: a variable, not an account (as nats-server)
    }
    if (!v.isMap()) {
      values.error(v, name, "Expected map entries for accounts");
      return;
    }
    if (name.equals(GLOBAL)) {
      values.error(v, name, GoQuote.quote(name) + " is a Reserved Account");
      return;
    }
    Parts p = new Parts();
    new ConfKeys(values)
        .on("users", (n, k) -> {
          p.usersAt = n;
          List<UserOptions> read = auth.users(n, k);
          p.users = read == null ? List.of() : read;
        })
        .on("default_permissions", (n, k) -> p.defaults = permissions.read(n, k))
        .on("exports", (n, k) -> p.exports = entries.exports(n, k))
        .on("imports", (n, k) -> p.imports = entries.imports(n, k))
        .on("nkey", this::nkey)
        .on("limits", (n, k) -> p.limits = limits(n, k, name))
        .on("jetstream", (n, k) -> p.jetStream = JetStreamReader.account(values, n, k))
        // Ignoring them would drop limits and subject rewrites the account relies on.
        .error("mappings maps", "not supported yet")
        // Accepted in the authorization block only; a warning would leave the users open.
        .on("default_permission permissions", (n, k) -> values.error(n, k, "unknown field \"" + k
            + "\" in account " + GoQuote.quote(name) + " (nats-server reads default_permissions here)"))
        .read(v.asMap(), "account " + GoQuote.quote(name));
    accounts.add(new ReadAccount(name, withDefaults(p.users, p.defaults), p.usersAt, p.exports, p.imports, p.limits,
        p.jetStream));
  }

  /** The parts of an account, as they are read. */
  private static final class Parts {
    List<UserOptions> users = List.of();
    ConfNode usersAt;
    PermissionOptions defaults;
    List<ReadExport> exports = List.of();
    List<ReadImport> imports = List.of();
    AccountOptions.Limits limits = AccountOptions.Limits.NONE;
    JetStreamOptions.AccountLimits jetStream;
  }

  /** nats-server's applyDefaultPermissions: for the account's users without their own. */
  private static List<UserOptions> withDefaults(List<UserOptions> users,
      PermissionOptions defaults) {
    if (defaults == null) {
      return users;
    }
    List<UserOptions> out = new ArrayList<>();
    for (UserOptions u : users) {
      out.add(u.permissions() != null ? u
          : new UserOptions(u.user(), u.password(), u.nkey(), defaults));
    }
    return out;
  }

  /** An account's public nkey: checked as nats-server does, then unused (config mode). */
  private void nkey(ConfNode n, String key) {
    String nk = n.isString() ? n.asString() : null;
    if (nk == null || NKeyCodec.decode(nk, NKeyCodec.PREFIX_ACCOUNT) == null) {
      values.error(n, key, "Not a valid public nkey for an account: "
          + GoQuote.quote(nk != null ? nk : String.valueOf(n.toPlain())));
      return;
    }
    values.warning(n, key, "not used without an operator (ignored)");
  }

  /**
   * {@code system_account} or its alias {@code system}. nats-server reads these two exact,
   * lower-case keys before anything else, the first winning, and ignores other spellings.
   */
  void systemAccount(ConfNode v, String key) {
    boolean main = key.equals("system_account");
    if (!main && !key.equals("system")) {
      values.warning(v, key, "ignored: nats-server reads only \"system_account\" and \"system\","
          + " in lower case");
      return;
    }
    if (!main && "system_account".equals(systemKey)) {
      return;
    }
    systemAt = v;
    systemKey = key;
    system = null;
    if (!v.isString()) {
      values.error(v, key, "system account name must be a string");
      return;
    }
    // nats-server: an empty name leaves the default system account.
    system = v.asString().isEmpty() ? null : v.asString();
  }

  /**
   * Checks what needs every key read (users against the authorization block, imports against
   * exports, the system account) and sets the accounts on {@code b}.
   */
  boolean present() {
    return present;
  }

  /**
   * In operator mode the system account is an account public key resolved like any other; the
   * operator's own {@code system_account} applies unless the file names one.
   */
  void operatorSystemAccount(boolean operatorMode, String operatorSystem) {
    this.operatorMode = operatorMode;
    if (operatorMode && system == null && operatorSystem != null) {
      system = operatorSystem;
    }
  }

  void applyTo(ServerOptions.Builder b) {
    List<AccountOptions> out = checkUsers(auth.fileBlock());
    if (!readErrors) {
      // As nats-server, which checks imports only after an error-free read.
      new ImportsCheck(values, accounts).run();
    }
    if (present) {
      b.accounts(out);
    }
    if (system != null && checkSystem()) {
      b.systemAccount(system);
    }
  }

  private List<AccountOptions> checkUsers(AuthOptions fileAuth) {
    boolean single = fileAuth != null && AuthorizationReader.hasSingleUser(fileAuth);
    Set<String> names = new HashSet<>();
    if (fileAuth != null && !single) {
      fileAuth.users().forEach(u -> names.add(u.nkey() != null ? u.nkey() : u.user()));
    }
    List<AccountOptions> out = new ArrayList<>();
    for (ReadAccount a : accounts) {
      List<UserOptions> kept = new ArrayList<>();
      if (!a.users().isEmpty() && single) {
        values.error(a.usersAt(), "users", "Can not have a single user/pass and accounts");
      } else if (!a.users().isEmpty() && fileAuth != null && fileAuth.token() != null) {
        values.error(a.usersAt(), "users", "Can not have a token and accounts");
      } else {
        for (UserOptions u : a.users()) {
          String name = u.nkey() != null ? u.nkey() : u.user();
          if (names.add(name)) {
            kept.add(u);
          } else {
            values.error(a.usersAt(), "users", "Duplicate " + (u.nkey() != null ? "nkey " : "user ")
                + GoQuote.quote(name) + " detected");
          }
        }
      }
      out.add(new AccountOptions(a.name(), kept,
          a.exports().stream().map(ReadExport::export).toList(),
          a.imports().stream().map(ReadImport::imp).toList(), a.limits(), a.jetStream()));
    }
    return out;
  }

  /** nats-server's parseAccountLimits: connections, subscriptions, payload (leaf nodes come later). */
  private AccountOptions.Limits limits(ConfNode n, String key, String account) {
    if (!n.isMap()) {
      values.error(n, key, "Expected account limits to be a map/struct, got " + ValueReader.describe(n));
      return AccountOptions.Limits.NONE;
    }
    int[] limits = {0, 0, 0}; // connections, subscriptions, payload
    new ConfKeys(values)
        .on("max_connections max_conn", (v, k) -> limits[0] = orZero(values.integer(v, k, -1, Integer.MAX_VALUE)))
        .on("max_subscriptions max_subs", (v, k) -> limits[1] = orZero(values.integer(v, k, -1, Integer.MAX_VALUE)))
        .on("max_payload max_pay", (v, k) -> {
          Long size = values.size(v, k);
          limits[2] = size == null || size > Integer.MAX_VALUE || size < 0 ? 0 : size.intValue();
        })
        .error("max_leafnodes max_leafs", "not supported yet")
        .read(n.asMap(), "account " + GoQuote.quote(account) + " limits");
    return new AccountOptions.Limits(limits[0], limits[1], limits[2]);
  }

  private static int orZero(Integer v) {
    return v == null || v < 0 ? 0 : v;
  }

  /** nats-server starts only if the system account is configured (or is the global one). */
  private boolean checkSystem() {
    if (operatorMode) {
      if (NKeyCodec.decode(system, NKeyCodec.PREFIX_ACCOUNT) != null) {
        return true;
      }
      if (systemAt != null) {
        values.error(systemAt, systemKey, "system account " + GoQuote.quote(system)
            + " is not an account public key, as operator mode requires");
      }
      return false;
    }
    for (ReadAccount a : accounts) {
      if (a.name().equals(system)) {
        return true;
      }
    }
    if (system.equals(GLOBAL)) {
      values.warning(systemAt, systemKey, "the global account is the system account: clients "
          + "without an account of their own get its privileges (as in nats-server)");
      return true;
    }
    values.error(systemAt, systemKey, "error resolving system account: account missing ("
        + GoQuote.quote(system) + " is not in accounts)");
    return false;
  }
}
