package io.natsvx.auth;

import io.natsvx.internal.NKeys;
import io.natsvx.protocol.ConnectOptions;
import io.natsvx.config.AuthOptions;
import io.natsvx.config.AuthOptions.PermissionOptions;
import io.natsvx.config.AuthOptions.UserOptions;
import io.natsvx.tls.CertificateUsers;
import io.natsvx.plugin.api.AuthRequest;
import io.natsvx.plugin.api.AuthResult;
import io.natsvx.plugin.api.Authenticator;
import io.vertx.core.Future;
import java.util.List;
import java.security.cert.X509Certificate;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;

/**
 * The built-in authentication of nats-server (auth.go processClientOrLeafAuthentication,
 * without operator mode): an nkey with its signature over the nonce, then user and password,
 * then the token; {@code no_auth_user} for clients that bring no credentials. Checks that need
 * bcrypt run on a worker; the others answer at once. Thread-safe; rebuilt on reload.
 */
public final class AuthService {

  /**
   * Who a client turned out to be; {@code user} is null for token or open servers, {@code account}
   * null for the global account. The user's own limits (from a user token) are -1 when there are
   * none; 0 subscriptions means none allowed, as in nats-server. {@code expiresAtSeconds} is the
   * token's expiry (epoch seconds), 0 for none.
   */
  public record Result(boolean ok, String user, Permissions permissions, String account, long maxSubscriptions,
      long maxPayload, long expiresAtSeconds) {
    static final Result DENIED = new Result(false, null, null, null);

    public Result(boolean ok, String user, Permissions permissions) {
      this(ok, user, permissions, null);
    }

    public Result(boolean ok, String user, Permissions permissions, String account) {
      this(ok, user, permissions, account, -1, -1, 0);
    }
  }

  private final Vertx vertx;
  private final AuthOptions options;
  private final Map<String, UserOptions> users = new HashMap<>();
  private final Map<String, UserOptions> nkeys = new HashMap<>();
  private final Map<UserOptions, Permissions> permissions = new java.util.IdentityHashMap<>();
  private final Map<UserOptions, String> accountOf = new java.util.IdentityHashMap<>();

  private final List<Authenticator> plugins;
  private final OperatorAuth operator;
  private final AuthCallout callout;
  private final ConfigCallout calloutPolicy;
  /**
   * nats-server's hidden no_auth_user: when the system account's users are the only ones
   * configured, clients that bring no credentials still get in, to the global account.
   */
  private final boolean anonymousGlobal;

  public AuthService(Vertx vertx, io.natsvx.config.ServerOptions server) {
    this(vertx, server, List.of(), null, null);
  }

  /**
   * With plugin authenticators, asked in order for clients the built-in checks do not let in,
   * and, in operator mode, the user-token check ahead of them.
   */
  public AuthService(Vertx vertx, io.natsvx.config.ServerOptions server, List<Authenticator> plugins,
      OperatorAuth operator, AuthCallout callout) {
    this.plugins = List.copyOf(plugins);
    this.operator = operator;
    this.callout = server.authCallout() == null ? null : callout;
    this.calloutPolicy = this.callout == null ? null
        : new ConfigCallout(server.authCallout(), name -> server.accounts().stream().anyMatch(a -> a.name().equals(name))
            || name.equals("$G") || name.equals(server.systemAccount()));
    this.vertx = vertx;
    this.options = server.authorization();
    this.anonymousGlobal = options.users().isEmpty() && options.token() == null && options.noAuthUser() == null
        && plugins.isEmpty() && server.accounts().size() == 1
        && server.accounts().get(0).name().equals(server.systemAccount());
    java.util.List<UserOptions> all = new java.util.ArrayList<>(options.users());
    for (io.natsvx.config.AccountOptions a : server.accounts()) {
      for (UserOptions u : a.users()) {
        all.add(u);
        accountOf.put(u, a.name());
      }
    }
    for (UserOptions u : all) {
      if (u.nkey() != null) {
        nkeys.put(u.nkey(), u);
      } else {
        users.put(u.user(), u);
      }
      // The authorization block's default_permissions are for its own users; an account's
      // defaults were applied to its users when the config was read.
      PermissionOptions p = u.permissions() != null || accountOf.containsKey(u) ? u.permissions()
          : options.defaultPermissions();
      if (p != null) {
        permissions.put(u, new Permissions(p));
      }
    }
  }

  /** Operator mode's authentication, or null when the server has no operator. */
  public OperatorAuth operator() {
    return operator;
  }

  public boolean required() {
    return !users.isEmpty() || !nkeys.isEmpty() || options.token() != null || !plugins.isEmpty()
        || operator != null || callout != null;
  }

  /** Whether INFO must carry a nonce: nkey users exist, or user tokens sign it. */
  public boolean needsNonce() {
    return !nkeys.isEmpty() || operator != null;
  }

  /** Whether a client that sends no CONNECT credentials may still get in. */
  public boolean hasNoAuthUser() {
    return anonymousGlobal || noAuthUserOptions() != null;
  }

  /** The no_auth_user's identity, for clients that send operations before CONNECT. */
  public Result noAuthUser() {
    if (anonymousGlobal) {
      return new Result(true, null, null, null);
    }
    UserOptions u = noAuthUserOptions();
    return u == null ? Result.DENIED : ok(u);
  }

  /** no_auth_user may name a user or an nkey, as in nats-server. */
  private UserOptions noAuthUserOptions() {
    String name = options.noAuthUser();
    if (name == null) {
      return null;
    }
    UserOptions u = users.get(name);
    return u != null ? u : nkeys.get(name);
  }

  /**
   * Checks a client's CONNECT; {@code mappedCertificate} is its certificate when the TLS block
   * says verify_and_map, which then names the user instead of a password.
   */
  public Future<Result> authenticate(ConnectOptions c, String nonce, X509Certificate mappedCertificate,
      String clientHost, int clientPort, long cid) {
    Future<Result> first = operator != null ? operator.authenticate(c, nonce, clientHost, cid)
        : builtIn(c, nonce, mappedCertificate);
    if (callout != null) {
      first = first.compose(r -> viaCallout(r, c, nonce, clientHost, cid));
    }
    return first.compose(r -> r.ok() || plugins.isEmpty()
        ? Future.succeededFuture(r) : askPlugins(new AuthRequest(c.raw().copy(), clientHost, clientPort,
            mappedCertificate, nonce), 0));
  }

  /**
   * nats-server's order with an auth callout: its {@code auth_users} keep what the built-in check
   * said; everyone else is what the callout service says (unless an {@code allowed_accounts} list
   * leaves their account out).
   */
  private Future<Result> viaCallout(Result builtIn, ConnectOptions c, String nonce, String clientHost, long cid) {
    String user = rawUser(c);
    if (calloutPolicy.skips(user) || (builtIn.ok() && !calloutPolicy.delegates(builtIn.account()))) {
      return Future.succeededFuture(!builtIn.ok() ? builtIn : new Result(true, builtIn.user(),
          AuthCallout.guard(calloutPolicy, builtIn.account(), builtIn.permissions()), builtIn.account(),
          builtIn.maxSubscriptions(), builtIn.maxPayload(), builtIn.expiresAtSeconds()));
    }
    return callout.authorize(calloutPolicy, c, new AuthCallout.Client(cid, clientHost, user, nonce));
  }

  /** Whether the callout decided about this client: a reload does not ask it again. */
  public boolean decidedByCallout(ConnectOptions c) {
    return (calloutPolicy != null && !calloutPolicy.skips(rawUser(c)))
        || (operator != null && c.jwt() != null && operator.decidedByCallout(c));
  }

  /** nats-server's getRawAuthUser: the nkey, else the user name, else the token. */
  private static String rawUser(ConnectOptions c) {
    if (c.nkey() != null && !c.nkey().isEmpty()) {
      return c.nkey();
    }
    if (c.user() != null && !c.user().isEmpty()) {
      return c.user();
    }
    return c.authToken();
  }

  /** The built-in users, nkeys and token; DENIED when none is configured and plugins exist. */
  private Future<Result> builtIn(ConnectOptions c, String nonce, X509Certificate mappedCertificate) {
    if (!plugins.isEmpty() && users.isEmpty() && nkeys.isEmpty() && options.token() == null
        && mappedCertificate == null) {
      return Future.succeededFuture(Result.DENIED);
    }
    if (mappedCertificate != null) {
      for (String name : CertificateUsers.candidates(mappedCertificate)) {
        UserOptions u = users.get(name);
        if (u != null) {
          return Future.succeededFuture(ok(u));
        }
      }
      return Future.succeededFuture(Result.DENIED);
    }
    if (!required()) {
      return Future.succeededFuture(new Result(true, null, null));
    }
    if (!nkeys.isEmpty() && c.nkey() != null) {
      UserOptions u = nkeys.get(c.nkey());
      boolean ok = u != null && NKeys.verify(c.nkey(), nonce, c.sig());
      return Future.succeededFuture(ok ? ok(u) : Result.DENIED);
    }
    if (!users.isEmpty() || hasNoAuthUser()) {
      if ((c.user() == null || c.user().isEmpty()) && (c.nkey() == null || c.nkey().isEmpty()) && hasNoAuthUser()) {
        return Future.succeededFuture(noAuthUser());
      }
      UserOptions u = c.user() == null ? null : users.get(c.user());
      if (u == null) {
        return Future.succeededFuture(Result.DENIED);
      }
      return check(u.password(), c.pass()).map(ok -> ok ? ok(u) : Result.DENIED);
    }
    if (options.token() != null) {
      return check(options.token(), c.authToken()).map(ok -> ok ? new Result(true, null, null) : Result.DENIED);
    }
    return Future.succeededFuture(Result.DENIED);
  }

  private Result ok(UserOptions u) {
    return new Result(true, u.user() != null ? u.user() : u.nkey(), permissions.get(u), accountOf.get(u));
  }

  /**
   * Plugins in order; the first that allows wins. A plugin that throws or fails counts as a
   * refusal, so a broken plugin can never let a client in.
   */
  private Future<Result> askPlugins(AuthRequest request, int i) {
    if (i == plugins.size()) {
      return Future.succeededFuture(Result.DENIED);
    }
    Future<AuthResult> answer;
    try {
      answer = plugins.get(i).authenticate(request);
    } catch (RuntimeException | LinkageError e) {
      answer = Future.failedFuture(e);
    }
    return answer.otherwise(e -> AuthResult.deny()).compose(r -> r != null && r.ok()
        ? Future.succeededFuture(fromPlugin(r)) : askPlugins(request, i + 1));
  }

  private static Result fromPlugin(AuthResult r) {
    io.natsvx.plugin.api.Permissions p = r.permissions();
    Permissions perms = p == null ? null : new Permissions(new PermissionOptions(p.publishAllow(), p.publishDeny(),
        p.subscribeAllow(), p.subscribeDeny(),
        p.allowResponses() ? io.natsvx.config.AuthOptions.ResponsePermission.DEFAULT : null));
    return new Result(true, r.user(), perms, r.account());
  }

  /** bcrypt costs tens of milliseconds: never on an event loop. */
  private Future<Boolean> check(String configured, String given) {
    if (Passwords.isBcrypt(configured)) {
      return vertx.executeBlocking(() -> Passwords.check(configured, given), false);
    }
    return Future.succeededFuture(Passwords.check(configured, given));
  }
}
