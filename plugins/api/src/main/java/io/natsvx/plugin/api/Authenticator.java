package io.natsvx.plugin.api;

import io.vertx.core.Future;

/**
 * Decides whether a client may connect and who it is. Named in the server's
 * {@code authorization { authenticators: [<id>, ...] }}; consulted, in that order, for clients
 * the built-in users and tokens do not let in. Called on an event loop: a network or disk check
 * must return a future completed later, never block.
 */
public interface Authenticator extends Plugin {

  Future<AuthResult> authenticate(AuthRequest request);
}
