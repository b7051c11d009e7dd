package io.natsvx.resolver.memory;

import io.natsvx.plugin.api.AccountResolver;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * nats-server's {@code resolver: MEMORY}: account tokens kept in memory, from
 * {@code resolver_preload} (the server stores those at start) and from claims updates, for as long
 * as the server runs.
 */
public final class MemoryResolver implements AccountResolver {

  private final Map<String, String> jwts = new ConcurrentHashMap<>();

  @Override
  public String id() {
    return "memory-resolver";
  }

  @Override
  public Future<String> fetch(String accountPublicKey) {
    String jwt = jwts.get(accountPublicKey);
    return jwt != null ? Future.succeededFuture(jwt)
        : Future.failedFuture("account " + accountPublicKey + " not found");
  }

  @Override
  public Future<Void> store(String accountPublicKey, String jwt) {
    jwts.put(accountPublicKey, jwt);
    return Future.succeededFuture();
  }

  @Override
  public boolean readOnly() {
    return false;
  }
}
