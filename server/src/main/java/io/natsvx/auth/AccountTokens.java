package io.natsvx.auth;

import io.natsvx.config.ResolverOptions;
import io.natsvx.internal.NKeyCodec;
import io.natsvx.auth.AccountClaims;
import io.natsvx.jwt.Jwt;
import io.natsvx.jwt.JwtException;
import io.natsvx.jwt.TrustedOperators;
import io.natsvx.plugin.api.AccountResolver;
import io.natsvx.plugin.api.AccountResolver.Sharing;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The account tokens of operator mode, between the resolver plugin that keeps them and the
 * server that trusts them: every token is verified against the trusted operators before it is
 * used or stored; a cache resolver's miss is asked of the system account; updates, deletes,
 * lists and packs follow nats-server's resolver kinds with its messages. Thread-safe.
 */
public final class AccountTokens {

  /** What a claims update or delete request came to, in nats-server's words; {@code claims} when an account changed. */
  public record Outcome(String account, String message, String error, AccountClaims claims, List<String> deleted) {

    static Outcome ok(String account, String message, AccountClaims claims) {
      return new Outcome(account, message, null, claims, List.of());
    }

    static Outcome failed(String account, String message, String error) {
      return new Outcome(account, message, error, null, List.of());
    }
  }

  private final TrustedOperators operators;
  private final AccountResolver resolver;
  private final ResolverOptions options;
  private final String systemAccount;
  /** Asks the system account for an account's token (a lookup request); null when there is none. */
  private final Function<String, Future<String>> peers;

  public AccountTokens(TrustedOperators operators, AccountResolver resolver, ResolverOptions options,
      String systemAccount, Function<String, Future<String>> peers) {
    this.operators = operators;
    this.resolver = resolver;
    this.options = options;
    this.systemAccount = systemAccount;
    this.peers = peers;
  }

  public Sharing sharing() {
    return resolver == null ? Sharing.NONE : resolver.sharing();
  }

  public ResolverOptions options() {
    return options;
  }

  /** The account's verified token: from the resolver, or for a cache, from whoever answers a lookup. */
  public Future<AccountClaims> fetch(String accountKey) {
    if (resolver == null) {
      return Future.failedFuture("no account resolver");
    }
    Future<String> local = resolver.fetch(accountKey);
    Future<String> token = sharing() != Sharing.CACHE ? local
        : local.recover(miss -> peers.apply(accountKey).compose(t -> verified(accountKey, t)
            .compose(c -> resolver.store(accountKey, t)).map(t)));
    return token.compose(t -> verified(accountKey, t));
  }

  /** The token exactly as the resolver holds it, for lookups from other servers; failed when none. */
  public Future<String> held(String accountKey) {
    return resolver == null ? Future.failedFuture("no account resolver") : resolver.fetch(accountKey);
  }

  private Future<AccountClaims> verified(String accountKey, String token) {
    try {
      AccountClaims c = AccountClaims.of(operators.account(token, now()));
      return c.accountKey().equals(accountKey) ? Future.succeededFuture(c)
          : Future.failedFuture("token is for account " + c.accountKey());
    } catch (JwtException e) {
      return Future.failedFuture(e.getMessage());
    }
  }

  /**
   * A pushed account token ({@code pathKey} from the subject; null for {@code $SYS.REQ.CLAIMS.UPDATE},
   * where the token names its account); {@code inUse} says whether this server has the account.
   */
  public Future<Outcome> update(String pathKey, String token, Function<String, Boolean> inUse) {
    boolean cache = sharing() == Sharing.CACHE;
    String failed = cache ? "jwt update cache resulted in error" : "jwt update resulted in error";
    if (token.isEmpty() && sharing() == Sharing.NONE) {
      return Future.succeededFuture(Outcome.failed(pathKey, "jwt update error", "request body is empty"));
    }
    AccountClaims claims;
    try {
      claims = AccountClaims.of(operators.account(token, now()));
    } catch (JwtException e) {
      return Future.succeededFuture(Outcome.failed(pathKey == null || sharing() == Sharing.FULL ? "n/a" : pathKey, failed, e.getMessage()));
    }
    String account = pathKey != null ? pathKey : claims.accountKey();
    if (!claims.accountKey().equals(account)) {
      return Future.succeededFuture(Outcome.failed(account, failed, "subject does not match jwt content"));
    }
    boolean known = inUse.apply(account);
    return switch (sharing()) {
      case FULL -> resolver.store(account, token).map(v -> Outcome.ok(account, "jwt updated", known ? claims : null))
          .otherwise(e -> Outcome.failed(account, failed, e.getMessage()));
      case CACHE -> !known ? Future.succeededFuture(Outcome.ok(account, "jwt update cache skipped", null))
          : resolver.store(account, token).map(v -> Outcome.ok(account, "jwt updated cache", claims))
              .otherwise(e -> Outcome.failed(account, failed, e.getMessage()));
      case NONE -> !known ? Future.succeededFuture(Outcome.ok(account, "jwt update skipped", null))
          : (resolver.readOnly() ? Future.<Void>succeededFuture() : resolver.store(account, token))
              .map(v -> Outcome.ok(account, "jwt updated", claims))
              .otherwise(e -> Outcome.failed(account, failed, e.getMessage()));
    };
  }

  /**
   * nats-server's {@code $SYS.REQ.CLAIMS.DELETE}: a request the operator (or one of its signing
   * keys) signed for itself, listing the accounts to forget in {@code nats.accounts}.
   */
  public Future<Outcome> delete(String request) {
    String subject = "";
    String error = null;
    List<String> keys = new ArrayList<>();
    try {
      Jwt req = Jwt.decode(request, Jwt.Kind.OPERATOR_REQUEST, now());
      subject = req.subject();
      JsonArray list = req.nats().getValue("accounts") instanceof JsonArray a ? a : null;
      if (!deletesAllowed()) {
        error = "delete must be enabled in server config";
      } else if (!req.subject().equals(req.issuer())) {
        error = "not self signed";
      } else if (!operators.trusts(req.issuer())) {
        error = "not trusted";
      } else if (list == null) {
        error = "malformed request";
      } else {
        for (Object o : list) {
          if (!(o instanceof String key) || NKeyCodec.decode(key, NKeyCodec.PREFIX_ACCOUNT) == null) {
            error = "malformed request";
            break;
          }
          if (key.equals(systemAccount)) {
            error = "not allowed to delete system account";
            break;
          }
          keys.add(key);
        }
      }
    } catch (JwtException e) {
      error = e.getMessage();
    }
    String by = "delete accounts request by " + subject;
    if (error != null) {
      return Future.succeededFuture(Outcome.failed(null, by + " failed", error));
    }
    return deleteEach(keys, 0, new ArrayList<>(), new ArrayList<>());
  }

  private Future<Outcome> deleteEach(List<String> keys, int i, List<String> deleted, List<String> errors) {
    if (i == keys.size()) {
      String message = errors.isEmpty() ? "deleted " + deleted.size() + " accounts"
          : "deleted " + deleted.size() + " accounts, failed for " + errors.size();
      return Future.succeededFuture(new Outcome(null, message, errors.isEmpty() ? null : String.join("\n", errors),
          null, List.copyOf(deleted)));
    }
    return resolver.delete(keys.get(i)).transform(ar -> {
      if (ar.succeeded()) {
        deleted.add(keys.get(i));
      } else {
        errors.add(ar.cause().getMessage());
      }
      return deleteEach(keys, i + 1, deleted, errors);
    });
  }

  private boolean deletesAllowed() {
    return sharing() == Sharing.CACHE || options.config().getBoolean("allow_delete", false)
        || options.bundledJar() == null;
  }

  /** The accounts the resolver holds, for {@code $SYS.REQ.CLAIMS.LIST}. */
  public Future<List<String>> list() {
    return resolver.list();
  }

  /**
   * The resolver's tokens as nats-server's pack messages ({@code <key>|<token>}, one per message),
   * or none when the asker's hash (sha256 of each token, xor-ed) already equals ours.
   */
  public Future<List<String>> pack(byte[] theirHash) {
    return packLines().map(lines -> MessageDigest.isEqual(hashOf(lines), theirHash) ? List.of() : lines);
  }

  /** Our hash, sent with our own pack requests so that peers in step answer with nothing. */
  public Future<byte[]> hash() {
    return packLines().map(AccountTokens::hashOf);
  }

  private Future<List<String>> packLines() {
    return resolver.list().compose(keys -> collect(keys, 0, new ArrayList<>()));
  }

  private static byte[] hashOf(List<String> lines) {
    byte[] hash = new byte[32];
    for (String line : lines) {
      byte[] h = sha256(line.substring(line.indexOf('|') + 1));
      for (int i = 0; i < hash.length; i++) {
        hash[i] ^= h[i];
      }
    }
    return hash;
  }

  private Future<List<String>> collect(List<String> keys, int i, List<String> out) {
    if (i == keys.size()) {
      return Future.succeededFuture(out);
    }
    return resolver.fetch(keys.get(i)).transform(ar -> {
      if (ar.succeeded() && !ar.result().isEmpty()) {
        out.add(keys.get(i) + "|" + ar.result());
      }
      return collect(keys, i + 1, out);
    });
  }

  /**
   * Takes a pack message from another server: each verified token newer than ours is stored.
   * Returns the accounts whose tokens changed.
   */
  public Future<List<AccountClaims>> merge(String pack) {
    List<Future<AccountClaims>> stored = new ArrayList<>();
    for (String line : pack.split("\n")) {
      int bar = line.indexOf('|');
      if (line.isEmpty() || bar < 0) {
        continue;
      }
      String key = line.substring(0, bar);
      String token = line.substring(bar + 1);
      stored.add(verified(key, token).compose(c -> newer(key, token)
          .compose(newer -> newer ? resolver.store(key, token).map(c) : Future.succeededFuture(null))));
    }
    return Future.join(stored).transform(ar -> {
      List<AccountClaims> changed = new ArrayList<>();
      for (Future<AccountClaims> f : stored) {
        if (f.succeeded() && f.result() != null) {
          changed.add(f.result());
        }
      }
      return Future.succeededFuture(changed);
    });
  }

  /** nats-server's saveIfNewer: a token replaces ours unless ours is the same or issued later. */
  private Future<Boolean> newer(String key, String token) {
    return resolver.fetch(key).transform(ar -> {
      if (ar.failed()) {
        return Future.succeededFuture(true);
      }
      try {
        Jwt ours = Jwt.decode(ar.result(), Jwt.Kind.ACCOUNT, now());
        Jwt theirs = Jwt.decode(token, Jwt.Kind.ACCOUNT, now());
        String ourId = ours.claims().getString("jti", "");
        boolean same = !ourId.isEmpty() && ourId.equals(theirs.claims().getString("jti"));
        return Future.succeededFuture(!same && ours.issuedAt() <= theirs.issuedAt());
      } catch (JwtException e) {
        return Future.succeededFuture(true);
      }
    });
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }
}
