/**
 * The natsvx plugin SPI: the interfaces and value types a plugin jar implements
 * ({@link io.natsvx.plugin.api.Authenticator}, {@link io.natsvx.plugin.api.AccountResolver},
 * {@link io.natsvx.plugin.api.Extension}). It depends on nothing of the server but Vert.x's
 * {@code Future}, {@code Vertx} and {@code JsonObject}; depend on it with scope "provided".
 */
package io.natsvx.plugin.api;
