package io.natsvx.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * Turns a config tree into {@link ServerOptions}, with nats-server's key names, aliases and
 * meanings (server/opts.go {@code processConfigFileLine}). Keys match case-insensitively. Every
 * problem is collected: wrong types and values are errors, unknown keys are warnings (nats-server
 * makes them errors; a warning keeps natsvx-only keys usable next to it), and keys of features
 * natsvx does not have yet are errors, because ignoring e.g. {@code leafnodes} would leave the
 * server open. The {@code authorization} block is read by {@link AuthorizationReader}, the
 * {@code tls} block by {@link TlsReader}.
 * Messages read "file:line: key: what". Stateless entry points.
 */
public final class OptionsReader {

  /** nats-server warns above this max_payload (server.go, MAX_PAYLOAD_MAX_SIZE). */
  static final long MAX_PAYLOAD_WARN = 8L * 1024 * 1024;
  /** nats-server's lower bound for lame_duck_duration. */
  static final Duration MIN_LAME_DUCK_DURATION = Duration.ofSeconds(30);

  /** Keys of features not built yet: an error, so that nothing is silently left unprotected. */
  static final Set<String> NOT_SUPPORTED = Set.of(
      "default_js_domain",
      "mqtt",
      "root", "roots", "root_operator", "root_operators",
      "trusted", "trusted_keys",
      "resolver_tls",
      "resolver_pinned_accounts",
      "mappings", "maps",
      "https");

  /** nats-server keys that change nothing essential here yet: a warning, and ignored. */
  static final Set<String> IGNORED = Set.of(
      "syslog", "remote_syslog", "prof_port", "max_traced_msg_len",
      "logfile_size_limit", "log_size_limit", "connect_error_reports", "reconnect_error_reports",
      "disable_sublist_cache", "no_sublist_cache", "server_tags",
      "max_sub_tokens", "max_subscription_tokens", "no_system_account", "no_system", "no_sys_acc");

  private final ServerOptions.Builder b;
  private final ValueReader values = new ValueReader();
  private final AuthorizationReader auth = new AuthorizationReader(values);
  private final AccountsReader accounts = new AccountsReader(values, auth);
  private final OperatorReader operator = new OperatorReader(values);
  private final JetStreamReader jetStream = new JetStreamReader(values);
  private final ClusterReader cluster = new ClusterReader(values);
  private ConfNode maxPayloadAt;
  private ConfNode maxPendingAt;
  private ConfNode lameDuckAt;
  private ConfNode webSocketAt;
  private ConfNode leafNodesAt;
  private ConfNode gatewayAt;
  private ConfNode lameDuckGraceAt;
  private final ConfKeys keys;

  private OptionsReader(ServerOptions.Builder b) {
    this.b = b;
    this.keys = keys();
  }

  /**
   * Reads a config file: YAML if its name ends in .yaml or .yml, nats.conf syntax otherwise.
   * Starts from the defaults and records the file in {@link ServerOptions#configFile()}.
   */
  public static ConfigLoad load(Path file) throws ConfigException {
    ConfNode root = isYaml(file) ? YamlConfReader.readFile(file) : ConfParser.parseFile(file);
    return read(root, ServerOptions.builder().configFile(file.toString()));
  }

  /**
   * Applies a parsed tree on top of {@code base} (which is modified).
   *
   * @throws ConfigException with every error found; warnings are in the result when there is none
   */
  public static ConfigLoad read(ConfNode root, ServerOptions.Builder base) throws ConfigException {
    OptionsReader r = new OptionsReader(base);
    r.keys.read(root.asMap(), r::unknown);
    r.accounts.operatorSystemAccount(r.operator.present(), r.operator.operatorSystemAccount());
    if (r.jetStream.options() != JetStreamOptions.DISABLED) {
      base.jetStream(r.jetStream.options());
    }
    r.accounts.applyTo(base); // first: no_auth_user may name a user of an account
    r.auth.applyTo(base);
    r.clusterNameFromGateway(base);
    ServerOptions read = base.build();
    r.operator.applyTo(base, r.accounts.present(), !read.authorization().users().isEmpty()
        || read.authorization().token() != null);
    ServerOptions options = base.build();
    r.crossChecks(options);
    if (!r.values.errors().isEmpty()) {
      throw new ConfigException(r.values.errors(), r.values.warnings());
    }
    return new ConfigLoad(options, r.values.warnings());
  }

  static boolean isYaml(Path file) {
    Path name = file.getFileName();
    String n = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".yaml") || n.endsWith(".yml");
  }

  /** Every top-level key; the blocks go to their readers. */
  private ConfKeys keys() {
    ConfKeys k = new ConfKeys(values);
    NOT_SUPPORTED.forEach(name -> k.error(name, "not supported yet"));
    IGNORED.forEach(name -> k.warning(name, "not supported yet, ignored"));
    return k.on("listen", this::listen)
        .string("host net", this::host)
        .integer("port", -1, 65535, this::port)
        .string("server_name", b::serverName)
        .on("max_payload", (v, key) -> {
          maxPayloadAt = v;
          intSize(v, key, Defaults.MAX_PAYLOAD, b::maxPayload);
        })
        .on("max_control_line", (v, key) -> intSize(v, key, Defaults.MAX_CONTROL_LINE, b::maxControlLine))
        .on("max_pending", this::maxPending)
        // 0 means the default, as in nats-server.
        .integer("max_connections max_conn", n -> b.maxConnections(n == 0 ? Defaults.MAX_CONNECTIONS : n))
        .integer("max_subscriptions max_subs", b::maxSubscriptions)
        .duration("ping_interval", d -> b.pingInterval(d.isZero() ? Defaults.PING_INTERVAL : d))
        .duration("write_deadline", d -> b.writeDeadline(d.isZero() ? Defaults.WRITE_DEADLINE : d))
        .integer("ping_max", n -> b.pingMax(n == 0 ? Defaults.PING_MAX : n))
        .bool("no_header_support", b::noHeaderSupport)
        .on("lame_duck_duration", this::lameDuckDuration)
        .on("lame_duck_grace_period", this::lameDuckGracePeriod)
        .string("pid_file pidfile", b::pidFile)
        .string("ports_file_dir", b::portsFileDir)
        .string("log_file logfile", b::logFile)
        .bool("logtime", b::logtime)
        .bool("debug", b::debug)
        // Verbose tracing also traces the system account; there is none here, so it is trace.
        .bool("trace trace_verbose", b::trace)
        .integer("http_port monitor_port", -1, 65535, b::httpPort)
        .string("plugins_dir", b::pluginsDir)
        .on("plugins", this::plugins)
        .integer("https_port", -1, 65535, b::httpsPort)
        .string("http_base_path", b::httpBasePath)
        .on("http", this::http)
        .on("authorization", auth::block)
        .on("jetstream", jetStream::block)
        .on("store_dir storedir", jetStream::storeDir)
        .on("accounts", accounts::block)
        .on("operator operators", operator::operator)
        .on("resolver account_resolver accounts_resolver", operator::resolver)
        .on("resolver_preload", operator::preload)
        .on("system_account system", accounts::systemAccount)
        .on("cluster", (v, key) -> b.cluster(cluster.read(v, key, b.cluster())))
        .on("leafnodes leaf", (v, key) -> {
          leafNodesAt = v;
          b.leafNodes(new LeafNodeReader(values).read(v, key));
        })
        .on("gateway", (v, key) -> {
          gatewayAt = v;
          b.gateway(new GatewayReader(values).read(v, key));
        })
        .on("websocket ws", (v, key) -> {
          webSocketAt = v;
          b.webSocket(new WebSocketReader(values).read(v, key, Defaults.HOST));
        })
        .string("client_advertise", b::clientAdvertise)
        .on("tls", (v, key) -> ConfKeys.set(new TlsReader(values).read(v, key), b::tls))
        .on("allow_non_tls", (v, key) -> {
          // Off is what natsvx does: with a tls block, every client must use TLS.
          if (Boolean.TRUE.equals(values.bool(v, key))) {
            values.error(v, key, "not supported yet");
          }
        })
        .on("ocsp", (v, key) -> {
          // OCSP stapling; "ocsp: false" (never staple) is what natsvx does.
          if (!v.isBoolean() || v.asBoolean()) {
            values.error(v, key, "not supported yet");
          }
        })
        .on("no_auth_user", auth::noAuthUser)
        .on("event_loops", this::eventLoops);
  }

  /** A top-level key used as $NAME elsewhere is a variable, not a setting (as nats-server). */
  private void unknown(ConfNode v, String key) {
    if (!v.usedAsVariable()) {
      values.warning(v, "unknown field \"" + key + "\" (ignored)");
    }
  }

  private void listen(ConfNode v, String key) {
    HostPort hp = values.hostPort(v, key);
    if (hp != null) {
      if (!hp.host().isEmpty() || v.isString()) {
        host(hp.host());
      }
      port(hp.port());
    }
  }

  /** max_payload, max_control_line: a size that fits an int; 0 means the default. */
  private void intSize(ConfNode v, String key, int dflt, IntConsumer setter) {
    Long n = values.size(v, key);
    if (n != null) {
      if (n > Integer.MAX_VALUE) {
        values.error(v, key, key + " value is too big");
      } else if (n < 0) {
        values.error(v, key, "must not be negative");
      } else {
        setter.accept(n == 0 ? dflt : n.intValue());
      }
    }
  }

  private void maxPending(ConfNode v, String key) {
    maxPendingAt = v;
    Long n = values.size(v, key);
    if (n != null) {
      if (n < 0) {
        values.error(v, key, "must not be negative");
      } else {
        b.maxPending(n == 0 ? Defaults.MAX_PENDING : n);
      }
    }
  }

  private void lameDuckDuration(ConfNode v, String key) {
    lameDuckAt = v;
    Duration d = values.durationString(v, key);
    if (d != null) {
      if (d.compareTo(MIN_LAME_DUCK_DURATION) < 0) {
        values.error(v, key, "invalid lame_duck_duration of " + GoDuration.format(d)
            + ", minimum is 30 seconds");
      } else {
        b.lameDuckDuration(d);
      }
    }
  }

  private void lameDuckGracePeriod(ConfNode v, String key) {
    lameDuckGraceAt = v;
    Duration d = values.durationString(v, key);
    if (d != null) {
      if (d.isNegative()) {
        values.error(v, key, "invalid lame_duck_grace_period, needs to be positive");
      } else {
        b.lameDuckGracePeriod(d.isZero() ? Defaults.LAME_DUCK_GRACE_PERIOD : d);
      }
    }
  }

  private void plugins(ConfNode v, String key) {
    Map<String, ConfNode> m = values.map(v, key);
    if (m != null) {
      for (Map.Entry<String, ConfNode> e : m.entrySet()) {
        if (!e.getValue().isMap()) {
          values.error(e.getValue(), e.getKey(), "a plugin's configuration must be a map");
        } else {
          b.pluginConfig(e.getKey(), ConfJson.of(e.getValue()));
        }
      }
    }
  }

  private void http(ConfNode v, String key) {
    HostPort hp = values.hostPort(v, key);
    if (hp != null) {
      b.httpHost(hp.host().isEmpty() ? null : hp.host());
      b.httpPort(hp.port());
    }
  }

  private void eventLoops(ConfNode v, String key) {
    Integer n = values.integer(v, key, Integer.MIN_VALUE, Integer.MAX_VALUE);
    if (n != null && n < 0) {
      values.error(v, key, "must be 0 (one per core) or more, got " + n);
    } else if (n != null) {
      b.eventLoops(n);
    }
  }

  /**
   * A cluster takes the gateway's name (nats-server's validateCluster): a different name is an
   * error, none is the gateway's.
   */
  private void clusterNameFromGateway(ServerOptions.Builder base) {
    GatewayOptions g = base.gateway();
    ClusterOptions c = base.cluster();
    if (gatewayAt == null || g.name() == null || g.name().isEmpty() || g.name().equals(c.name())) {
      return;
    }
    if (c.name() != null && !c.name().isEmpty()) {
      values.error(gatewayAt, "gateway", "cluster name conflicts between cluster and gateway definitions");
      return;
    }
    base.cluster(c.withName(g.name()));
  }

  /** Checks between keys, on the final values (nats-server's validateOptions and startup). */
  private void crossChecks(ServerOptions o) {
    if (leafNodesAt != null && o.leafNodes().enabled()) {
      LeafNodeReader.check(values, leafNodesAt, o.leafNodes(), o);
    }
    if (webSocketAt != null && o.webSocket().enabled()) {
      WebSocketReader.check(values, webSocketAt, o.webSocket(), o.authorization(), o.accounts());
    }
    if (o.maxPayload() > o.maxPending()) {
      ConfNode at = maxPayloadAt != null ? maxPayloadAt : maxPendingAt;
      if (at != null) {
        values.error(at, "max_payload", "max_payload (" + o.maxPayload()
            + ") cannot be higher than max_pending (" + o.maxPending() + ")");
      }
    }
    if (maxPayloadAt != null && o.maxPayload() > MAX_PAYLOAD_WARN) {
      values.warning(maxPayloadAt, "max_payload", "Maximum payloads over 8.00 MB are generally "
          + "discouraged and could lead to poor performance");
    }
    if (o.lameDuckGracePeriod().compareTo(o.lameDuckDuration()) >= 0) {
      ConfNode at = lameDuckAt != null ? lameDuckAt : lameDuckGraceAt;
      if (at != null) {
        String key = at == lameDuckAt ? "lame_duck_duration" : "lame_duck_grace_period";
        values.error(at, key, "lame duck grace period ("
            + GoDuration.format(o.lameDuckGracePeriod())
            + ") should be strictly lower than lame duck duration ("
            + GoDuration.format(o.lameDuckDuration()) + ")");
      }
    }
  }

  /** nats-server: port 0 means the default port, -1 a random one (0 in {@link ServerOptions}). */
  private void port(int port) {
    b.port(clientPort(port));
  }

  public static int clientPort(int natsPort) {
    return natsPort == 0 ? Defaults.PORT : natsPort == -1 ? 0 : natsPort;
  }

  private void host(String host) {
    b.host(host.isEmpty() ? Defaults.HOST : host);
  }
}
