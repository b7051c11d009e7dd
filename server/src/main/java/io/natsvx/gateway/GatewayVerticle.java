package io.natsvx.gateway;

import io.natsvx.config.GatewayOptions;
import io.natsvx.config.TlsOptions;
import io.natsvx.conn.ClosedReason;
import io.natsvx.conn.Link;
import io.natsvx.conn.SocketAdapter;
import io.natsvx.route.ClientUrls;
import io.natsvx.server.EventBusAddresses;
import io.natsvx.server.ServerContext;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Gateways (nats-server's gateway.go): the listener other clusters' servers connect to, one
 * outbound link per other cluster (configured, or learned from a gateway that connected here
 * or from gossip) dialed and redialed, the inbound links that hear this cluster's interest
 * ({@link GatewayInterest}, fed by the event bus), gossip of gateway URLs, and routed replies.
 * One instance; every gateway link lives on its event loop, where all of this state is kept.
 */
public final class GatewayVerticle extends VerticleBase {

  /** nats-server's defaultGatewayConnectDelay and defaultGatewayReconnectDelay. */
  static final long CONNECT_DELAY_MILLIS = 1000;
  static final long RECONNECT_DELAY_MILLIS = 1000;
  /** nats-server's gwMaxPingInterval. */
  static final long MAX_PING_MILLIS = 15_000;

  private final ServerContext server;
  private GatewayOptions options;
  private final GatewayInterest interest = new GatewayInterest();
  private final GatewayReplies replies;
  private final Map<String, RemoteGateway> remotes = new LinkedHashMap<>();
  private final Map<String, GatewayConnection> outbound = new LinkedHashMap<>();
  private final Set<GatewayConnection> inbound = new LinkedHashSet<>();
  private final Set<GatewayConnection> all = new LinkedHashSet<>();
  /** This cluster's gateway URLs (this server's and its route peers'), as INFO's gateway_urls. */
  private final Set<String> clusterUrls = new TreeSet<>();
  private final Map<TlsOptions, io.netty.handler.ssl.SslContext> dialTls = new HashMap<>();
  private MessageConsumer<EventBusAddresses.InterestChange> interestConsumer;
  private MessageConsumer<EventBusAddresses.GatewayGossip> gossipConsumer;
  private MessageConsumer<EventBusAddresses.GatewayUrl> urlConsumer;
  private NetServer netServer;
  private NetClient client;
  private io.netty.handler.ssl.SslContext acceptTls;
  private String ownUrl;
  private volatile int port;
  private volatile int outboundCount;
  private volatile int inboundCount;
  private volatile long closedLinks;
  private boolean stopping;
  private long expiryTimer = -1;

  public GatewayVerticle(ServerContext server, GatewayOptions options) {
    this.server = server;
    this.options = options;
    this.replies = new GatewayReplies(options.name(), server.serverId());
    for (GatewayOptions.Remote r : options.gateways()) {
      if (!r.name().equals(options.name())) {
        remotes.put(r.name(), RemoteGateway.configured(r, options.tls()));
      }
    }
  }

  GatewayOptions options() { return options; }
  GatewayReplies replies() { return replies; }

  /** The gateway port bound; 0 before it is. */
  public int port() { return port; }

  /** Registered outbound links; any thread (a snapshot). */
  public int outboundCount() { return outboundCount; }

  /** Gateway links closed so far, registered or not (failed handshakes too); any thread. */
  public long closedLinks() { return closedLinks; }

  /** Registered inbound links; any thread (a snapshot). */
  public int inboundCount() { return inboundCount; }

  /** This cluster's name in the super-cluster. */
  public String name() { return options.name(); }

  /** Hears of every subscription from now on; links come with {@link #begin}. */
  @Override
  public Future<?> start() {
    client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(2000));
    interestConsumer = vertx.eventBus().localConsumer(EventBusAddresses.INTEREST, m -> interestChanged(m.body()));
    gossipConsumer = vertx.eventBus().localConsumer(EventBusAddresses.GATEWAY_LEARNED,
        m -> learned(m.body().gateway(), m.body().urls(), true));
    urlConsumer = vertx.eventBus().localConsumer(EventBusAddresses.GATEWAY_URL, m -> {
      if (m.body().added()) {
        clusterUrls.add(m.body().url());
      } else if (!m.body().url().equals(ownUrl)) {
        clusterUrls.remove(m.body().url());
      }
    });
    expiryTimer = vertx.setPeriodic(1000, t -> replies.expire());
    server.onNewSubscription(replies::subscribed);
    return interestConsumer.completion().compose(v -> gossipConsumer.completion())
        .compose(v -> urlConsumer.completion());
  }

  /** Reads TLS on a worker, opens the gateway port and dials the configured gateways. */
  public Future<Void> begin() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> tls().compose(x -> listen()).<Void>map(x -> {
      for (RemoteGateway r : new ArrayList<>(remotes.values())) {
        dial(r, 0);
      }
      return null;
    }).onComplete(done));
    return done.future();
  }

  /**
   * A reload's new TLS (the only part of the block that reloads): links made from now on use
   * it, the open ones keep theirs.
   */
  public Future<Void> reloadTls(GatewayOptions next) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      options = next;
      for (GatewayOptions.Remote r : next.gateways()) {
        RemoteGateway known = remotes.get(r.name());
        if (known != null && !known.implicit()) {
          known.tls(r.tls() != null ? r.tls() : next.tls());
        }
      }
      acceptTls = null;
      dialTls.clear();
      tls().onComplete(done);
    });
    return done.future();
  }

  private record TlsContexts(io.netty.handler.ssl.SslContext accept,
      Map<TlsOptions, io.netty.handler.ssl.SslContext> dial) {}

  private Future<Void> tls() {
    List<TlsOptions> dial = new ArrayList<>();
    if (options.tls() != null) {
      dial.add(options.tls());
    }
    remotes.values().forEach(r -> {
      if (r.tls() != null && !dial.contains(r.tls())) {
        dial.add(r.tls());
      }
    });
    if (dial.isEmpty()) {
      return Future.succeededFuture();
    }
    TlsOptions accept = options.tls();
    // Certificates are files: read on a worker, kept on this loop.
    return vertx.executeBlocking(() -> {
      Map<TlsOptions, io.netty.handler.ssl.SslContext> built = new HashMap<>();
      for (TlsOptions t : dial) {
        built.put(t, io.natsvx.tls.TlsContextFactory.buildClient(vertx, t));
      }
      return new TlsContexts(accept == null ? null : io.natsvx.tls.TlsContextFactory.build(vertx, accept), built);
    }).compose(r -> {
      Promise<Void> kept = Promise.promise();
      context.runOnContext(v -> {
        acceptTls = r.accept();
        dialTls.putAll(r.dial());
        kept.complete();
      });
      return kept.future();
    });
  }

  private Future<Void> listen() {
    NetServerOptions o = new NetServerOptions().setHost(options.host()).setPort(options.port() < 0 ? 0 : options.port())
        .setTcpNoDelay(true).setReuseAddress(true);
    netServer = vertx.createNetServer(o).connectHandler(this::accept);
    return netServer.listen().map(s -> {
      port = s.actualPort();
      List<String> urls = ClientUrls.urls(options.advertise(), options.host(), port);
      ownUrl = urls.isEmpty() ? options.host() + ":" + port : urls.get(0);
      clusterUrls.add(ownUrl);
      server.gatewayUrl(ownUrl);
      server.log().info("Gateway name is " + options.name());
      server.log().info("Listening for gateways connections on " + options.host() + ":" + port);
      server.log().info("Address for gateway \"" + options.name() + "\" is " + ownUrl);
      return null;
    });
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    if (expiryTimer >= 0) {
      vertx.cancelTimer(expiryTimer);
    }
    for (GatewayConnection c : new ArrayList<>(all)) {
      c.closeConnection(ClosedReason.SERVER_SHUTDOWN);
    }
    Future<Void> unregistered = interestConsumer == null ? Future.succeededFuture()
        : interestConsumer.unregister().compose(v -> gossipConsumer.unregister())
            .compose(v -> urlConsumer.unregister());
    return unregistered.compose(v -> netServer == null ? Future.succeededFuture() : netServer.close())
        .compose(v -> client == null ? Future.succeededFuture() : client.close());
  }

  // ---- connections --------------------------------------------------------------------------

  private void accept(NetSocket socket) {
    if (stopping || server.isShuttingDown()) {
      socket.close();
      return;
    }
    GatewayConnection c = SocketAdapter.install(socket, ctx -> new GatewayConnection(server, ctx, this, null, null));
    all.add(c);
    c.start();
  }

  /**
   * Dials {@code remote} after {@code delayMillis}: each of its URLs in random order, a second
   * between rounds; one learned is forgotten after connect_retries rounds unless it has an
   * inbound link here (nats-server's solicitGateway).
   */
  private void dial(RemoteGateway remote, long delayMillis) {
    if (remote.dialing() || outbound.containsKey(remote.name())) {
      return;
    }
    remote.dialing(true);
    vertx.setTimer(Math.max(1, delayMillis), t -> dialRound(remote, remote.shuffled(), 0));
  }

  private void dialRound(RemoteGateway remote, List<URI> urls, int i) {
    if (stopping || server.isShuttingDown() || remotes.get(remote.name()) != remote) {
      remote.dialing(false);
      return;
    }
    if (i >= urls.size()) {
      int attempts = remote.attempt();
      if (remote.implicit() && (options.connectRetries() == 0 || attempts > options.connectRetries())
          && !hasInbound(remote.name())) {
        remotes.remove(remote.name());
        remote.dialing(false);
        return;
      }
      vertx.setTimer(CONNECT_DELAY_MILLIS, t -> dialRound(remote, remote.shuffled(), 0));
      return;
    }
    URI url = urls.get(i);
    String type = remote.implicit() ? "implicit" : "explicit";
    String hostPort = url.getHost() + ":" + url.getPort();
    server.log().debug("Connecting to " + type + " gateway \"" + remote.name() + "\" (" + hostPort + ") at "
        + hostPort + " (attempt " + (remote.attempts() + 1) + ")");
    client.connect(url.getPort(), url.getHost()).onComplete(ar -> {
      if (stopping) {
        remote.dialing(false);
        if (ar.succeeded()) {
          ar.result().close();
        }
        return;
      }
      if (ar.failed()) {
        String text = "Error connecting to " + type + " gateway \"" + remote.name() + "\" (" + hostPort + ") at "
            + hostPort + " (attempt " + (remote.attempts() + 1) + "): " + ar.cause().getMessage();
        if (remote.attempts() == 0) {
          server.log().error(text);
        } else {
          server.log().debug(text);
        }
        dialRound(remote, urls, i + 1);
        return;
      }
      remote.dialing(false);
      remote.connected();
      GatewayConnection c = SocketAdapter.install(ar.result(), ctx -> new GatewayConnection(server, ctx, this, remote,
          url));
      all.add(c);
      c.start();
    });
  }

  private boolean hasInbound(String name) {
    return inbound.stream().anyMatch(c -> name.equals(c.gatewayName()));
  }

  boolean configured(String name) {
    return options.gateways().stream().anyMatch(r -> r.name().equals(name));
  }

  io.netty.handler.ssl.SslContext acceptTls() { return acceptTls; }

  io.netty.handler.ssl.SslContext dialTls(RemoteGateway remote) {
    return remote.tls() == null ? null : dialTls.get(remote.tls());
  }

  long firstPingMillis() {
    long interval = Math.min(server.options().pingInterval().toMillis(), MAX_PING_MILLIS);
    return Math.min(interval, 1000) + ThreadLocalRandom.current().nextLong(200);
  }

  /** An outbound link met its cluster: the one link to it, unless it already has one. */
  boolean registerOutbound(GatewayConnection c) {
    GatewayConnection existing = outbound.get(c.gatewayName());
    if (existing != null && existing != c) {
      return false;
    }
    outbound.put(c.gatewayName(), c);
    outboundCount = outbound.size();
    // Replies routed to that cluster go over this link whatever its interest says.
    for (io.natsvx.account.Account a : server.accounts().all()) {
      c.routedReplies(a);
    }
    return true;
  }

  /**
   * An inbound link is registered (nats-server's processGatewayInfo for the first INFO of an
   * inbound): it hears every queue group and every account's subscriptions; this server dials
   * that cluster too when it has no link to it yet, and tells the far server of the other
   * gateways it knows.
   */
  void registeredInbound(GatewayConnection c, List<String> urls) {
    inbound.add(c);
    inboundCount = inbound.size();
    Set<String> accounts = new LinkedHashSet<>();
    server.accounts().all().forEach(a -> accounts.add(a.name()));
    accounts.addAll(interest.accounts());
    c.tellAll(interest.queues(), accounts);
    learned(c.gatewayName(), urls, false);
    remotes.forEach((name, r) -> {
      if (!name.equals(c.gatewayName()) && !r.hostPorts().isEmpty()) {
        c.gossip(name, r.hostPorts());
      }
    });
  }

  /**
   * Another cluster's gateway URLs were told (an inbound link's INFO, gossip over a gateway or
   * from a route peer): a cluster not known yet is dialed (implicit), a known one gets the URLs.
   */
  void learned(String name, List<String> urls, boolean fromRoute) {
    if (name == null || name.isEmpty() || name.equals(options.name())) {
      return;
    }
    if (options.rejectUnknown() && !configured(name)) {
      return;
    }
    RemoteGateway r = remotes.get(name);
    if (r != null) {
      r.addUrls(urls);
      if (!outbound.containsKey(name)) {
        dial(r, 0);
      }
      return;
    }
    r = new RemoteGateway(name, true, options.tls(), List.of());
    r.addUrls(urls);
    if (r.hostPorts().isEmpty()) {
      return;
    }
    remotes.put(name, r);
    dial(r, ThreadLocalRandom.current().nextInt(100));
  }

  /** An outbound link met its cluster: the cluster's other servers hear of it (forwardNewGatewayToLocalCluster). */
  void tellCluster(String name, List<String> urls) {
    vertx.eventBus().publish(EventBusAddresses.GATEWAY_GOSSIP, new EventBusAddresses.GatewayGossip(name, urls));
  }

  /** A link closed: forget it and, when dialed, dial its cluster again. */
  void closed(GatewayConnection c) {
    closedLinks++;
    all.remove(c);
    if (inbound.remove(c)) {
      inboundCount = inbound.size();
    }
    if (c.dialed() && outbound.get(c.gatewayName()) == c) {
      outbound.remove(c.gatewayName());
      outboundCount = outbound.size();
    }
    if (c.dialed() && !stopping && !server.isShuttingDown() && remotes.get(c.remote().name()) == c.remote()) {
      long delay = ThreadLocalRandom.current().nextInt(100) + (c.remote().implicit() ? 0 : RECONNECT_DELAY_MILLIS);
      dial(c.remote(), delay);
    }
  }

  // ---- interest -----------------------------------------------------------------------------

  private void interestChanged(EventBusAddresses.InterestChange c) {
    // Other clusters hear of what this cluster's clients, routes and leaf nodes want; what
    // came from another gateway is that cluster's own.
    if (c.from() != null && c.from().role() == Link.Role.GATEWAY) {
      return;
    }
    GatewayInterest.News news = interest.changed(c.account(), c.subject(), c.queue(), c.added());
    if (news == null) {
      return;
    }
    for (GatewayConnection g : inbound) {
      g.tell(news);
    }
  }

  List<String> plainInterest(String account) {
    return interest.plain(account);
  }

  // ---- what the far side is told ------------------------------------------------------------

  /** The gateway INFO (nats-server's gateway info): this cluster's gateway URLs, interest-only mode from the start. */
  byte[] infoProto() {
    JsonObject i = new JsonObject()
        .put("server_id", server.serverId())
        .put("server_name", server.serverName())
        .put("version", ServerContext.PROTOCOL_VERSION)
        .put("go", io.natsvx.server.Version.runtime());
    String[] hp = ownUrl.split(":(?=[0-9]+$)");
    i.put("host", hp[0]).put("port", Integer.parseInt(hp[1]));
    if (options.user() != null && !options.user().isEmpty()) {
      i.put("auth_required", true);
    }
    if (options.tls() != null) {
      i.put("tls_required", true).put("tls_verify", true);
    }
    i.put("max_payload", server.options().maxPayload())
        .put("headers", true)
        .put("gateway", options.name())
        .put("gateway_url", ownUrl)
        .put("gateway_urls", new JsonArray(new ArrayList<>(clusterUrls)))
        .put("gateway_nrp", true)
        .put("gateway_iom", true);
    return ("INFO " + i.encode() + "\r\n").getBytes(StandardCharsets.UTF_8);
  }

  /** The CONNECT an outbound link sends (nats-server's sendGatewayConnect). */
  byte[] connectProto(RemoteGateway remote, URI url, boolean tls) {
    String user = options.user();
    String pass = options.password();
    if (url.getUserInfo() != null) {
      String[] up = url.getUserInfo().split(":", 2);
      user = up[0];
      pass = up.length > 1 ? up[1] : null;
    }
    JsonObject c = new JsonObject().put("echo", false).put("verbose", false).put("pedantic", false);
    if (user != null && !user.isEmpty()) {
      c.put("user", user);
      if (pass != null) {
        c.put("pass", pass);
      }
    }
    c.put("tls_required", tls).put("name", server.serverId()).put("gateway", options.name());
    return ("CONNECT " + c.encode() + "\r\n").getBytes(StandardCharsets.UTF_8);
  }

  /** Runs {@code task} on this verticle's loop with the registered links (monitoring reads them there). */
  public <T> Future<T> withGateways(Function<Links, T> task) {
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> {
      try {
        Map<String, List<String>> urls = new LinkedHashMap<>();
        remotes.forEach((n, r) -> urls.put(n, r.hostPorts()));
        done.complete(task.apply(new Links(new ArrayList<>(outbound.values()),
            inbound.stream().filter(GatewayConnection::registered).toList(), urls)));
      } catch (RuntimeException e) {
        done.fail(e);
      }
    });
    return done.future();
  }

  /** The registered links and the URLs known of each other cluster, for monitoring. */
  public record Links(List<GatewayConnection> outbound, List<GatewayConnection> inbound,
      Map<String, List<String>> remoteUrls) {}
}
