package io.natsvx.route;

import io.natsvx.server.EventBusAddresses;
import io.natsvx.server.ServerContext;
import io.natsvx.config.ClusterOptions;
import io.natsvx.conn.ClosedReason;
import io.natsvx.conn.SocketAdapter;
import io.natsvx.link.LinkDialer;
import io.natsvx.link.LinkRegistry;
import io.natsvx.link.LocalInterest;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The cluster: the route listener, the routes this server dials (configured ones retried
 * forever, ones learned by gossip {@code connect_retries} times), the registry of routes by peer
 * id (one per peer: a second one is dropped as a duplicate), gossip (a new peer's INFO goes to
 * the others, who dial it), interest propagation (local subscription changes from the event bus
 * become RS+/RS- on every route) and the cluster's client URLs for INFO's {@code connect_urls}.
 * One instance; every route lives on its event loop, where all of this state is kept.
 */
public final class RouteVerticle extends VerticleBase implements io.natsvx.server.ClusterView {

  /** nats-server's DEFAULT_ROUTE_RECONNECT. */
  static final long RECONNECT_DELAY_MILLIS = 1000;

  private final ServerContext server;
  private final ClusterOptions options;
  private final LocalInterest interest = new LocalInterest();
  private final LinkRegistry<RouteConnection> byId = new LinkRegistry<>();
  private final Set<RouteConnection> all = new HashSet<>();
  private LinkDialer dialer;
  private NetServer netServer;
  private MessageConsumer<EventBusAddresses.InterestChange> interestConsumer;
  private MessageConsumer<EventBusAddresses.GatewayGossip> gatewayConsumer;
  private volatile String clusterName;
  private boolean dynamicName;
  private int port;
  private boolean stopping;
  private volatile long closedRoutes;
  private io.netty.handler.ssl.SslContext acceptTls;
  private io.netty.handler.ssl.SslContext dialTls;

  public RouteVerticle(ServerContext server, ClusterOptions options) {
    this.server = server;
    this.options = options;
    this.clusterName = options.name();
    if (clusterName == null || clusterName.isEmpty()) {
      clusterName = io.natsvx.internal.ServerKey.generate().id().substring(1, 23);
      dynamicName = true;
    }
    io.natsvx.config.GatewayOptions g = server.options().gateway();
    routedHere = !g.enabled() ? null : ("_GR_." + io.natsvx.internal.NameHash.of(g.name()) + "."
        + io.natsvx.internal.NameHash.of(server.serverId()) + ".").getBytes(StandardCharsets.US_ASCII);
  }

  ClusterOptions options() { return options; }
  String clusterName() { return clusterName; }
  /** The cluster's name (a configured one, or the one adopted or made up); any thread. */
  @Override
  public String name() { return clusterName; }
  /** The route port bound. */
  @Override
  public int port() { return port; }

  /**
   * Listens to local interest from now on; routes come with {@link #begin}, once clients have a
   * port to be told about.
   */
  @Override
  public Future<?> start() {
    NetServerOptions netOptions = new NetServerOptions()
        .setHost(options.host())
        .setPort(options.port() < 0 ? 0 : options.port())
        .setTcpNoDelay(true)
        .setReuseAddress(true);
    netServer = vertx.createNetServer(netOptions).connectHandler(this::accept);
    dialer = new LinkDialer(vertx, server.log(), "route", this::dialed);
    interestConsumer = vertx.eventBus().localConsumer(EventBusAddresses.INTEREST, m -> interestChanged(m.body()));
    gatewayConsumer = vertx.eventBus().localConsumer(EventBusAddresses.GATEWAY_GOSSIP, m -> gatewayMet(m.body()));
    return interestConsumer.completion().compose(v -> gatewayConsumer.completion());
  }

  /** Opens the route port and dials the configured routes, on this verticle's loop. */
  public Future<Void> begin() {
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    context.runOnContext(v -> tls().compose(t -> netServer.listen()).<Void>map(s -> {
      port = s.actualPort();
      server.log().info("Cluster name is " + clusterName);
      if (dynamicName) {
        server.log().warn("Cluster name was dynamically generated, consider setting one");
      }
      server.log().info("Listening for route connections on " + options.host() + ":" + port);
      server.cluster(this);
      publishUrls();
      for (URI u : options.routes()) {
        dialer.dialConfigured(u, retry(true));
      }
      return null;
    }).onComplete(done));
    return done.future();
  }

  /**
   * The cluster's TLS, read from files on a worker. Routes always check the peer's certificate
   * (nats-server's routes do, whatever {@code verify} says).
   */
  private Future<Void> tls() {
    io.natsvx.config.TlsOptions t = options.tls();
    if (t == null) {
      return Future.succeededFuture();
    }
    io.natsvx.config.TlsOptions verified = new io.natsvx.config.TlsOptions(t.certFile(), t.keyFile(), t.caFile(),
        true, t.verifyAndMap(), t.timeout(), t.cipherSuites(), t.minVersion(), false);
    return vertx.executeBlocking(() -> {
      acceptTls = io.natsvx.tls.TlsContextFactory.build(vertx, verified);
      dialTls = io.natsvx.tls.TlsContextFactory.buildClient(vertx, verified);
      return null;
    });
  }

  /** The TLS context for a route accepted ({@code solicited} false) or dialled; null without TLS. */
  io.netty.handler.ssl.SslContext tlsContext(boolean solicited) {
    return solicited ? dialTls : acceptTls;
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    for (RouteConnection r : new ArrayList<>(all)) {
      r.closeConnection(ClosedReason.SERVER_SHUTDOWN);
    }
    Future<Void> unregistered = interestConsumer == null ? Future.succeededFuture()
        : interestConsumer.unregister().compose(v -> gatewayConsumer.unregister());
    return unregistered.compose(v -> netServer == null ? Future.succeededFuture() : netServer.close())
        .compose(v -> dialer == null ? Future.succeededFuture() : dialer.stop());
  }

  // ---- connections ------------------------------------------------------------------------

  private void accept(NetSocket socket) {
    if (stopping || server.isShuttingDown()) {
      socket.close();
      return;
    }
    RouteConnection r = SocketAdapter.install(socket, ctx -> new RouteConnection(server, ctx, this, null, false));
    all.add(r);
    r.start();
  }

  /** How a route's URL is redialed: configured ones forever, learned ones connect_retries times. */
  private LinkDialer.Retry retry(boolean explicit) {
    return new LinkDialer.Retry(explicit, options.connectRetries(), options.connectBackoff());
  }

  /** A dialed socket: its route starts (configured ones are the ones retried forever). */
  private void dialed(NetSocket socket, URI url, LinkDialer.Retry retry) {
    boolean explicit = retry.forever();
    RouteConnection r = SocketAdapter.install(socket, ctx -> new RouteConnection(server, ctx, this, url, explicit));
    all.add(r);
    r.start();
  }

  /** The CONNECT a dialled route sends (nats-server's sendRouteConnect). */
  byte[] connectProto(URI url) {
    JsonObject c = new JsonObject().put("echo", true).put("verbose", false).put("pedantic", false);
    String user = null;
    String pass = null;
    if (url.getUserInfo() != null) {
      int colon = url.getUserInfo().indexOf(':');
      user = colon < 0 ? url.getUserInfo() : url.getUserInfo().substring(0, colon);
      pass = colon < 0 ? null : url.getUserInfo().substring(colon + 1);
    }
    if (user != null) {
      c.put("user", user);
    }
    if (pass != null) {
      c.put("pass", pass);
    }
    c.put("tls_required", options.tls() != null).put("headers", true).put("name", server.serverId()).put("cluster", clusterName);
    if (dynamicName) {
      c.put("cluster_dynamic", true);
    }
    // Leaf-origin interest and messages (LS+/LS-/LMSG) are spoken: a leaf cluster hears no echo.
    c.put("lnoc", true);
    return ("CONNECT " + c.encode() + "\r\n").getBytes(StandardCharsets.UTF_8);
  }

  /** This server's route INFO (nats-server's routeInfo), with the space before CRLF it sends. */
  byte[] infoProto() {
    return ("INFO " + info().encode() + " \r\n").getBytes(StandardCharsets.UTF_8);
  }

  private JsonObject info() {
    JsonObject i = new JsonObject()
        .put("server_id", server.serverId())
        .put("server_name", server.serverName())
        .put("version", ServerContext.PROTOCOL_VERSION)
        .put("proto", 2)
        .put("go", io.natsvx.server.Version.runtime());
    String advertise = options.advertise();
    if (advertise != null && !advertise.isEmpty()) {
      String[] hp = splitHostPort(advertise, port);
      i.put("host", hp[0]).put("port", Integer.parseInt(hp[1]));
    } else {
      i.put("host", options.host()).put("port", port);
    }
    i.put("headers", true);
    if (options.authRequired()) {
      i.put("auth_required", true);
    }
    if (options.tls() != null) {
      i.put("tls_required", true).put("tls_verify", true);
    }
    i.put("max_payload", server.options().maxPayload());
    if (server.jetStreamRunning()) {
      i.put("jetstream", true);
    }
    if (advertise != null && !advertise.isEmpty()) {
      String[] hp = splitHostPort(advertise, port);
      i.put("ip", "nats-route://" + hp[0] + ":" + hp[1] + "/");
    }
    i.put("cluster", clusterName);
    if (dynamicName) {
      i.put("cluster_dynamic", true);
    }
    if (server.gatewayUrl() != null) {
      i.put("gateway_url", server.gatewayUrl());
    }
    i.put("lnoc", true);
    List<String> leafUrls = ClientUrls.ownLeafNode(server);
    if (!leafUrls.isEmpty()) {
      i.put("leafnode_urls", new JsonArray(leafUrls));
    }
    if (!options.noAdvertise()) {
      i.put("connect_urls", new JsonArray(ClientUrls.own(server)));
      List<String> ws = ClientUrls.ownWebSocket(server);
      if (!ws.isEmpty()) {
        i.put("ws_connect_urls", new JsonArray(ws));
      }
    }
    return i;
  }

  private static String[] splitHostPort(String s, int defaultPort) {
    int colon = s.lastIndexOf(':');
    if (colon < 0) {
      return new String[] {s, Integer.toString(defaultPort)};
    }
    return new String[] {s.substring(0, colon), s.substring(colon + 1)};
  }

  /**
   * A peer with another cluster name: a dynamic name gives way to a configured one, or to a
   * greater dynamic one, as in nats-server; true when we took {@code theirs}.
   */
  boolean adoptName(String theirs, boolean theirsDynamic) {
    if (!dynamicName || theirs == null || theirs.isEmpty()) {
      return false;
    }
    if (theirsDynamic && clusterName.compareTo(theirs) >= 0) {
      return false;
    }
    server.log().info("Cluster name updated to " + theirs);
    clusterName = theirs;
    dynamicName = theirsDynamic;
    return true;
  }

  /** A dialled URL turned out to be this server: never dial it again. */
  void self(URI url) {
    dialer.self(url);
  }

  /** Registers a route whose INFO came; false when the peer already has one (this one goes). */
  boolean register(RouteConnection r) {
    if (stopping) {
      return false;
    }
    // Both sides may keep opposite connections and drop both: the survivor reconnects then.
    RouteConnection existing = byId.get(r.remoteId());
    return byId.register(r.remoteId(), r, () -> existing.retry(true));
  }

  /** {@code _GR_.<this cluster's hash>.<this server's hash>.}: what a reply routed to this server starts with. */
  private final byte[] routedHere;

  /** Whether the routed reply subject at {@code off} names this cluster and this server. */
  boolean routedHere(byte[] b, int off) {
    return routedHere != null
        && java.util.Arrays.equals(b, off, off + routedHere.length, routedHere, 0, routedHere.length);
  }

  /** Registered routes by their peer's id hash, for routed replies; read on any thread. */
  private final java.util.Map<String, RouteConnection> byHash = new java.util.concurrent.ConcurrentHashMap<>();

  @Override
  public io.natsvx.conn.Link routeByHash(String hash) {
    return byHash.get(hash);
  }

  /** A route is registered: tell the other peers about it (they dial it), and update clients. */
  void registered(RouteConnection r) {
    byHash.put(io.natsvx.internal.NameHash.of(r.remoteId()), r);
    if (byId.count() > 1) {
      JsonObject info = r.peer().raw().copy();
      info.remove("nonce");
      if (info.getString("ip", "").isEmpty()) {
        info.put("ip", "nats-route://" + r.remoteHost() + ":" + r.peer().port() + "/");
      }
      byte[] proto = ("INFO " + info.encode() + "\r\n").getBytes(StandardCharsets.UTF_8);
      byId.tellOthers(r, proto);
    }
    publishUrls();
    gatewayUrl(r, true);
  }

  /** The peer's gateway URL is one of this cluster's (nats-server's addGatewayURL, removeGatewayURL). */
  private void gatewayUrl(RouteConnection r, boolean added) {
    String url = r.peer().raw().getString("gateway_url", "");
    if (!url.isEmpty() && server.options().gateway().enabled()) {
      vertx.eventBus().publish(EventBusAddresses.GATEWAY_URL, new EventBusAddresses.GatewayUrl(url, added));
    }
  }

  /** An INFO about another server came over a route (gossip): dial it unless known. */
  void gossiped(PeerInfo info) {
    if (stopping || info.id().equals(server.serverId()) || byId.has(info.id())) {
      return;
    }
    URI url = info.routeUrl(null);
    if (url == null || url.getHost() == null) {
      return;
    }
    if (info.authRequired() && options.user() != null) {
      try {
        url = new URI(url.getScheme(), options.user() + ":" + (options.password() == null ? "" : options.password()),
            url.getHost(), url.getPort(), url.getPath(), null, null);
      } catch (java.net.URISyntaxException e) {
        return;
      }
    }
    dialer.dialLearned(url, retry(false));
  }

  /** A registered peer sent a new INFO: its client URLs may have changed. */
  void peerUpdated() {
    publishUrls();
  }

  /** A route closed: forget it and, when we dialled it, dial again as nats-server does. */
  void closed(RouteConnection r) {
    closedRoutes++;
    all.remove(r);
    if (r.registered() && byId.remove(r.remoteId(), r)) {
      byHash.remove(io.natsvx.internal.NameHash.of(r.remoteId()), r);
      publishUrls();
      gatewayUrl(r, false);
    }
    if (stopping || server.isShuttingDown() || !r.solicited()) {
      return;
    }
    String rid = r.remoteId();
    if (rid != null && byId.has(rid)) {
      server.log().debug("Not attempting reconnect for solicited route, already connected to \"" + rid + "\"");
      return;
    }
    if (rid != null && rid.equals(server.serverId())) {
      return;
    }
    if (r.explicit() || r.retry()) {
      server.log().debug("Attempting reconnect for solicited route \"" + r.url() + "\"");
      long delay = ThreadLocalRandom.current().nextInt(100) + (r.explicit() ? RECONNECT_DELAY_MILLIS : 0);
      dialer.dialLater(r.url(), retry(r.explicit()), delay);
    }
  }

  // ---- gateways ---------------------------------------------------------------------------

  /**
   * This server's gateway met another cluster: every peer hears of it, so each has its own link
   * there (nats-server's forwardNewGatewayToLocalCluster; the id is not this server's, so the
   * INFO is not taken for a route's).
   */
  private void gatewayMet(EventBusAddresses.GatewayGossip g) {
    JsonObject i = new JsonObject().put("server_id", "GW" + server.serverId()).put("server_name", server.serverName())
        .put("gateway", g.gateway()).put("gateway_urls", new JsonArray(g.urls())).put("gateway_cmd", 1);
    byId.tellOthers(null, ("INFO " + i.encode() + "\r\n").getBytes(StandardCharsets.UTF_8));
  }

  /** A peer told of another cluster's gateway: this server's gateways dial it. */
  void gatewayLearned(JsonObject info) {
    if (server.options().gateway().enabled()) {
      List<String> urls = new ArrayList<>();
      JsonArray a = info.getJsonArray("gateway_urls");
      if (a != null) {
        a.forEach(u -> urls.add(String.valueOf(u)));
      }
      vertx.eventBus().publish(EventBusAddresses.GATEWAY_LEARNED,
          new EventBusAddresses.GatewayGossip(info.getString("gateway"), urls));
    } else {
      server.log().error("Received information about gateway \"" + info.getString("gateway")
          + "\", but gateway is not configured");
    }
  }

  // ---- interest ---------------------------------------------------------------------------

  private void interestChanged(EventBusAddresses.InterestChange c) {
    // The cluster hears of this server's own interest and its leaf nodes'; each peer has its
    // own link to its hub, and hears route interest from the route itself.
    if (c.from() != null && c.from().role() != io.natsvx.conn.Link.Role.LEAF_HUB) {
      return;
    }
    String origin = c.from() == null ? null : c.from().remoteCluster();
    LocalInterest.Change change = interest.apply(c.account(), c.subject(), c.queue(), c.added(), origin);
    if (change == null) {
      return;
    }
    byte[] plain = line(change, false);
    byte[] withOrigin = change.origin() == null ? plain : line(change, true);
    for (RouteConnection r : byId.all()) {
      r.queue(r.leafOrigins() ? withOrigin : plain);
    }
  }

  /** Everything this server's clients and leaf nodes want, as {@code to} is to hear it first. */
  List<byte[]> localInterest(RouteConnection to) {
    return interest.all().stream().map(c -> line(c, to.leafOrigins() && c.origin() != null)).toList();
  }

  /**
   * A change in the route dialect: {@code RS+ <account> <subject> [<queue> <weight>]}, or RS-;
   * with {@code withOrigin}, nats-server's lnoc form for a leaf cluster's subscription: {@code
   * LS+ <origin> <account> <subject> [<queue> <weight>]}, or {@code LS- <account> <subject> [<queue>]}.
   */
  static byte[] line(LocalInterest.Change c, boolean withOrigin) {
    String op = withOrigin ? (c.added() ? "LS+ " + c.origin() + " " : "LS- ") : (c.added() ? "RS+ " : "RS- ");
    String line = op + c.account() + " " + c.subject()
        + (c.queue() == null ? "" : " " + c.queue() + (c.added() ? " " + c.weight() : "")) + "\r\n";
    return line.getBytes(StandardCharsets.UTF_8);
  }

  // ---- what others see --------------------------------------------------------------------

  /** Tells clients the cluster's client URLs (ServerContext sends only a change). */
  private void publishUrls() {
    if (stopping) {
      // As nats-server: no INFO to clients on the way down. Telling them the cluster is just
      // this server would make them forget the others right before they need them.
      return;
    }
    List<String> urls = new ArrayList<>(ClientUrls.own(server));
    List<String> ws = new ArrayList<>(ClientUrls.ownWebSocket(server));
    List<String> leaf = new ArrayList<>();
    for (RouteConnection r : byId.all()) {
      addNew(urls, r.peer().connectUrls());
      addNew(ws, r.peer().wsConnectUrls());
      addNew(leaf, r.peer().leafNodeUrls());
    }
    server.connectUrls(options.noAdvertise() ? List.of() : urls, options.noAdvertise() ? List.of() : ws);
    // Leaf nodes hear of every hub port of the cluster, the no_advertise of the cluster aside (as nats-server).
    EventBusAddresses.LeafUrls next = new EventBusAddresses.LeafUrls(leaf, server.wsConnectUrls());
    if (server.options().leafNodes().listens() && !next.equals(toldLeafUrls)) {
      toldLeafUrls = next;
      vertx.eventBus().publish(EventBusAddresses.LEAF_URLS, next);
    }
  }

  private EventBusAddresses.LeafUrls toldLeafUrls = new EventBusAddresses.LeafUrls(List.of(), List.of());

  private static void addNew(List<String> to, List<String> more) {
    for (String u : more) {
      if (!to.contains(u)) {
        to.add(u);
      }
    }
  }

  /** Route connections closed so far, registered or not (failed handshakes too); any thread. */
  public long closedRoutes() {
    return closedRoutes;
  }

  /** How many routes are registered; any thread (a snapshot). */
  @Override
  public int routeCount() {
    return byId.count();
  }

  /** Runs {@code task} on the route loop with the registered routes (monitoring reads them there). */
  public <T> Future<T> withRoutes(java.util.function.Function<Collection<RouteConnection>, T> task) {
    io.vertx.core.Promise<T> done = io.vertx.core.Promise.promise();
    context.runOnContext(v -> {
      try {
        done.complete(task.apply(byId.snapshot()));
      } catch (RuntimeException e) {
        done.fail(e);
      }
    });
    return done.future();
  }

}
