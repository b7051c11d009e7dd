package io.natsvx;

import io.natsvx.server.EventBusAddresses;
import io.natsvx.server.ServerContext;
import io.natsvx.server.SystemServices;
import io.natsvx.server.Version;
import io.natsvx.client.ClientConnection;
import io.natsvx.client.ClientListenerVerticle;
import io.natsvx.config.ServerOptions;
import io.natsvx.config.WebSocketOptions;
import io.natsvx.websocket.WebSocketAcceptor;
import io.netty.handler.ssl.SslContext;
import io.natsvx.conn.ClosedReason;
import io.natsvx.conn.Connection;
import io.natsvx.log.ServerLog;
import io.natsvx.route.RouteVerticle;
import io.natsvx.tls.TlsContextFactory;
import io.natsvx.monitor.MonitorVerticle;
import io.natsvx.monitor.ServerMetrics;
import io.natsvx.system.SystemAccount;
import io.natsvx.monitor.Monitored;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.ThreadingModel;
import java.util.ArrayList;
import java.util.List;

/**
 * The root verticle: reads the options, deploys the client listener once per event loop on one
 * port, and owns the server's lifecycle (reload, lame duck, ordered shutdown). Embed it with
 * {@code vertx.deployVerticle(new NatsServerVerticle(options))}; {@link #port()} then tells the
 * port bound, which matters when the options asked for port 0.
 */
public class NatsServerVerticle extends VerticleBase {

  private final ServerOptions initialOptions;
  private final ServerLog providedLog;
  private ServerContext server;
  private ServerLog log;
  private final PrometheusMeterRegistry providedRegistry;
  private ServerMetrics metrics;
  private volatile int port = -1;
  private volatile int webSocketPort = -1;
  /** How often unanswered service-import responses are dropped. */
  private static final long RESPONSE_SWEEP_MILLIS = 30_000;
  private volatile int monitorPort = -1;
  private RouteVerticle routes;
  private io.natsvx.leaf.LeafNodeVerticle leafNodes;
  private io.natsvx.gateway.GatewayVerticle gateways;
  private io.natsvx.jetstream.JetStream jetStream;
  private io.natsvx.jetstream.api.JsApis jsApis;
  private SystemAccount systemAccount;

  public NatsServerVerticle(ServerOptions options) {
    this(options, null, null);
  }

  /**
   * With a log and a metrics registry shared with the caller (the command line builds Vert.x
   * with the same registry, so Vert.x's metrics show in /metrics too); null makes its own.
   */
  public NatsServerVerticle(ServerOptions options, ServerLog log, PrometheusMeterRegistry registry) {
    this.initialOptions = options;
    this.providedLog = log;
    this.providedRegistry = registry;
  }

  /** The monitoring port bound; -1 when monitoring is off or not started yet. */
  public int monitorPort() {
    return monitorPort;
  }

  /** The route port bound; -1 without clustering or before start completes. */
  public int clusterPort() {
    return routes == null ? -1 : routes.port();
  }

  /** The server's JetStream; null when it is off or not started yet. */
  public io.natsvx.jetstream.JetStream jetStream() {
    return jetStream;
  }

  /** The cluster's routes; null without clustering. */
  public RouteVerticle routes() {
    return routes;
  }

  /** The client port bound; -1 before start completes. */
  public int port() {
    return port;
  }

  /** The leaf node port bound; -1 without a leaf node listener or before start completes. */
  public int leafNodePort() {
    return leafNodes == null || leafNodes.port() == 0 ? -1 : leafNodes.port();
  }

  /** The gateway port bound; -1 without a gateway or before start completes. */
  public int gatewayPort() {
    return gateways == null || gateways.port() == 0 ? -1 : gateways.port();
  }

  /** The gateway links; null without a gateway. */
  public io.natsvx.gateway.GatewayVerticle gateways() {
    return gateways;
  }

  /** The leaf node links; null without leaf nodes. */
  public io.natsvx.leaf.LeafNodeVerticle leafNodes() {
    return leafNodes;
  }

  /** The WebSocket port bound; -1 without a websocket block or before start completes. */
  public int webSocketPort() {
    return webSocketPort;
  }

  /** The running server's shared state; null before start. */
  public ServerContext server() {
    return server;
  }

  @Override
  public Future<?> start() {
    ServerOptions o = initialOptions;
    log = providedLog != null ? providedLog : new ServerLog(o.logtime(), o.debug(), o.trace(), o.logFile());
    EventBusAddresses.registerCodecs(vertx);
    server = new ServerContext(vertx, o, log);
    log.info("Starting natsvx");
    log.info("  Version:  " + Version.natsvx() + " (nats-server " + ServerContext.PROTOCOL_VERSION + " protocol level)");
    log.info("  Runtime:  " + Version.runtime());
    log.info("  Name:     " + server.serverName());
    log.info("  ID:       " + server.serverId());
    if (o.configFile() != null) {
      log.info("Using configuration file: " + o.configFile());
    }
    int instances = o.eventLoops() > 0 ? o.eventLoops() : Runtime.getRuntime().availableProcessors();
    // The route, gateway and leaf node verticles may land on event loops of their own: a slot for each.
    server.loopSlots(instances + (o.cluster().enabled() ? 1 : 0) + (o.leafNodes().enabled() ? 1 : 0)
        + (o.gateway().enabled() ? 1 : 0));
    // Vert.x shares one listening socket among instances that ask for the same port; a negative
    // port asks for a random one shared that way, which is what port 0 means here.
    int bindPort = o.port() == 0 ? -1 : o.port();
    ClientListenerVerticle first = new ClientListenerVerticle(server, bindPort);
    // Certificates are files: read them on a worker before the port opens.
    Future<Void> tls = o.tls() == null ? Future.succeededFuture()
        : vertx.executeBlocking(() -> TlsContextFactory.build(vertx, o.tls())).map(ctx -> {
          server.sslContext(ctx);
          return null;
        });
    Future<Void> plugins = tls.compose(v -> server.plugins().start(o.pluginsDir(), o.pluginConfigs(), o.authenticators()))
        .onSuccess(v -> server.refreshAuth())
        .compose(v -> startResolver(o))
        // Routes first: they count every local subscription from then on, JetStream's included.
        .compose(v -> deployRoutes(o))
        .compose(v -> deployLeafNodes(o))
        .compose(v -> deployGateway(o))
        .onSuccess(v -> server.accounts().linksListening())
        .compose(v -> startJetStream(o));
    return plugins.compose(v -> vertx.deployVerticle(first, listenerOptions()))
        .compose(id -> {
          int actual = first.actualPort();
          server.clientPort(actual);
          port = actual;
          List<Future<String>> more = new ArrayList<>();
          for (int i = 1; i < instances; i++) {
            more.add(vertx.deployVerticle(new ClientListenerVerticle(server, bindPort), listenerOptions()));
          }
          return Future.all(more);
        })
        .compose(v -> startWebSocket(o, instances))
        // The gateway and leaf node ports first: the route INFO tells peers their URLs.
        .compose(v -> gateways == null ? Future.succeededFuture() : gateways.begin())
        .compose(v -> leafNodes == null ? Future.succeededFuture() : leafNodes.begin())
        .compose(v -> routes == null ? Future.succeededFuture() : routes.begin())
        .onSuccess(v -> {
          if (leafNodes != null) {
            leafNodes.dialRemotes();
          }
        })
        .compose(v -> startMonitoring(o))
        .onSuccess(v -> {
          systemAccount = new SystemAccount(server, parts(), o.httpHost() != null ? o.httpHost() : o.host(),
              Math.max(0, monitorPort));
          systemAccount.start();
          server.system(systemAccount);
        })
        .onSuccess(v -> vertx.setPeriodic(RESPONSE_SWEEP_MILLIS,
            t -> server.accounts().all().forEach(io.natsvx.account.Account::expireResponses)))
        .onSuccess(v -> {
          log.info("Listening for client connections on " + o.host() + ":" + port);
          log.info("Server is ready");
        })
        .onFailure(e -> log.fatal("Error listening on port: " + o.host() + ":" + o.port() + ", " + e.getMessage()));
  }

  /**
   * Operator mode's account resolver: its plugin started (a bundled one, or one from
   * plugins_dir), then resolver_preload stored in it where it holds nothing newer.
   */
  private Future<Void> startResolver(ServerOptions o) {
    if (o.operator() == null) {
      return Future.succeededFuture();
    }
    return server.plugins().resolver(o.operator().resolver())
        .recover(e -> Future.failedFuture("account resolver: " + e.getMessage()))
        .compose(r -> {
          server.resolver(r);
          if (o.operator().preload().isEmpty()) {
            return Future.succeededFuture();
          }
          StringBuilder pack = new StringBuilder();
          o.operator().preload().forEach((k, jwt) -> pack.append(k).append('|').append(jwt).append('\n'));
          return server.auth().operator().tokens().merge(pack.toString()).mapEmpty();
        });
  }

  /**
   * The cluster's route verticle, listening to local interest before any client can subscribe;
   * its port opens once the client port is known (see {@link RouteVerticle#begin}).
   */
  private Future<Void> deployRoutes(ServerOptions o) {
    if (!o.cluster().enabled()) {
      if (!o.cluster().routes().isEmpty()) {
        return Future.failedFuture("solicited routes require cluster capabilities, e.g. --cluster");
      }
      return Future.succeededFuture();
    }
    routes = new RouteVerticle(server, o.cluster());
    return vertx.deployVerticle(routes, listenerOptions()).mapEmpty();
  }

  /** Leaf nodes, hearing of every subscription before any client can subscribe; links come with begin. */
  private Future<Void> deployLeafNodes(ServerOptions o) {
    if (!o.leafNodes().enabled()) {
      return Future.succeededFuture();
    }
    leafNodes = new io.natsvx.leaf.LeafNodeVerticle(server, o.leafNodes());
    server.leafNodeCount(leafNodes::count);
    return vertx.deployVerticle(leafNodes, listenerOptions()).mapEmpty();
  }

  /** The gateway, hearing of every subscription before any client can subscribe; links come with begin. */
  private Future<Void> deployGateway(ServerOptions o) {
    if (!o.gateway().enabled()) {
      return Future.succeededFuture();
    }
    gateways = new io.natsvx.gateway.GatewayVerticle(server, o.gateway());
    return vertx.deployVerticle(gateways, listenerOptions()).mapEmpty();
  }

  /** nats-server's enableJetStream: its log lines, then the streams kept on disk come back. */
  private Future<Void> startJetStream(ServerOptions o) {
    if (!o.jetStream().enabled()) {
      return Future.succeededFuture();
    }
    io.natsvx.jetstream.JetStream js = new io.natsvx.jetstream.JetStream(server, o.jetStream());
    log.info("Starting JetStream");
    if (o.jetStream().storeDir() == null) {
      log.warn("Temporary storage directory used, data could be lost on system reboot");
    }
    log.info("    Store Directory: \"" + js.root() + "\"");
    log.info("    Sync:            " + (o.jetStream().syncAlways() ? "always" : o.jetStream().syncInterval()));
    if (o.jetStream().domain() != null) {
      log.info("    Domain:          " + o.jetStream().domain());
    }
    return js.start().map(problems -> {
      problems.forEach(log::error);
      jetStream = js;
      jsApis = io.natsvx.jetstream.api.JsApis.start(server, js);
      server.jetStreamRunning(true);
      return null;
    });
  }

  private Future<Void> startMonitoring(ServerOptions o) {
    if (o.httpPort() == 0 && o.httpsPort() == 0) {
      return Future.succeededFuture();
    }
    // nats-server's rules and words (server.go StartMonitoring).
    if (o.httpPort() != 0 && o.httpsPort() != 0) {
      return Future.failedFuture("can't specify both HTTP (" + o.httpPort() + ") and HTTPs (" + o.httpsPort() + ") ports");
    }
    if (o.httpsPort() != 0 && o.tls() == null) {
      return Future.failedFuture("TLS cert and key required for HTTPS");
    }
    metrics = new ServerMetrics(providedRegistry != null ? providedRegistry : ServerMetrics.newRegistry());
    metrics.bind(server);
    MonitorVerticle monitor = new MonitorVerticle(server, parts(), metrics);
    return vertx.deployVerticle(monitor).map(id -> {
      monitorPort = monitor.actualPort();
      String host = o.httpHost() != null ? o.httpHost() : o.host();
      log.info("Starting " + (o.httpsPort() != 0 ? "https" : "http") + " monitor on " + host + ":" + monitorPort);
      return null;
    });
  }

  /** What monitoring reads beyond the hub: JetStream and the routes, when they run. */
  private Monitored parts() {
    return new Monitored(server, jetStream, routes, leafNodes, gateways);
  }

  /** The WebSocket listener: as many instances as the client port's, on its own port. */
  private Future<Void> startWebSocket(ServerOptions o, int instances) {
    WebSocketOptions ws = o.webSocket();
    if (!ws.enabled()) {
      return Future.succeededFuture();
    }
    // Vert.x shares one random port among listeners asking for the same negative port: the
    // client port has -1, so a random WebSocket port is -2.
    int bindPort = ws.port() == -1 ? -2 : ws.port();
    Future<SslContext> tls = ws.tls() == null ? Future.succeededFuture()
        : vertx.executeBlocking(() -> TlsContextFactory.build(vertx, ws.tls()));
    return tls.compose(ctx -> {
      WebSocketAcceptor acceptor = new WebSocketAcceptor(server, leafNodes, ws, ctx);
      ClientListenerVerticle first = new ClientListenerVerticle(server, ws.host(), bindPort, acceptor, false);
      return vertx.deployVerticle(first, listenerOptions()).compose(id -> {
        webSocketPort = first.actualPort();
        server.webSocketPort(webSocketPort);
        List<Future<String>> more = new ArrayList<>();
        for (int i = 1; i < instances; i++) {
          more.add(vertx.deployVerticle(new ClientListenerVerticle(server, ws.host(), bindPort, acceptor, false),
              listenerOptions()));
        }
        return Future.all(more);
      }).map(v -> {
        log.info("Listening for websocket clients on " + (ctx == null ? "ws" : "wss") + "://" + ws.host() + ":"
            + webSocketPort);
        if (ctx == null) {
          log.warn("Websocket not configured with TLS. DO NOT USE IN PRODUCTION!");
        }
        return null;
      });
    });
  }

  private static DeploymentOptions listenerOptions() {
    return new DeploymentOptions().setThreadingModel(ThreadingModel.EVENT_LOOP);
  }

  /**
   * Applies reloaded options: what nats-server reloads is taken, a change of what it cannot
   * reload fails the whole reload and leaves the running options as they are.
   */
  public Future<Void> reload(ServerOptions next) {
    if (server == null || port < 0) {
      return Future.failedFuture("server not started");
    }
    ServerOptions current = server.options();
    List<String> refused = new ArrayList<>();
    if (!current.host().equals(next.host())) {
      refused.add("config reload not supported for Host: old=" + current.host() + ", new=" + next.host());
    }
    if (current.port() != next.port() && !(current.port() == 0 && next.port() == 0)) {
      refused.add("config reload not supported for Port: old=" + current.port() + ", new=" + next.port());
    }
    if (!current.cluster().equals(next.cluster())) {
      // nats-server reloads the routes list; natsvx keeps the cluster it started with for now
      refused.add("config reload not supported for Cluster: restart the server to change the cluster block");
    }
    // As nats-server 2.9: of the gateway and leafnodes blocks only TLS reloads (for links made from then on).
    if (!current.gateway().withoutTls().equals(next.gateway().withoutTls())) {
      refused.add("config reload not supported for Gateway: restart the server to change the gateway block");
    }
    if (!current.leafNodes().withoutTls().equals(next.leafNodes().withoutTls())) {
      refused.add("config reload not supported for LeafNode: restart the server to change the leafnodes block");
    }
    if (!refused.isEmpty()) {
      String msg = String.join("; ", refused);
      log.error("Failed to reload server configuration: " + msg);
      return Future.failedFuture(msg);
    }
    log.configure(next.logtime(), next.debug(), next.trace(), next.logFile());
    return server.plugins().reload(next.pluginsDir(), next.pluginConfigs(), next.authenticators())
        .recover(e -> {
          log.error("Plugins after reload: " + e.getMessage());
          return Future.succeededFuture();
        })
        .map(v -> {
          server.options(next);
          return null;
        })
        .compose(v -> startResolver(next).recover(e -> {
          log.error("Account resolver after reload: " + e.getMessage());
          return Future.succeededFuture();
        }))
        .compose(v -> leafNodes == null || java.util.Objects.equals(current.leafNodes(), next.leafNodes())
            ? Future.succeededFuture() : leafNodes.reloadTls(next.leafNodes()).recover(e -> {
              log.error("Leafnode TLS after reload: " + e.getMessage());
              return Future.succeededFuture();
            }))
        .compose(v -> gateways == null || java.util.Objects.equals(current.gateway(), next.gateway())
            ? Future.succeededFuture() : gateways.reloadTls(next.gateway()).recover(e -> {
              log.error("Gateway TLS after reload: " + e.getMessage());
              return Future.succeededFuture();
            }))
        .onSuccess(v -> applyReloaded());
  }

  private void applyReloaded() {
    for (Connection c : server.connections()) {
      c.onLoop(Connection::optionsReloaded);
    }
    log.info("Reloaded server configuration");
  }

  /**
   * Lame-duck mode: stop accepting, tell clients (INFO "ldm"), wait the grace period, close the
   * clients spread over the rest of lame_duck_duration, then complete (the caller exits).
   */
  public Future<Void> lameDuck() {
    if (server == null || port < 0) {
      return Future.failedFuture("server not started");
    }
    ServerOptions o = server.options();
    if (server.isLameDuck()) {
      return Future.succeededFuture();
    }
    server.lameDuck(true);
    long grace = o.lameDuckGracePeriod().toMillis();
    long duration = o.lameDuckDuration().toMillis();
    long spread = Math.max(0, duration - grace);
    log.info("Entering lame duck mode, stop accepting new clients");
    vertx.eventBus().publish(EventBusAddresses.LAME_DUCK, new EventBusAddresses.LameDuck(grace, spread));
    Promise<Void> done = Promise.promise();
    vertx.setTimer(Math.max(1, grace), t -> {
      List<Connection> clients = new ArrayList<>(server.connections());
      if (clients.isEmpty()) {
        done.complete();
        return;
      }
      log.info("Closing " + clients.size() + " existing clients");
      long step = Math.max(1, spread / clients.size());
      closeSpread(clients, 0, step, done);
    });
    return done.future();
  }

  private void closeSpread(List<Connection> clients, int index, long step, Promise<Void> done) {
    clients.get(index).closeAsync(ClosedReason.SERVER_SHUTDOWN);
    if (index + 1 == clients.size()) {
      done.complete();
      return;
    }
    vertx.setTimer(step, t -> closeSpread(clients, index + 1, step, done));
  }

  @Override
  public Future<?> stop() {
    if (server == null) {
      return Future.succeededFuture();
    }
    // Vert.x has undeployed the listeners (children) before this runs: nothing new comes in.
    server.shuttingDown(true);
    for (Connection c : server.connections()) {
      c.closeAsync(ClosedReason.SERVER_SHUTDOWN);
    }
    if (metrics != null) {
      metrics.close();
    }
    if (systemAccount != null) {
      systemAccount.stop();
    }
    server.plugins().shutdown();
    io.natsvx.jetstream.JetStream js = jetStream;
    io.natsvx.jetstream.api.JsApis apis = jsApis;
    // Closing the stores writes files: on a worker.
    Future<Void> stores = js == null ? Future.succeededFuture() : vertx.executeBlocking(() -> {
      if (apis != null) {
        apis.stop();
      }
      js.stop();
      return null;
    });
    return stores.recover(e -> {
      log.error("JetStream did not stop cleanly: " + e.getMessage());
      return Future.succeededFuture();
    }).onComplete(v -> {
      log.info("Server Exiting..");
      if (providedLog == null) {
        log.close();
      }
    });
  }
}
