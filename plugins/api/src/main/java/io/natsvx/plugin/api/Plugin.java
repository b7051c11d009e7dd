package io.natsvx.plugin.api;

import io.vertx.core.Future;

/**
 * What every natsvx plugin is: found with {@link java.util.ServiceLoader} in a jar of the
 * server's {@code plugins_dir} (declare it in {@code META-INF/services/io.natsvx.plugin.api.Plugin}),
 * named by {@link #id()}, configured from the {@code plugins { <id>: {...} }} block, started
 * once the server runs and stopped when it stops or reloads. Implementations must not block the
 * calling thread (an event loop): return futures, run slow work on a worker
 * ({@code vertx.executeBlocking}).
 */
public interface Plugin {

  /** The name configuration uses for this plugin, unique in a server. */
  String id();

  /** Called once, before use, with the Vert.x instance and this plugin's config block. */
  default Future<Void> start(PluginContext context) {
    return Future.succeededFuture();
  }

  /** Called once when the server stops or reloads the plugins. */
  default Future<Void> stop() {
    return Future.succeededFuture();
  }
}
