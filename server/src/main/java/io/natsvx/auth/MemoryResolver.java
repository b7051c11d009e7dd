package io.natsvx.auth;

import io.natsvx.plugin.api.AccountResolver;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * nats-server's {@code resolver: MEMORY}: the account tokens of {@code resolver_preload}, kept in
 * memory, updated by claims pushes until the server stops.
 */
public final class MemoryResolver implements AccountResolver {

  private final Map<String, String> jwts = new ConcurrentHashMap<>();

  public MemoryResolver(Map<String, String> preload) {
    jwts.putAll(preload);
  }

  @Override
  public String id() {
    return "MEMORY";
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
