package io.natsvx.plugin;

import io.natsvx.config.ResolverOptions;
import io.natsvx.log.ServerLog;
import io.natsvx.plugin.api.AccountResolver;
import io.natsvx.plugin.api.Authenticator;
import io.natsvx.plugin.api.Plugin;
import io.natsvx.plugin.api.PluginContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The running plugins of a server: loaded from {@code plugins_dir} on a worker, started in the
 * order of the {@code plugins} config block (then the rest), stopped on shutdown, and loaded
 * afresh on reload (a replaced jar is picked up). A plugin that fails is logged with its jar and
 * left out; only a plugin the configuration names (an authenticator) that is missing fails the
 * start. Call from the root verticle's context.
 */
public final class PluginHost {

  private final Vertx vertx;
  private final ServerLog log;
  private volatile Map<String, Plugin> running = Map.of();
  private List<AutoCloseable> loaders = List.of();
  /** The bundled account resolver, kept across reloads while its options stay the same. */
  private ResolverOptions resolverOptions;
  private AccountResolver resolver;
  private List<AutoCloseable> resolverLoaders = List.of();

  public PluginHost(Vertx vertx, ServerLog log) {
    this.vertx = vertx;
    this.log = log;
  }

  /** Loads and starts the plugins of {@code dir} (null: none) with their config blocks. */
  public Future<Void> start(String dir, Map<String, JsonObject> configs, List<String> required) {
    if (dir == null) {
      return required.isEmpty() ? Future.succeededFuture() : Future.failedFuture(missing(required.get(0)));
    }
    return vertx.executeBlocking(() -> PluginLoader.load(Path.of(dir)), false).compose(result -> {
      result.failures().forEach(f -> log.error("Plugin " + f));
      loaders = result.loaders();
      Map<String, LoadedPlugin> byId = new LinkedHashMap<>();
      for (LoadedPlugin p : result.plugins()) {
        String id = safeId(p);
        if (id == null) {
          continue;
        }
        if (byId.putIfAbsent(id, p) != null) {
          log.error("Plugin " + p.jar().getFileName() + ": id \"" + id + "\" already taken by "
              + byId.get(id).jar().getFileName());
        }
      }
      List<String> order = new ArrayList<>(configs.keySet());
      byId.keySet().stream().filter(id -> !order.contains(id)).forEach(order::add);
      return startInOrder(order, byId, configs, new LinkedHashMap<>(), 0);
    }).compose(started -> {
      running = Map.copyOf(started);
      for (String id : required) {
        if (!started.containsKey(id)) {
          return Future.failedFuture(missing(id));
        }
      }
      return Future.succeededFuture();
    });
  }

  private static String missing(String id) {
    return "plugin \"" + id + "\" is required by the configuration but not loaded (plugins_dir)";
  }

  private String safeId(LoadedPlugin p) {
    try {
      return p.plugin().id();
    } catch (RuntimeException | LinkageError e) {
      log.error("Plugin " + p.jar().getFileName() + ": id() failed: " + e);
      return null;
    }
  }

  private Future<Map<String, Plugin>> startInOrder(List<String> order, Map<String, LoadedPlugin> byId,
      Map<String, JsonObject> configs, Map<String, Plugin> started, int i) {
    if (i == order.size()) {
      return Future.succeededFuture(started);
    }
    String id = order.get(i);
    LoadedPlugin p = byId.get(id);
    if (p == null) {
      log.warn("Plugin \"" + id + "\" is configured but no jar in plugins_dir provides it");
      return startInOrder(order, byId, configs, started, i + 1);
    }
    JsonObject config = configs.getOrDefault(id, new JsonObject()).copy();
    Future<Void> f;
    try {
      f = p.plugin().start(context(id, config));
    } catch (RuntimeException | LinkageError e) {
      f = Future.failedFuture(e);
    }
    return f.transform(ar -> {
      if (ar.succeeded()) {
        started.put(id, p.plugin());
        log.info("Plugin \"" + id + "\" started from " + p.jar().getFileName());
      } else {
        log.error("Plugin \"" + id + "\" (" + p.jar().getFileName() + ") failed to start: " + ar.cause());
      }
      return startInOrder(order, byId, configs, started, i + 1);
    });
  }

  private PluginContext context(String id, JsonObject config) {
    return new PluginContext() {
      @Override
      public Vertx vertx() {
        return vertx;
      }

      @Override
      public JsonObject config() {
        return config;
      }

      @Override
      public void log(String message) {
        log.info("[" + id + "] " + message);
      }
    };
  }

  /** Stops every plugin (errors logged) and closes their class loaders. */
  public Future<Void> stop() {
    List<Future<Void>> stops = new ArrayList<>();
    running.forEach((id, p) -> {
      Future<Void> f;
      try {
        f = p.stop();
      } catch (RuntimeException | LinkageError e) {
        f = Future.failedFuture(e);
      }
      stops.add(f.recover(e -> {
        log.error("Plugin \"" + id + "\" failed to stop: " + e);
        return Future.succeededFuture();
      }));
    });
    running = Map.of();
    List<AutoCloseable> toClose = loaders;
    loaders = List.of();
    return Future.join(stops).<Void>mapEmpty().onComplete(v -> closeAll(toClose));
  }

  private static void closeAll(List<AutoCloseable> loaders) {
    for (AutoCloseable c : loaders) {
      try {
        c.close();
      } catch (Exception ignored) {
        // the jar may be gone
      }
    }
  }

  /** Stops everything and loads the directory again (a replaced jar is picked up). */
  public Future<Void> reload(String dir, Map<String, JsonObject> configs, List<String> required) {
    return stop().compose(v -> start(dir, configs, required));
  }

  /**
   * The account resolver these options name: a bundled one is loaded from its jar in the
   * server's jar and started with the options' config (the running one is kept when the options
   * are the same, so a reload keeps its tokens); any other is the started plugin with that id.
   */
  public Future<AccountResolver> resolver(ResolverOptions options) {
    if (options.bundledJar() == null) {
      stopResolver();
      return get(options.pluginId()) instanceof AccountResolver r ? Future.succeededFuture(r)
          : Future.failedFuture("resolver plugin \"" + options.pluginId() + "\" is not loaded (plugins_dir)"
              + " or is no account resolver");
    }
    if (resolver != null && options.equals(resolverOptions)) {
      return Future.succeededFuture(resolver);
    }
    return stopResolver().compose(v -> vertx.executeBlocking(
        () -> PluginLoader.loadJars(List.of(BundledPlugins.jar(options.bundledJar()))), false))
        .compose(result -> {
          resolverLoaders = result.loaders();
          AccountResolver found = null;
          for (LoadedPlugin p : result.plugins()) {
            if (p.plugin() instanceof AccountResolver r && options.pluginId().equals(r.id())) {
              found = r;
            }
          }
          if (found == null) {
            return Future.failedFuture(options.bundledJar() + ": no resolver \"" + options.pluginId() + "\" in it "
                + result.failures());
          }
          AccountResolver r = found;
          // compose turns a start() that throws into a failed future
          return Future.succeededFuture().compose(x -> r.start(context(options.pluginId(), options.config()))).map(v -> {
            resolver = r;
            resolverOptions = options;
            return r;
          });
        })
        .onFailure(e -> closeAll(resolverLoaders));
  }

  private Future<Void> stopResolver() {
    AccountResolver r = resolver;
    List<AutoCloseable> toClose = resolverLoaders;
    resolver = null;
    resolverOptions = null;
    resolverLoaders = List.of();
    Future<Void> stopped = r == null ? Future.succeededFuture() : r.stop().recover(e -> {
      log.error("Plugin \"" + r.id() + "\" failed to stop: " + e);
      return Future.succeededFuture();
    });
    return stopped.onComplete(v -> closeAll(toClose));
  }

  /** Stops everything, the resolver too: the server is going away. */
  public Future<Void> shutdown() {
    return Future.join(stop(), stopResolver()).mapEmpty();
  }

  /** The started authenticators with these ids, in that order (missing ones left out). */
  public List<Authenticator> authenticators(List<String> ids) {
    List<Authenticator> out = new ArrayList<>();
    Map<String, Plugin> now = running;
    for (String id : ids) {
      if (now.get(id) instanceof Authenticator a) {
        out.add(a);
      }
    }
    return out;
  }

  /** A started plugin by id, or null. */
  public Plugin get(String id) {
    return running.get(id);
  }
}
