package io.natsvx.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The server's effective options: defaults, then a config file, then command-line flags.
 * Immutable and thread-safe; build one with {@link #builder()} or read one with
 * {@link OptionsReader}. Key names in comments are nats-server's.
 */
public final class ServerOptions {

  private final String host;            // host / net / listen
  private final int port;               // port (0 = ephemeral)
  private final String serverName;      // server_name
  private final int maxPayload;         // max_payload
  private final int maxControlLine;     // max_control_line
  private final int maxConnections;     // max_connections
  private final int maxSubscriptions;   // max_subscriptions (0 = unlimited)
  private final long maxPending;        // max_pending
  private final Duration writeDeadline; // write_deadline
  private final Duration pingInterval;  // ping_interval
  private final int pingMax;            // ping_max
  private final boolean noHeaderSupport;// no_header_support
  private final Duration authTimeout;   // authorization.timeout
  private final Duration lameDuckDuration;     // lame_duck_duration
  private final Duration lameDuckGracePeriod;  // lame_duck_grace_period
  private final String pidFile;         // pid_file
  private final String portsFileDir;    // ports_file_dir
  private final boolean logtime;        // logtime
  private final boolean debug;          // debug
  private final boolean trace;          // trace
  private final String logFile;         // log_file
  private final int httpPort;           // http_port (monitoring; 0 = off, -1 = random port)
  private final AuthOptions authorization; // authorization, no_auth_user, --user/--pass/--auth
  private final TlsOptions tls;         // tls {...}, --tls...; null = plain text
  private final java.util.List<AccountOptions> accounts; // accounts {...}
  private final String systemAccount;   // system_account (default $SYS)
  private final String httpBasePath;    // http_base_path
  private final int httpsPort;          // https_port, -ms (0 = off, -1 = random)
  private final String pluginsDir;      // plugins_dir, --plugins_dir
  private final java.util.Map<String, io.vertx.core.json.JsonObject> pluginConfigs; // plugins { id: {...} }
  private final java.util.List<String> authenticators; // authorization.authenticators (plugin ids)
  private final AuthCalloutOptions authCallout; // authorization.auth_callout; null for none
  private final JetStreamOptions jetStream;      // jetstream, store_dir, -js, -sd
  private final ClusterOptions cluster;          // cluster, --cluster, --routes...
  private final WebSocketOptions webSocket;      // websocket
  private final LeafNodeOptions leafNodes;       // leafnodes
  private final GatewayOptions gateway;          // gateway
  private final String clientAdvertise;          // client_advertise, --client_advertise; null = the listen address
  private final String httpHost;        // http: "host:port" host part; null = same as host
  private final int eventLoops;         // natsvx: client listener instances (0 = one per core)
  private final OperatorOptions operator; // operator, resolver, resolver_preload; null = no operator mode
  private final String configFile;      // the file these options came from, if any

  private ServerOptions(Builder b) {
    host = b.host;
    port = b.port;
    serverName = b.serverName;
    maxPayload = b.maxPayload;
    maxControlLine = b.maxControlLine;
    maxConnections = b.maxConnections;
    maxSubscriptions = b.maxSubscriptions;
    maxPending = b.maxPending;
    writeDeadline = b.writeDeadline;
    pingInterval = b.pingInterval;
    pingMax = b.pingMax;
    noHeaderSupport = b.noHeaderSupport;
    authTimeout = b.authTimeout;
    lameDuckDuration = b.lameDuckDuration;
    lameDuckGracePeriod = b.lameDuckGracePeriod;
    pidFile = b.pidFile;
    portsFileDir = b.portsFileDir;
    logtime = b.logtime;
    debug = b.debug;
    trace = b.trace;
    logFile = b.logFile;
    httpPort = b.httpPort;
    httpHost = b.httpHost;
    httpBasePath = b.httpBasePath;
    httpsPort = b.httpsPort;
    pluginsDir = b.pluginsDir;
    pluginConfigs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(b.pluginConfigs));
    authenticators = java.util.List.copyOf(b.authenticators);
    authCallout = b.authCallout;
    jetStream = b.jetStream;
    cluster = b.cluster;
    webSocket = b.webSocket;
    leafNodes = b.leafNodes;
    gateway = b.gateway;
    clientAdvertise = b.clientAdvertise;
    authorization = b.authorization;
    tls = b.tls;
    accounts = java.util.List.copyOf(b.accounts);
    systemAccount = b.systemAccount;
    eventLoops = b.eventLoops;
    operator = b.operator;
    configFile = b.configFile;
  }

  public static Builder builder() {
    return new Builder();
  }

  public static ServerOptions defaults() {
    return builder().build();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.host = host;
    b.port = port;
    b.serverName = serverName;
    b.maxPayload = maxPayload;
    b.maxControlLine = maxControlLine;
    b.maxConnections = maxConnections;
    b.maxSubscriptions = maxSubscriptions;
    b.maxPending = maxPending;
    b.writeDeadline = writeDeadline;
    b.pingInterval = pingInterval;
    b.pingMax = pingMax;
    b.noHeaderSupport = noHeaderSupport;
    b.authTimeout = authTimeout;
    b.lameDuckDuration = lameDuckDuration;
    b.lameDuckGracePeriod = lameDuckGracePeriod;
    b.pidFile = pidFile;
    b.portsFileDir = portsFileDir;
    b.logtime = logtime;
    b.debug = debug;
    b.trace = trace;
    b.logFile = logFile;
    b.httpPort = httpPort;
    b.httpHost = httpHost;
    b.httpBasePath = httpBasePath;
    b.httpsPort = httpsPort;
    b.pluginsDir = pluginsDir;
    b.pluginConfigs = new java.util.LinkedHashMap<>(pluginConfigs);
    b.authenticators = authenticators;
    b.authCallout = authCallout;
    b.jetStream = jetStream;
    b.cluster = cluster;
    b.webSocket = webSocket;
    b.leafNodes = leafNodes;
    b.gateway = gateway;
    b.clientAdvertise = clientAdvertise;
    b.authorization = authorization;
    b.tls = tls;
    b.accounts = accounts;
    b.systemAccount = systemAccount;
    b.eventLoops = eventLoops;
    b.operator = operator;
    b.configFile = configFile;
    return b;
  }

  public String host() { return host; }
  public int port() { return port; }
  public String serverName() { return serverName; }
  public int maxPayload() { return maxPayload; }
  public int maxControlLine() { return maxControlLine; }
  public int maxConnections() { return maxConnections; }
  public int maxSubscriptions() { return maxSubscriptions; }
  public long maxPending() { return maxPending; }
  public Duration writeDeadline() { return writeDeadline; }
  public Duration pingInterval() { return pingInterval; }
  public int pingMax() { return pingMax; }
  public boolean noHeaderSupport() { return noHeaderSupport; }
  public Duration authTimeout() { return authTimeout; }
  public Duration lameDuckDuration() { return lameDuckDuration; }
  public Duration lameDuckGracePeriod() { return lameDuckGracePeriod; }
  public String pidFile() { return pidFile; }
  public String portsFileDir() { return portsFileDir; }
  public boolean logtime() { return logtime; }
  public boolean debug() { return debug; }
  public boolean trace() { return trace; }
  public String logFile() { return logFile; }
  public int httpPort() { return httpPort; }
  public String httpHost() { return httpHost; }
  public String httpBasePath() { return httpBasePath; }
  public int httpsPort() { return httpsPort; }
  public String pluginsDir() { return pluginsDir; }
  /** Each plugin's config block by id, in file order (the order plugins start in). */
  public java.util.Map<String, io.vertx.core.json.JsonObject> pluginConfigs() { return pluginConfigs; }
  public java.util.List<String> authenticators() { return authenticators; }
  public AuthCalloutOptions authCallout() { return authCallout; }
  public JetStreamOptions jetStream() { return jetStream; }
  public ClusterOptions cluster() { return cluster; }
  public WebSocketOptions webSocket() { return webSocket; }
  public LeafNodeOptions leafNodes() { return leafNodes; }
  public GatewayOptions gateway() { return gateway; }
  /** The host:port clients are told to use for this server; null for the listen address. */
  public String clientAdvertise() { return clientAdvertise; }
  public AuthOptions authorization() { return authorization; }
  public TlsOptions tls() { return tls; }
  public java.util.List<AccountOptions> accounts() { return accounts; }
  public String systemAccount() { return systemAccount; }
  public int eventLoops() { return eventLoops; }
  public OperatorOptions operator() { return operator; }
  public String configFile() { return configFile; }

  /** Mutable builder; every setter returns {@code this}. Starts from {@link Defaults}. */
  public static final class Builder {
    private String host = Defaults.HOST;
    private int port = Defaults.PORT;
    private String serverName;
    private int maxPayload = Defaults.MAX_PAYLOAD;
    private int maxControlLine = Defaults.MAX_CONTROL_LINE;
    private int maxConnections = Defaults.MAX_CONNECTIONS;
    private int maxSubscriptions = 0;
    private long maxPending = Defaults.MAX_PENDING;
    private Duration writeDeadline = Defaults.WRITE_DEADLINE;
    private Duration pingInterval = Defaults.PING_INTERVAL;
    private int pingMax = Defaults.PING_MAX;
    private boolean noHeaderSupport;
    private Duration authTimeout = Defaults.AUTH_TIMEOUT;
    private Duration lameDuckDuration = Defaults.LAME_DUCK_DURATION;
    private Duration lameDuckGracePeriod = Defaults.LAME_DUCK_GRACE_PERIOD;
    private String pidFile;
    private String portsFileDir;
    private boolean logtime = true;
    private boolean debug;
    private boolean trace;
    private String logFile;
    private int httpPort;
    private String httpHost;
    private String httpBasePath = "";
    private int httpsPort;
    private String pluginsDir;
    private java.util.Map<String, io.vertx.core.json.JsonObject> pluginConfigs = new java.util.LinkedHashMap<>();
    private java.util.List<String> authenticators = java.util.List.of();
    private AuthCalloutOptions authCallout;
    private JetStreamOptions jetStream = JetStreamOptions.DISABLED;
    private ClusterOptions cluster = ClusterOptions.NONE;
    private WebSocketOptions webSocket = WebSocketOptions.NONE;
    private LeafNodeOptions leafNodes = LeafNodeOptions.NONE;
    private GatewayOptions gateway = GatewayOptions.NONE;
    private String clientAdvertise;
    private AuthOptions authorization = AuthOptions.NONE;
    private TlsOptions tls;
    private java.util.List<AccountOptions> accounts = java.util.List.of();
    private String systemAccount = "$SYS";
    private int eventLoops;
    private OperatorOptions operator;
    private String configFile;

    private Builder() {}

    public Builder host(String v) { host = Objects.requireNonNull(v); return this; }
    public Builder port(int v) { port = v; return this; }
    public Builder serverName(String v) { serverName = v; return this; }
    public Builder maxPayload(int v) { maxPayload = v; return this; }
    public Builder maxControlLine(int v) { maxControlLine = v; return this; }
    public Builder maxConnections(int v) { maxConnections = v; return this; }
    public Builder maxSubscriptions(int v) { maxSubscriptions = v; return this; }
    public Builder maxPending(long v) { maxPending = v; return this; }
    public Builder writeDeadline(Duration v) { writeDeadline = Objects.requireNonNull(v); return this; }
    public Builder pingInterval(Duration v) { pingInterval = Objects.requireNonNull(v); return this; }
    public Builder pingMax(int v) { pingMax = v; return this; }
    public Builder noHeaderSupport(boolean v) { noHeaderSupport = v; return this; }
    public Builder authTimeout(Duration v) { authTimeout = Objects.requireNonNull(v); return this; }
    public Builder lameDuckDuration(Duration v) { lameDuckDuration = Objects.requireNonNull(v); return this; }
    public Builder lameDuckGracePeriod(Duration v) { lameDuckGracePeriod = Objects.requireNonNull(v); return this; }
    public Builder pidFile(String v) { pidFile = v; return this; }
    public Builder portsFileDir(String v) { portsFileDir = v; return this; }
    public Builder logtime(boolean v) { logtime = v; return this; }
    public Builder debug(boolean v) { debug = v; return this; }
    public Builder trace(boolean v) { trace = v; return this; }
    public Builder logFile(String v) { logFile = v; return this; }
    public Builder httpPort(int v) { httpPort = v; return this; }
    public Builder tls(TlsOptions v) { tls = v; return this; }
    public Builder accounts(java.util.List<AccountOptions> v) { accounts = java.util.List.copyOf(v); return this; }
    public Builder systemAccount(String v) { systemAccount = v == null ? "$SYS" : v; return this; }
    public Builder authorization(AuthOptions v) { authorization = v == null ? AuthOptions.NONE : v; return this; }
    public Builder httpsPort(int v) { httpsPort = v; return this; }
    public Builder pluginsDir(String v) { pluginsDir = v; return this; }
    public Builder pluginConfig(String id, io.vertx.core.json.JsonObject config) { pluginConfigs.put(id, config); return this; }
    public Builder authenticators(java.util.List<String> v) { authenticators = java.util.List.copyOf(v); return this; }
    public Builder authCallout(AuthCalloutOptions v) { authCallout = v; return this; }
    public Builder jetStream(JetStreamOptions v) { jetStream = v; return this; }
    public JetStreamOptions jetStream() { return jetStream; }
    public Builder cluster(ClusterOptions v) { cluster = java.util.Objects.requireNonNull(v); return this; }
    public ClusterOptions cluster() { return cluster; }
    public GatewayOptions gateway() { return gateway; }
    public Builder webSocket(WebSocketOptions v) { webSocket = java.util.Objects.requireNonNull(v); return this; }
    public Builder leafNodes(LeafNodeOptions v) { leafNodes = java.util.Objects.requireNonNull(v); return this; }
    public Builder gateway(GatewayOptions v) { gateway = java.util.Objects.requireNonNull(v); return this; }
    public Builder clientAdvertise(String v) { clientAdvertise = v; return this; }
    public Builder httpBasePath(String v) { httpBasePath = v == null ? "" : v; return this; }
    public Builder httpHost(String v) { httpHost = v; return this; }
    public Builder eventLoops(int v) { eventLoops = v; return this; }
    public Builder operator(OperatorOptions v) { operator = v; return this; }
    public Builder configFile(String v) { configFile = v; return this; }

    public ServerOptions build() {
      return new ServerOptions(this);
    }
  }
}
