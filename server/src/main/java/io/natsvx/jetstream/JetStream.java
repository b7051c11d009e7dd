package io.natsvx.jetstream;

import io.natsvx.server.ServerContext;
import io.natsvx.account.Account;
import io.natsvx.config.AccountOptions;
import io.natsvx.config.JetStreamOptions;
import io.natsvx.config.ServerOptions;
import io.natsvx.jetstream.store.XodusLog;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's JetStream: which accounts have it (all of {@code $G} when no accounts are
 * configured, else those with a {@code jetstream} block; never the system account), their
 * streams restored from {@code <store_dir>/jetstream/} at start, and the API each answers on
 * {@code $JS.API.>}. Started and stopped by the root verticle; store work on workers.
 */
public final class JetStream {

  private final ServerContext server;
  private final JetStreamOptions options;
  private final Path root;
  private final Map<String, JsAccount> accounts = new ConcurrentHashMap<>();

  public JetStream(ServerContext server, JetStreamOptions options) {
    this.server = server;
    this.options = options;
    String dir = options.storeDir() != null ? options.storeDir() : System.getProperty("java.io.tmpdir");
    this.root = Path.of(dir).resolve("jetstream");
  }

  public JetStreamOptions options() {
    return options;
  }

  public Path root() {
    return root;
  }

  /** Sets up each JetStream account and restores its streams; problems come back for the log. */
  public Future<List<String>> start() {
    ServerOptions o = server.options();
    XodusLog.Durability durability = options.syncAlways() ? XodusLog.Durability.ALWAYS
        : new XodusLog.Durability(false, options.syncInterval().toMillis());
    return server.vertx().executeBlocking(() -> {
      List<String> problems = new java.util.ArrayList<>();
      for (Map.Entry<String, JetStreamOptions.AccountLimits> e : enabledAccounts(o).entrySet()) {
        Account account = server.accounts().get(e.getKey());
        if (account == null) {
          continue;
        }
        JsAccount jsa = new JsAccount(this, server.vertx(), account, e.getValue(), root.resolve(e.getKey()),
            durability, options.domain());
        problems.addAll(jsa.load());
        accounts.put(e.getKey(), jsa);
      }
      return problems;
    }, false);
  }

  public void stop() {
    accounts.values().forEach(JsAccount::stop);
  }

  /** max_memory_store, or nats-server's default: three quarters of the machine's memory. */
  public long maxMemory() {
    if (options.maxMemory() >= 0) {
      return options.maxMemory();
    }
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize() / 4 * 3;
    }
    return 256L * 1024 * 1024;
  }

  /** max_file_store, or nats-server's default of 1 TB. */
  public long maxStore() {
    return options.maxFile() >= 0 ? options.maxFile() : 1L << 40;
  }

  /** The max_bytes of every stream of one storage kind that sets one: what they reserve. */
  public long reserved(boolean memory) {
    long n = 0;
    for (JsAccount a : accounts.values()) {
      n += a.reserved(memory, null);
    }
    return n;
  }

  long used(boolean memory) {
    long n = 0;
    for (JsAccount a : accounts.values()) {
      n += a.used(memory);
    }
    return n;
  }

  public JsAccount account(String name) {
    return accounts.get(name);
  }

  public java.util.Collection<JsAccount> accounts() {
    return accounts.values();
  }

  /** nats-server's configJetStream: which accounts get JetStream, with which limits. */
  static Map<String, JetStreamOptions.AccountLimits> enabledAccounts(ServerOptions o) {
    Map<String, JetStreamOptions.AccountLimits> out = new java.util.LinkedHashMap<>();
    boolean anyConfigured = false;
    for (AccountOptions a : o.accounts()) {
      if (a.name().equals(o.systemAccount())) {
        continue;
      }
      anyConfigured = true;
      if (a.jetStream() != null) {
        out.put(a.name(), a.jetStream());
      }
    }
    if (!anyConfigured) {
      out.put("$G", JetStreamOptions.AccountLimits.UNLIMITED);
    }
    return out;
  }
}
