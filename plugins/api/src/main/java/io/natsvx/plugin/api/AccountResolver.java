package io.natsvx.plugin.api;

import io.vertx.core.Future;
import java.util.List;

/**
 * Where account JWTs come from in operator mode (nats-server's AccountResolver), named by the
 * server's {@code resolver} setting. The resolver only keeps tokens: the server verifies every
 * token against the trusted operators before it uses or stores one, answers the system
 * account's claims requests, and decides whether a pushed token is newer than the one held.
 */
public interface AccountResolver extends Plugin {

  /** How a resolver takes part in the system account's account-token traffic. */
  enum Sharing {
    /** Tokens only from itself (memory, URL); pushed updates for accounts in use. */
    NONE,
    /** Holds every account (nats-server's {@code full} directory resolver): answers lookups and packs, takes every update. */
    FULL,
    /** Holds the accounts in use (nats-server's {@code cache}): asks the system account on a miss, takes updates for accounts in use. */
    CACHE
  }

  /** The account's JWT as this resolver holds it; a failed future when it has none. */
  Future<String> fetch(String accountPublicKey);

  /** Keeps a token (verified, and newer than what {@link #fetch} gives); read-only resolvers fail. */
  Future<Void> store(String accountPublicKey, String jwt);

  /** The public keys of the accounts held, for {@code $SYS.REQ.CLAIMS.LIST} and packs. */
  default Future<List<String>> list() {
    return Future.failedFuture("listing not supported by this resolver");
  }

  /** Forgets an account ({@code $SYS.REQ.CLAIMS.DELETE}); fails unless the resolver allows deletes. */
  default Future<Void> delete(String accountPublicKey) {
    return Future.failedFuture("store is not set up to for delete");
  }

  boolean readOnly();

  default Sharing sharing() {
    return Sharing.NONE;
  }
}
