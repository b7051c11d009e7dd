package io.natsvx.resolver.dir;

import io.natsvx.plugin.api.AccountResolver;
import io.natsvx.plugin.api.PluginContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * nats-server's directory resolver, {@code resolver { type: full | cache, dir, allow_delete,
 * hard_delete, limit, ttl }}: account tokens kept as files in {@code dir}. {@code full} keeps
 * every account it is given (up to {@code limit}, unlimited by default) and shares them with the
 * other servers; {@code cache} keeps the {@code limit} (1000) accounts most recently used, each
 * for {@code ttl}, and asks the other servers for the rest. The server reads the config block
 * and hands it over as {@code type}, {@code dir}, {@code allow_delete}, {@code hard_delete},
 * {@code limit} and {@code ttl_ms}. Files are read and written on workers.
 */
public final class DirResolver implements AccountResolver {

  private Vertx vertx;
  private TokenDirectory store;
  private Sharing sharing = Sharing.FULL;

  @Override
  public String id() {
    return "dir-resolver";
  }

  @Override
  public Future<Void> start(PluginContext context) {
    vertx = context.vertx();
    JsonObject c = context.config();
    String dir = c.getString("dir", "");
    if (dir.isEmpty()) {
      return Future.failedFuture("dir has no value and needs to point to a directory");
    }
    boolean cache = "cache".equalsIgnoreCase(c.getString("type", "full"));
    sharing = cache ? Sharing.CACHE : Sharing.FULL;
    long limit = c.getLong("limit", 0L);
    TokenDirectory.DeleteMode deletes = cache ? TokenDirectory.DeleteMode.REMOVE
        : !c.getBoolean("allow_delete", false) ? TokenDirectory.DeleteMode.NONE
        : c.getBoolean("hard_delete", false) ? TokenDirectory.DeleteMode.REMOVE : TokenDirectory.DeleteMode.RENAME;
    long ttl = cache ? c.getLong("ttl_ms", 0L) : 0;
    Path path = Path.of(dir).toAbsolutePath();
    return vertx.executeBlocking(() -> new TokenDirectory(path, cache && limit <= 0 ? 1000 : limit, cache, ttl, deletes),
        false).map(s -> {
          store = s;
          context.log((cache ? "Managing some jwt in exclusive directory " : "Managing all jwt in exclusive directory ")
              + path);
          return null;
        });
  }

  @Override
  public Future<String> fetch(String accountPublicKey) {
    return blocking(() -> store.load(accountPublicKey)).compose(jwt -> jwt != null ? Future.succeededFuture(jwt)
        : Future.failedFuture("account " + accountPublicKey + " not found"));
  }

  @Override
  public Future<Void> store(String accountPublicKey, String jwt) {
    return blocking(() -> {
      store.save(accountPublicKey, jwt);
      return null;
    });
  }

  @Override
  public Future<List<String>> list() {
    return blocking(store::keys);
  }

  @Override
  public Future<Void> delete(String accountPublicKey) {
    return blocking(() -> {
      store.delete(accountPublicKey);
      return null;
    });
  }

  @Override
  public boolean readOnly() {
    return false;
  }

  @Override
  public Sharing sharing() {
    return sharing;
  }

  private <T> Future<T> blocking(Callable<T> work) {
    return vertx.executeBlocking(work, false);
  }
}
