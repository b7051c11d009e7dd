package io.natsvx.plugin.api;

import io.vertx.core.Future;

/**
 * Where account JWTs come from in operator mode (nats-server's AccountResolver): fetched by the
 * account's public key, stored when pushed. Named by the server's {@code resolver} setting.
 */
public interface AccountResolver extends Plugin {

  /** The account's JWT; a failed future when unknown. */
  Future<String> fetch(String accountPublicKey);

  /** Keeps a pushed JWT (a claims update); read-only resolvers fail. */
  Future<Void> store(String accountPublicKey, String jwt);

  boolean readOnly();
}
