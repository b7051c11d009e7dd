package io.natsvx.server;

import io.natsvx.server.EventBusAddresses.InterestChange;
import io.natsvx.account.Account;
import io.natsvx.account.Accounts;
import io.natsvx.auth.AuthService;
import io.natsvx.config.ServerOptions;
import io.natsvx.conn.ClosedConnections;
import io.natsvx.conn.Connection;
import io.natsvx.internal.ServerKey;
import io.natsvx.log.ServerLog;
import io.vertx.core.Vertx;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What every verticle of one server shares: identity, current options, the log, accounts, the
 * connection registry and counters. Thread-safe; options are swapped whole on reload.
 */
public final class ServerContext implements io.natsvx.conn.ConnectionHost {

  /** The nats-server release whose feature level this server implements (clients key on it). */
  public static final String PROTOCOL_VERSION = "2.10.0";

  private final Vertx vertx;
  private final ServerLog log;
  private final String serverId;
  private final ServerKey serverKey;
  /** The server's curve key, for sealed auth callout requests (nats-server's xkp). */
  private final io.natsvx.internal.CurveKeys serverXKey = io.natsvx.internal.CurveKeys.generate();
  private final long startMillis = System.currentTimeMillis();
  private final Accounts accounts;
  private final ConcurrentHashMap<Long, Connection> connections = new ConcurrentHashMap<>();
  private final AtomicLong nextConnectionId = new AtomicLong();
  private final ConcurrentHashMap<Object, Integer> loopSlots = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicInteger nextLoopSlot = new java.util.concurrent.atomic.AtomicInteger();
  private volatile int slotCount = 1;
  private final ClosedConnections closed = new ClosedConnections(ClosedConnections.DEFAULT_SIZE);
  private final ConcurrentHashMap<String, LongAdder> httpRequests = new ConcurrentHashMap<>();
  private volatile long configLoadMillis = System.currentTimeMillis();
  private volatile ServerOptions options;
  private volatile int clientPort;
  private volatile int webSocketPort;
  private volatile boolean lameDuck;
  private volatile boolean shuttingDown;

  public final LongAdder inMsgs = new LongAdder();
  public final LongAdder inBytes = new LongAdder();
  public final LongAdder outMsgs = new LongAdder();
  public final LongAdder outBytes = new LongAdder();
  public final LongAdder slowConsumers = new LongAdder();
  public final LongAdder totalConnections = new LongAdder();
  public final LongAdder authErrors = new LongAdder();
  private volatile AuthService auth;
  /** WebSocket clients' authentication when the websocket block overrides it; else {@link #auth}. */
  private volatile AuthService webSocketAuth;
  private volatile io.netty.handler.ssl.SslContext sslContext;
  private volatile SystemServices system = SystemServices.NONE;
  private final io.natsvx.plugin.PluginHost plugins;
  private volatile io.natsvx.plugin.api.AccountResolver resolver;
  private volatile boolean jetStreamRunning;
  private volatile ClusterView cluster;
  private volatile java.util.List<String> connectUrls = java.util.List.of();
  private volatile java.util.List<String> wsConnectUrls = java.util.List.of();

  public ServerContext(Vertx vertx, ServerOptions options, ServerLog log) {
    this.vertx = vertx;
    this.options = options;
    this.log = log;
    this.serverKey = ServerKey.generate();
    this.serverId = serverKey.id();
    this.accounts = new Accounts(options);
    // Links hear of this server's own interest through the event bus (their loop counts it).
    accounts.interestSink((account, subject, queue, added) -> {
      if (added && queue == null) {
        newSubscription.accept(account, subject);
      }
      interestNews(new InterestChange(account, subject, queue, added, null, null));
    });
    this.plugins = new io.natsvx.plugin.PluginHost(vertx, log);
    setAuth(options, java.util.List.of());
  }

  private void setAuth(ServerOptions o, java.util.List<io.natsvx.plugin.api.Authenticator> authenticators) {
    AuthService main = newAuth(o, authenticators);
    io.natsvx.config.WebSocketOptions ws = o.webSocket();
    webSocketAuth = ws.authOverride()
        ? newAuth(o.toBuilder().authorization(ws.authorization(o.authorization())).build(), authenticators) : main;
    auth = main;
  }

  private AuthService newAuth(ServerOptions o, java.util.List<io.natsvx.plugin.api.Authenticator> authenticators) {
    return new AuthService(vertx, o, authenticators, o.operator() == null ? null : operatorAuth(o), callout(o));
  }

  /** The auth callout's messenger: the server's keys, identity and request path (see AuthCallout). */
  private io.natsvx.auth.AuthCallout callout(ServerOptions o) {
    return new io.natsvx.auth.AuthCallout(serverKey, serverXKey,
        new io.natsvx.auth.AuthCallout.ServerIdentity(serverName(), o.host(), serverId, PROTOCOL_VERSION),
        (account, subject, headers, payload, timeout) -> system.request(account, subject, headers, payload, timeout),
        // the client's own auth timer, started earlier, ends a silent wait first, as on nats-server
        o.authTimeout().toMillis() + 500, log::warn);
  }

  private io.natsvx.auth.OperatorAuth operatorAuth(ServerOptions o) {
    io.natsvx.jwt.TrustedOperators operators;
    try {
      operators = io.natsvx.jwt.TrustedOperators.of(o.operator().operatorJwts(), System.currentTimeMillis() / 1000);
    } catch (io.natsvx.jwt.JwtException e) {
      throw new IllegalStateException("operator token no longer valid: " + e.getMessage());
    }
    long timeout = o.operator().resolver().fetchTimeoutMillis();
    return new io.natsvx.auth.OperatorAuth(new io.natsvx.auth.AccountTokens(operators, resolver, o.operator().resolver(),
        o.systemAccount(), key -> system.lookupAccount(key, timeout)), accounts, callout(o));
  }

  /** The account resolver operator mode uses, once its plugin has started; auth is rebuilt with it. */
  public void resolver(io.natsvx.plugin.api.AccountResolver value) {
    resolver = value;
    refreshAuth();
  }

  /** The authentication in force; replaced whole on reload. */
  public AuthService auth() { return auth; }

  /** The authentication for a client of the WebSocket port ({@code webSocket}) or the client port. */
  public AuthService auth(boolean webSocket) { return webSocket ? webSocketAuth : auth; }

  /** Rebuilds authentication once the plugins it may use have started. */
  public void refreshAuth() {
    setAuth(options, plugins.authenticators(options.authenticators()));
  }

  public io.natsvx.plugin.PluginHost plugins() { return plugins; }

  /** Whether JetStream started (INFO and health tell it). */
  public boolean jetStreamRunning() { return jetStreamRunning; }
  public void jetStreamRunning(boolean value) { jetStreamRunning = value; }

  private volatile java.util.function.IntSupplier leafNodeCount = () -> 0;

  private volatile int leafNodePort;

  private volatile String gatewayUrl;
  private volatile java.util.function.BiConsumer<String, String> newSubscription = (account, subject) -> { };

  /**
   * Hears of every plain subscription of this server's, on the loop that makes it, before any
   * message the subscriber publishes next (gateways route replies to new subscriptions).
   */
  public void onNewSubscription(java.util.function.BiConsumer<String, String> hook) { newSubscription = hook; }

  /** This server's gateway URL ("host:port", route INFO's gateway_url); null without a gateway. */
  public String gatewayUrl() { return gatewayUrl; }
  public void gatewayUrl(String url) { gatewayUrl = url; }

  /** The leaf node port bound; 0 without one. */
  public int leafNodePort() { return leafNodePort; }
  public void leafNodePort(int port) { leafNodePort = port; }

  /** Leaf node links bound now (/varz leafnodes). */
  public int leafNodeCount() { return leafNodeCount.getAsInt(); }
  public void leafNodeCount(java.util.function.IntSupplier value) { leafNodeCount = value; }

  /** The cluster's routes, once started; null without clustering. */
  public ClusterView cluster() { return cluster; }
  public void cluster(ClusterView value) { cluster = value; }

  /** The cluster's client URLs for INFO's connect_urls (empty: none to tell). */
  public java.util.List<String> connectUrls() { return connectUrls; }

  /** The cluster's WebSocket URLs, which WebSocket clients get as connect_urls. */
  public java.util.List<String> wsConnectUrls() { return wsConnectUrls; }

  /** New cluster client (and WebSocket) URLs: clients that take async INFO hear of them. */
  public void connectUrls(java.util.List<String> urls, java.util.List<String> wsUrls) {
    if (urls.equals(connectUrls) && wsUrls.equals(wsConnectUrls)) {
      return;
    }
    connectUrls = java.util.List.copyOf(urls);
    wsConnectUrls = java.util.List.copyOf(wsUrls);
    for (Connection c : connections.values()) {
      c.onLoop(Connection::clusterUrlsChanged);
    }
  }

  /** The system account's events and requests; {@link SystemServices#NONE} until they run. */
  public SystemServices system() { return system; }
  public void system(SystemServices value) { system = value == null ? SystemServices.NONE : value; }

  /** The client listener's TLS context; null for plain text. */
  public io.netty.handler.ssl.SslContext sslContext() { return sslContext; }
  public void sslContext(io.netty.handler.ssl.SslContext value) { sslContext = value; }

  public Vertx vertx() { return vertx; }
  public ServerLog log() { return log; }
  public String serverId() { return serverId; }
  /** The key behind the server id, for what the server signs. */
  public ServerKey serverKey() { return serverKey; }
  public long startMillis() { return startMillis; }
  public ServerOptions options() { return options; }
  public void options(ServerOptions value) {
    options = value;
    accounts.configure(value);
    setAuth(value, plugins.authenticators(value.authenticators()));
    configLoadMillis = System.currentTimeMillis();
  }

  public long configLoadMillis() { return configLoadMillis; }

  public ClosedConnections closedConnections() { return closed; }

  /** Counts a monitoring request by endpoint path, for /varz http_req_stats. */
  public void countHttpRequest(String path) {
    httpRequests.computeIfAbsent(path, p -> new LongAdder()).increment();
  }

  public java.util.Map<String, Long> httpRequestCounts() {
    java.util.Map<String, Long> out = new java.util.TreeMap<>();
    httpRequests.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
  public Account globalAccount() { return accounts.global(); }
  public Accounts accounts() { return accounts; }

  /** Subscriptions in all accounts. */
  public int subscriptionCount() {
    int n = 0;
    for (Account a : accounts.all()) {
      n += a.subjects().count();
    }
    return n;
  }

  /** server_name, or the id when none is configured, as nats-server does. */
  public String serverName() {
    String name = options.serverName();
    return name == null || name.isEmpty() ? serverId : name;
  }

  public int clientPort() { return clientPort; }
  public void clientPort(int port) { clientPort = port; }
  /** The WebSocket port bound; 0 without one. */
  public int webSocketPort() { return webSocketPort; }
  public void webSocketPort(int port) { webSocketPort = port; }

  public boolean isLameDuck() { return lameDuck; }
  public void lameDuck(boolean value) { lameDuck = value; }
  public boolean isShuttingDown() { return shuttingDown; }
  public void shuttingDown(boolean value) { shuttingDown = value; }

  /** How many event loops serve connections (set before any connection is accepted). */
  public void loopSlots(int count) {
    slotCount = count;
  }

  @Override
  public int loopSlots() {
    return slotCount;
  }

  /**
   * A small index for an event loop, the same for every connection on it: its slot in every
   * outbound's staging array.
   */
  @Override
  public int loopSlot(Object eventLoop) {
    int slot = loopSlots.computeIfAbsent(eventLoop, l -> nextLoopSlot.getAndIncrement());
    if (slot >= slotCount) {
      throw new IllegalStateException("more event loops than listener instances: " + (slot + 1));
    }
    return slot;
  }

  @Override
  public void countIn(long msgs, long bytes) {
    inMsgs.add(msgs);
    inBytes.add(bytes);
  }

  @Override
  public void countOut(long msgs, long bytes) {
    outMsgs.add(msgs);
    outBytes.add(bytes);
  }

  @Override
  public void countSlowConsumer() {
    slowConsumers.increment();
  }

  private final ConcurrentHashMap<Object, io.natsvx.conn.InternalProducer> internalProducers = new ConcurrentHashMap<>();

  @Override
  public io.natsvx.conn.InternalProducer internalProducer(io.netty.channel.EventLoop loop) {
    return internalProducers.computeIfAbsent(loop, l -> new io.natsvx.conn.InternalProducer(loop, loopSlot(loop)));
  }

  @Override
  public void retire(Connection c, io.natsvx.conn.ConnectionInfo last) {
    connections.remove(c.id());
    closed.add(last);
  }

  @Override
  public long nextConnectionId() {
    return nextConnectionId.incrementAndGet();
  }

  @Override
  public void register(Connection c) {
    connections.put(c.id(), c);
    totalConnections.increment();
  }

  @Override
  public void linkInterest(io.natsvx.conn.Link from, String account, String subject, String queue, boolean added,
      String origin) {
    // Only leaf nodes and gateways make link interest news: a route's interest is for leaf
    // nodes and gateways, a leaf's for the routes, gateways and the other leaf nodes, a
    // gateway's for the leaf nodes.
    if (options.leafNodes().enabled() || options.gateway().enabled()) {
      interestNews(new InterestChange(account, subject, queue, added, from, origin));
    }
  }

  /**
   * Tells the links of an interest change and, unless another server's (a route's or gateway's,
   * whose server made its own), of what it asks of the accounts its account imports streams
   * from (nats-server's shadow subscriptions): those servers then send the exporter's messages
   * here, where they cross into the importer.
   */
  private void interestNews(InterestChange c) {
    vertx.eventBus().publish(EventBusAddresses.INTEREST, c);
    if (c.from() != null && (c.from().role() == io.natsvx.conn.Link.Role.ROUTE
        || c.from().role() == io.natsvx.conn.Link.Role.GATEWAY)) {
      return;
    }
    io.natsvx.account.Account a = accounts.get(c.account());
    if (a == null) {
      return;
    }
    for (io.natsvx.account.StreamImport si : a.streamImports()) {
      String shadow = si.shadow(c.subject());
      if (shadow != null) {
        vertx.eventBus().publish(EventBusAddresses.INTEREST,
            new InterestChange(si.exporter().name(), shadow, c.queue(), c.added(), c.from(), c.origin()));
      }
    }
  }

  public void unregister(Connection c) {
    connections.remove(c.id());
  }

  public int connectionCount() {
    return connections.size();
  }

  public Collection<Connection> connections() {
    return connections.values();
  }


}
