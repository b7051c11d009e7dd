package io.natsvx.leaf;

import io.natsvx.auth.AuthService;
import io.natsvx.auth.Passwords;
import io.natsvx.config.LeafNodeOptions;
import io.natsvx.conn.ClosedReason;
import io.natsvx.conn.SocketAdapter;
import io.natsvx.internal.UserCredentials;
import io.natsvx.protocol.ConnectOptions;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Leaf nodes: the listener leaf nodes connect to (this server their hub), the remotes this
 * server dials (this server their leaf) and redials, how an accepted leaf authenticates and
 * which account it binds to, the interest every link must hear of ({@link LeafInterest}, fed by
 * the event bus), and each account's loop detection subject. One instance; every leaf link lives
 * on its event loop, where all of this state is kept.
 */
public final class LeafNodeVerticle extends VerticleBase {

  private final ServerContext server;
  private LeafNodeOptions options;
  private final LeafInterest interest = new LeafInterest();
  private final Set<LeafConnection> all = new LinkedHashSet<>();
  private final Map<String, String> loopSubjects = new HashMap<>();
  private final Map<RemoteLeaf, UserCredentials> credentials = new HashMap<>();
  private final Map<RemoteLeaf, io.netty.handler.ssl.SslContext> remoteTls = new HashMap<>();
  private final List<RemoteLeaf> remotes = new ArrayList<>();
  private MessageConsumer<EventBusAddresses.InterestChange> interestConsumer;
  private NetServer netServer;
  private NetClient client;
  private io.netty.handler.ssl.SslContext acceptTls;
  private io.netty.handler.ssl.SslContext defaultDialTls;
  private volatile int port;
  private volatile int count;
  private volatile long closedLinks;
  private volatile long loops;
  private boolean stopping;

  public LeafNodeVerticle(ServerContext server, LeafNodeOptions options) {
    this.server = server;
    this.options = options;
  }

  LeafNodeOptions options() { return options; }

  /** The leaf node port bound; 0 without a listener. */
  public int port() { return port; }

  /** Leaf links closed so far, bound or not (refused ones too); any thread. */
  public long closedLinks() { return closedLinks; }

  /** Loops detected so far, here or by the far side; any thread. */
  public long loops() { return loops; }

  void loopDetected() {
    loops++;
  }

  /** Registered leaf links; any thread (a snapshot). */
  public int count() { return count; }

  /** Hears of every subscription from now on; links come with {@link #begin}. */
  @Override
  public Future<?> start() {
    client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(2000));
    interestConsumer = vertx.eventBus().localConsumer(EventBusAddresses.INTEREST,
        m -> interest.changed(m.body().account(), m.body().subject(), m.body().queue(), m.body().added(),
            m.body().from(), m.body().origin()));
    return interestConsumer.completion();
  }

  /** Reads TLS and credentials on a worker, opens the leaf node port and dials the remotes. */
  public Future<Void> begin() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> prepare().compose(x -> listen()).<Void>map(x -> {
      for (RemoteLeaf r : remotes) {
        dial(r, 0);
      }
      return null;
    }).onComplete(done));
    return done.future();
  }

  private Future<Void> prepare() {
    for (LeafNodeOptions.Remote r : options.remotes()) {
      remotes.add(new RemoteLeaf(r));
    }
    return vertx.executeBlocking(() -> {
      if (options.tls() != null) {
        acceptTls = io.natsvx.tls.TlsContextFactory.build(vertx, options.tls());
      }
      defaultDialTls = io.netty.handler.ssl.SslContextBuilder.forClient().build();
      for (RemoteLeaf r : remotes) {
        if (r.options().tls() != null) {
          remoteTls.put(r, io.natsvx.tls.TlsContextFactory.buildClient(vertx, r.options().tls()));
        }
        if (r.options().credentials() != null) {
          credentials.put(r, UserCredentials.read(java.nio.file.Path.of(r.options().credentials())));
        }
      }
      return null;
    });
  }

  private record TlsContexts(io.netty.handler.ssl.SslContext accept,
      Map<RemoteLeaf, io.netty.handler.ssl.SslContext> remotes) {}

  /**
   * A reload's new TLS (the only part of the block that reloads, as in nats-server 2.9): links
   * made from now on use it, the open ones keep theirs.
   */
  public Future<Void> reloadTls(LeafNodeOptions next) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      options = next;
      for (int i = 0; i < remotes.size() && i < next.remotes().size(); i++) {
        remotes.get(i).options(next.remotes().get(i));
      }
      List<RemoteLeaf> dialed = new ArrayList<>(remotes);
      vertx.executeBlocking(() -> {
        Map<RemoteLeaf, io.netty.handler.ssl.SslContext> built = new HashMap<>();
        for (RemoteLeaf r : dialed) {
          if (r.options().tls() != null) {
            built.put(r, io.natsvx.tls.TlsContextFactory.buildClient(vertx, r.options().tls()));
          }
        }
        io.netty.handler.ssl.SslContext accept = next.tls() == null ? null
            : io.natsvx.tls.TlsContextFactory.build(vertx, next.tls());
        return new TlsContexts(accept, built);
      }).onComplete(ar -> context.runOnContext(x -> {
        if (ar.succeeded()) {
          remoteTls.clear();
          remoteTls.putAll(ar.result().remotes());
          acceptTls = ar.result().accept();
          done.complete();
        } else {
          done.fail(ar.cause());
        }
      }));
    });
    return done.future();
  }

  private Future<Void> listen() {
    if (!options.listens()) {
      return Future.succeededFuture();
    }
    NetServerOptions o = new NetServerOptions().setHost(options.host()).setPort(options.port() < 0 ? 0 : options.port())
        .setTcpNoDelay(true).setReuseAddress(true);
    netServer = vertx.createNetServer(o).connectHandler(this::accept);
    return netServer.listen().map(s -> {
      port = s.actualPort();
      server.leafNodePort(port);
      server.log().info("Listening for leafnode connections on " + options.host() + ":" + port);
      return null;
    });
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    for (LeafConnection c : new ArrayList<>(all)) {
      c.closeConnection(ClosedReason.SERVER_SHUTDOWN);
    }
    Future<Void> unregistered = interestConsumer == null ? Future.succeededFuture() : interestConsumer.unregister();
    return unregistered.compose(v -> netServer == null ? Future.succeededFuture() : netServer.close())
        .compose(v -> client == null ? Future.succeededFuture() : client.close());
  }

  // ---- connections --------------------------------------------------------------------------

  private void accept(NetSocket socket) {
    if (stopping || server.isShuttingDown()) {
      socket.close();
      return;
    }
    LeafConnection c = SocketAdapter.install(socket, ctx -> new LeafConnection(server, ctx, this, null, null));
    all.add(c);
    c.start();
  }

  /** Dials {@code remote}'s next URL after {@code delayMillis}, and again after each failure. */
  private void dial(RemoteLeaf remote, long delayMillis) {
    long wait = delayMillis + remote.takeDelay();
    if (wait > 0) {
      vertx.setTimer(wait, t -> dial(remote, 0));
      return;
    }
    if (stopping || server.isShuttingDown()) {
      return;
    }
    URI url = remote.next();
    String hostPort = url.getHost() + ":" + url.getPort();
    server.log().debug("Trying to connect as leafnode to remote server on \"" + hostPort + "\"");
    client.connect(url.getPort(), url.getHost()).onComplete(ar -> {
      if (stopping) {
        if (ar.succeeded()) {
          ar.result().close();
        }
        return;
      }
      if (ar.failed()) {
        int n = remote.attempt();
        String text = "Error trying to connect as leafnode to remote server \"" + hostPort + "\" (attempt " + n
            + "): " + ar.cause().getMessage();
        if (n == 1) {
          server.log().error(text);
        } else {
          server.log().debug(text);
        }
        dial(remote, options.reconnect().toMillis());
        return;
      }
      remote.connected();
      if (webSocket(url)) {
        io.natsvx.websocket.WebSocketDialer.frame(ar.result(), url, remote.options().wsNoMasking());
      }
      LeafConnection c = SocketAdapter.install(ar.result(), ctx -> new LeafConnection(server, ctx, this, remote, url));
      all.add(c);
      c.start();
    });
  }

  /** Whether a remote's URL is a WebSocket one (ws://), whose link runs in WebSocket frames. */
  static boolean webSocket(URI url) {
    return url.getScheme() != null && url.getScheme().equalsIgnoreCase("ws");
  }

  io.netty.handler.ssl.SslContext acceptTls() { return acceptTls; }

  io.netty.handler.ssl.SslContext dialTls(RemoteLeaf remote) {
    return remoteTls.getOrDefault(remote, defaultDialTls);
  }

  /**
   * Who an accepted leaf is (nats-server's isLeafNodeAuthorized): the block's own user or users
   * when it has them, each bound to its account; else the server's client users decide, and the
   * block's account is the default. The account's name, or null when refused.
   */
  Future<Binding> authenticate(JsonObject connect, String nonce, LeafConnection c) {
    String user = connect.getString("user");
    String pass = connect.getString("pass");
    if (options.user() != null && !options.user().isEmpty()) {
      return Future.succeededFuture(options.user().equals(user) && Passwords.check(options.password(), pass)
          ? new Binding(orGlobal(options.account()), null) : null);
    }
    if (!options.users().isEmpty()) {
      for (LeafNodeOptions.LeafUser u : options.users()) {
        if (u.user() != null && u.user().equals(user)) {
          return Future.succeededFuture(Passwords.check(u.password(), pass) ? new Binding(orGlobal(u.account()), null)
              : null);
        }
      }
      return Future.succeededFuture(null);
    }
    AuthService auth = server.auth();
    if (!auth.required()) {
      return Future.succeededFuture(new Binding(orGlobal(options.account()), null));
    }
    ConnectOptions co;
    try {
      co = ConnectOptions.parse(connect.encode());
    } catch (RuntimeException e) {
      return Future.succeededFuture(null);
    }
    return auth.authenticate(co, nonce, null, c.remoteHost(), c.remotePort(), c.id())
        .map(r -> !r.ok() ? null
            : new Binding(r.account() != null ? r.account() : orGlobal(options.account()), r.permissions()));
  }

  /** Who an accepted leaf logged in as: the account it binds to and its user's permissions (null: none). */
  record Binding(String account, io.natsvx.auth.Permissions permissions) {}

  private static String orGlobal(String account) {
    return account == null || account.isEmpty() ? io.natsvx.account.Account.GLOBAL : account;
  }

  /** An accepted leaf from a server and cluster already linked in the same account replaces the old link. */
  void replaceDuplicate(LeafConnection fresh) {
    if (fresh.remoteServer() == null || fresh.remoteServer().isEmpty()) {
      return;
    }
    for (LeafConnection old : new ArrayList<>(all)) {
      if (old != fresh && old.registered() && !old.solicited() && fresh.remoteServer().equals(old.remoteServer())
          && java.util.Objects.equals(fresh.remoteCluster(), old.remoteCluster())
          && fresh.account().equals(old.account())) {
        old.evict();
        server.log().warn("Replacing connection from same server");
      }
    }
  }

  /** A link is bound: it hears of the interest it may, and of this account's loop detection subject. */
  void registered(LeafConnection c) {
    count++;
    interest.join(c, List.of(new LeafInterest.Key(loopSubject(c.account()), null)));
  }

  /** This server's loop detection subject in {@code account} (nats-server's acc.lds). */
  String loopSubject(String account) {
    return loopSubjects.computeIfAbsent(account, a -> "$LDS." + io.natsvx.internal.NKeys.nonce().replace('-', 'x')
        .replace('_', 'y'));
  }

  /** A link closed: forget it and, when dialed, dial its remote again. */
  void closed(LeafConnection c) {
    closedLinks++;
    all.remove(c);
    if (c.registered()) {
      count--;
    }
    interest.leave(c);
    if (c.solicited() && !stopping && !server.isShuttingDown()) {
      dial(c.remote(), options.reconnect().toMillis());
    }
  }

  // ---- what the far side is told ------------------------------------------------------------

  /**
   * The INFO an accepted leaf gets (nats-server's leafNodeInfo): first with the nonce it signs
   * and {@code info_on_connect}; after its CONNECT again, with {@code connect_info} and the account bound.
   */
  byte[] infoProto(long cid, String nonce, String remoteAccount) {
    JsonObject i = new JsonObject()
        .put("server_id", server.serverId())
        .put("server_name", server.serverName())
        .put("version", ServerContext.PROTOCOL_VERSION)
        .put("proto", 1)
        .put("go", io.natsvx.server.Version.runtime());
    String advertise = options.advertise();
    String[] hp = ownUrl().split(":(?=[0-9]+$)");
    i.put("host", hp[0]).put("port", Integer.parseInt(hp[1]));
    i.put("headers", true).put("auth_required", true);
    if (options.tls() != null) {
      i.put("tls_required", true);
      if (options.tls().requiresClientCertificate()) {
        i.put("tls_verify", true);
      }
    }
    i.put("max_payload", server.options().maxPayload());
    if (server.jetStreamRunning()) {
      i.put("jetstream", true);
    }
    i.put("client_id", cid);
    if (nonce != null) {
      i.put("nonce", nonce);
    }
    if (server.cluster() != null) {
      i.put("cluster", server.cluster().name());
    }
    i.put("leafnode_urls", new JsonArray(options.noAdvertise() ? List.of() : List.of(ownUrl())));
    i.put("info_on_connect", true);
    if (remoteAccount != null) {
      i.put("connect_info", true).put("remote_account", remoteAccount);
    }
    return ("INFO " + i.encode() + "\r\n").getBytes(StandardCharsets.UTF_8);
  }

  /** This server's leaf node URL, host:port (nats-server's leafNodeInfo.IP). */
  private String ownUrl() {
    List<String> urls = ClientUrls.urls(options.advertise(), options.host(), port);
    return urls.isEmpty() ? options.host() + ":" + port : urls.get(0);
  }

  /** The CONNECT a dialed link sends (nats-server's sendLeafConnect); null when its credentials fail. */
  byte[] connectProto(RemoteLeaf remote, URI url, String nonce, boolean tls) {
    JsonObject c = new JsonObject().put("version", ServerContext.PROTOCOL_VERSION);
    UserCredentials creds = credentials.get(remote);
    if (creds != null) {
      c.put("jwt", creds.jwt()).put("sig", creds.sign(nonce == null ? "" : nonce));
    } else if (url.getUserInfo() != null) {
      String[] up = url.getUserInfo().split(":", 2);
      c.put("user", up[0]);
      if (up.length > 1) {
        c.put("pass", up[1]);
      }
    }
    c.put("tls_required", tls).put("server_id", server.serverId()).put("name", server.serverName());
    if (remote.options().hub()) {
      c.put("is_hub", true);
    }
    if (server.cluster() != null) {
      c.put("cluster", server.cluster().name());
    }
    c.put("headers", true);
    if (!remote.options().denyImports().isEmpty()) {
      c.put("deny_pub", new JsonArray(remote.options().denyImports()));
    }
    return ("CONNECT " + c.encode() + "\r\n").getBytes(StandardCharsets.UTF_8);
  }

  /** Runs {@code task} on this verticle's loop with the registered links (monitoring reads them there). */
  public <T> Future<T> withLeafs(Function<List<LeafConnection>, T> task) {
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> {
      try {
        done.complete(task.apply(all.stream().filter(LeafConnection::registered).toList()));
      } catch (RuntimeException e) {
        done.fail(e);
      }
    });
    return done.future();
  }
}
