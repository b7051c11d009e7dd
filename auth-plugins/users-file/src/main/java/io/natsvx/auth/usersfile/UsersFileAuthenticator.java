package io.natsvx.auth.usersfile;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.natsvx.plugin.api.AuthRequest;
import io.natsvx.plugin.api.AuthResult;
import io.natsvx.plugin.api.Authenticator;
import io.natsvx.plugin.api.PluginContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Users from an htpasswd-style file: one {@code user:bcrypt-hash[:account]} per line ({@code #}
 * comments; {@code htpasswd -B} hashes work). The file is re-read when it changes, checked every
 * {@code check_interval_ms} (default 2000) on a worker. Config: {@code file} (required).
 */
public final class UsersFileAuthenticator implements Authenticator {

  /** One line of the file. */
  record Entry(String hash, String account) {}

  private Vertx vertx;
  private PluginContext context;
  private Path file;
  private volatile Map<String, Entry> users = Map.of();
  private FileTime loadedAt;
  private long timer = -1;

  @Override
  public String id() {
    return "users-file";
  }

  @Override
  public Future<Void> start(PluginContext ctx) {
    this.context = ctx;
    this.vertx = ctx.vertx();
    String name = ctx.config().getString("file");
    if (name == null || name.isEmpty()) {
      return Future.failedFuture("users-file: the \"file\" setting is required");
    }
    this.file = Path.of(name);
    long interval = ctx.config().getLong("check_interval_ms", 2000L);
    return vertx.executeBlocking(() -> {
      reloadIfChanged();
      return null;
    }, false).<Void>mapEmpty().onSuccess(v -> timer = vertx.setPeriodic(interval,
        t -> vertx.executeBlocking(() -> {
          reloadIfChanged();
          return null;
        }, false)));
  }

  @Override
  public Future<Void> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return Future.succeededFuture();
  }

  /** Worker only: reads the file when its modification time moved. */
  private synchronized void reloadIfChanged() throws IOException {
    FileTime modified = Files.getLastModifiedTime(file);
    if (modified.equals(loadedAt)) {
      return;
    }
    Map<String, Entry> next = new HashMap<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (String line : lines) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      String[] parts = l.split(":", 3);
      if (parts.length >= 2 && !parts[0].isEmpty()) {
        next.put(parts[0], new Entry(parts[1], parts.length == 3 && !parts[2].isEmpty() ? parts[2] : null));
      }
    }
    users = Map.copyOf(next);
    loadedAt = modified;
    context.log("loaded " + next.size() + " users from " + file);
  }

  @Override
  public Future<AuthResult> authenticate(AuthRequest request) {
    String user = request.connect().getString("user");
    String pass = request.connect().getString("pass");
    Entry e = user == null ? null : users.get(user);
    if (e == null || pass == null) {
      return Future.succeededFuture(AuthResult.deny());
    }
    // bcrypt is slow by design: on a worker, never the event loop that asked.
    return vertx.executeBlocking(() -> BCrypt.verifyer().verify(pass.toCharArray(), e.hash().toCharArray()).verified,
        false).map(ok -> ok ? AuthResult.allow(user, e.account(), null) : AuthResult.deny());
  }
}
