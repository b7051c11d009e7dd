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
 * the event bus), and each account's loop detection subject. One instance, its state kept on
 * its event loop: links it accepts or dials live there too, a leaf that came in on the WebSocket
 * port lives on that socket's loop and reaches this state by hops ({@link #onHome}).
 */
public final class LeafNodeVerticle extends VerticleBase implements io.natsvx.websocket.LeafNodeAcceptor {

  private final ServerContext server;
  private volatile LeafNodeOptions options;
  private final LeafInterest interest = new LeafInterest();
  private final Set<LeafConnection> all = new LinkedHashSet<>();
  /** The links bound to an account, as they told this verticle. */
  private final Set<LeafConnection> bound = new LinkedHashSet<>();
  private final Map<String, String> loopSubjects = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<RemoteLeaf, UserCredentials> credentials = new HashMap<>();
  private final Map<RemoteLeaf, io.netty.handler.ssl.SslContext> remoteTls = new HashMap<>();
  private final List<RemoteLeaf> remotes = new ArrayList<>();
  private MessageConsumer<EventBusAddresses.InterestChange> interestConsumer;
  private MessageConsumer<EventBusAddresses.LeafUrls> urlsConsumer;
  /** The cluster's other hub ports and its WebSocket URLs, as the routes last told. */
  private volatile EventBusAddresses.LeafUrls clusterUrls = new EventBusAddresses.LeafUrls(List.of(), List.of());
  private NetServer netServer;
  private NetClient client;
  private io.netty.handler.ssl.SslContext acceptTls;
  private io.netty.handler.ssl.SslContext defaultDialTls;
  private volatile int port;
  private volatile int count;
  private volatile long closedLinks;
  private final java.util.concurrent.atomic.AtomicLong loops = new java.util.concurrent.atomic.AtomicLong();
  private io.netty.channel.EventLoop home;
  private volatile boolean stopping;

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
  public long loops() { return loops.get(); }

  /** Any thread. */
  void loopDetected() {
    loops.incrementAndGet();
  }

  /** Runs {@code task} on this verticle's loop: now when called there, else as soon as it can. */
  private void onHome(Runnable task) {
    if (home.inEventLoop()) {
      task.run();
    } else {
      context.runOnContext(v -> task.run());
    }
  }

  /** Registered leaf links; any thread (a snapshot). */
  public int count() { return count; }

  /** Hears of every subscription from now on; links come with {@link #begin}. */
  @Override
  public Future<?> start() {
    home = ((io.vertx.core.internal.ContextInternal) context).nettyEventLoop();
    client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(2000));
    interestConsumer = vertx.eventBus().localConsumer(EventBusAddresses.INTEREST,
        m -> interest.changed(m.body().account(), m.body().subject(), m.body().queue(), m.body().added(),
            m.body().from(), m.body().origin()));
    urlsConsumer = vertx.eventBus().localConsumer(EventBusAddresses.LEAF_URLS, m -> clusterUrlsChanged(m.body()));
    return interestConsumer.completion().compose(v -> urlsConsumer.completion());
  }

  /**
   * Reads TLS and credentials on a worker and opens the leaf node port (before the routes start:
   * their INFO tells its URL).
   */
  public Future<Void> begin() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> prepare().compose(x -> listen()).onComplete(done));
    return done.future();
  }

  /** Dials the remotes, from now on. */
  public void dialRemotes() {
    context.runOnContext(v -> {
      for (RemoteLeaf r : remotes) {
        dial(r, 0);
      }
    });
  }

  /** New cluster URLs: the accepted leaf nodes get an INFO with them (nats-server's sendAsyncLeafNodeInfo). */
  private void clusterUrlsChanged(EventBusAddresses.LeafUrls urls) {
    clusterUrls = urls;
    byte[] info = infoProto(0, null, null, null);
    for (LeafConnection c : bound) {
      if (!c.solicited()) {
        c.onLoop(x -> c.queue(info));
      }
    }
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
        } else if (r.options().nkey() != null) {
          credentials.put(r, UserCredentials.ofSeed(r.options().nkey()));
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
      c.closeAsync(ClosedReason.SERVER_SHUTDOWN);
    }
    Future<Void> unregistered = (interestConsumer == null ? Future.<Void>succeededFuture()
        : interestConsumer.unregister()).compose(v -> urlsConsumer == null ? Future.succeededFuture()
        : urlsConsumer.unregister());
    return unregistered.compose(v -> netServer == null ? Future.succeededFuture() : netServer.close())
        .compose(v -> client == null ? Future.succeededFuture() : client.close());
  }

  // ---- connections --------------------------------------------------------------------------

  private void accept(NetSocket socket) {
    if (stopping || server.isShuttingDown()) {
      socket.close();
      return;
    }
    LeafConnection c = SocketAdapter.install(socket,
        ctx -> new LeafConnection(server, ctx, io.natsvx.conn.Transport.TCP, this, null, null));
    all.add(c);
    c.start();
  }

  @Override
  public boolean acceptsWebSocket() {
    return options.listens();
  }

  /** The link lives on {@code socket}'s loop; this verticle hears of it by a hop. On that loop. */
  @Override
  public void acceptWebSocket(NetSocket socket, io.natsvx.conn.Transport frames) {
    LeafConnection c = SocketAdapter.install(socket, ctx -> new LeafConnection(server, ctx, frames, this, null, null));
    onHome(() -> {
      if (stopping) {
        c.closeAsync(ClosedReason.SERVER_SHUTDOWN);
      } else {
        all.add(c);
      }
    });
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
      io.natsvx.conn.Transport transport = io.natsvx.conn.Transport.TCP;
      if (webSocket(url)) {
        if (secureWebSocket(url)) {
          SocketAdapter.secureDialed(ar.result(), dialTls(remote), url.getHost(), url.getPort(),
              remote.tlsTimeoutMillis()).addListener(f -> {
                if (!f.isSuccess()) {
                  server.log().error("Leafnode TLS handshake error with \"" + hostPort + "\": "
                      + f.cause().getMessage());
                }
              });
        }
        transport = io.natsvx.websocket.WebSocketDialer.frame(ar.result(), url, remote.options().wsNoMasking(),
            remote.options().wsCompression());
      }
      io.natsvx.conn.Transport framing = transport;
      LeafConnection c = SocketAdapter.install(ar.result(),
          ctx -> new LeafConnection(server, ctx, framing, this, remote, url));
      all.add(c);
      c.start();
    });
  }

  /** Whether a remote's URL is a WebSocket one (ws:// or wss://), whose link runs in WebSocket frames. */
  static boolean webSocket(URI url) {
    return url.getScheme() != null && (url.getScheme().equalsIgnoreCase("ws") || secureWebSocket(url));
  }

  /** wss://: TLS comes first, then the upgrade. */
  static boolean secureWebSocket(URI url) {
    return url.getScheme() != null && url.getScheme().equalsIgnoreCase("wss");
  }

  io.netty.handler.ssl.SslContext acceptTls() { return acceptTls; }

  io.netty.handler.ssl.SslContext dialTls(RemoteLeaf remote) {
    return remoteTls.getOrDefault(remote, defaultDialTls);
  }

  /**
   * Who an accepted leaf is (nats-server's isLeafNodeAuthorized): the block's own user, nkey or
   * users when it has them, each bound to its account (a user by its certificate with TLS
   * {@code verify_and_map}); else the server's client users decide, and the block's account is
   * the default. The account's name, or null when refused.
   */
  Future<Binding> authenticate(JsonObject connect, String nonce, LeafConnection c) {
    String user = connect.getString("user");
    String pass = connect.getString("pass");
    LeafNodeOptions options = this.options;
    java.security.cert.X509Certificate mapped = options.tls() != null && options.tls().verifyAndMap()
        ? c.peerCertificate() : null;
    if (options.user() != null && !options.user().isEmpty()) {
      return Future.succeededFuture(options.user().equals(user) && Passwords.check(options.password(), pass)
          ? new Binding(orGlobal(options.account()), null) : null);
    }
    if (options.nkey() != null) {
      String key = connect.getString("nkey");
      String sig = connect.getString("sig");
      return Future.succeededFuture(options.nkey().equals(key) && sig != null
          && io.natsvx.internal.NKeys.verify(key, nonce, sig) ? new Binding(orGlobal(options.account()), null) : null);
    }
    if (!options.users().isEmpty() && mapped != null) {
      for (String name : io.natsvx.tls.CertificateUsers.candidates(mapped)) {
        for (LeafNodeOptions.LeafUser u : options.users()) {
          if (name.equals(u.user())) {
            return Future.succeededFuture(new Binding(orGlobal(u.account()), null));
          }
        }
      }
      return Future.succeededFuture(null);
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
    return auth.authenticate(co, nonce, mapped, c.remoteHost(), c.remotePort(), c.id())
        .map(r -> !r.ok() ? null
            : new Binding(r.account() != null ? r.account() : orGlobal(options.account()), r.permissions()));
  }

  /** Who an accepted leaf logged in as: the account it binds to and its user's permissions (null: none). */
  record Binding(String account, io.natsvx.auth.Permissions permissions) {}

  private static String orGlobal(String account) {
    return account == null || account.isEmpty() ? io.natsvx.account.Account.GLOBAL : account;
  }

  /** An accepted leaf from a server and cluster already linked in the same account replaces the old link. */
  private void replaceDuplicate(LeafConnection fresh) {
    if (fresh.solicited() || fresh.remoteServer() == null || fresh.remoteServer().isEmpty()) {
      return;
    }
    for (LeafConnection old : new ArrayList<>(bound)) {
      if (old != fresh && !old.solicited() && fresh.remoteServer().equals(old.remoteServer())
          && java.util.Objects.equals(fresh.remoteCluster(), old.remoteCluster())
          && fresh.account().equals(old.account())) {
        bound.remove(old);
        old.onLoop(x -> old.evict());
        server.log().warn("Replacing connection from same server");
      }
    }
  }

  /**
   * A link is bound (any thread; what it learned in its handshake is settled): an older one from
   * the same server goes, and it hears of the interest it may, and of this account's loop
   * detection subject.
   */
  void registered(LeafConnection c) {
    onHome(() -> {
      if (!all.contains(c)) {
        return; // closed already
      }
      replaceDuplicate(c);
      bound.add(c);
      count++;
      interest.join(c, alwaysTold(c.account()));
    });
  }

  /**
   * What a link bound to {@code account} is told besides subscriptions (nats-server's
   * initLeafNodeSmapAndSendSubs): the account's loop detection subject and the services it
   * imports (requests for them are answered through this server).
   */
  private List<LeafInterest.Key> alwaysTold(String accountName) {
    List<LeafInterest.Key> keys = new ArrayList<>();
    keys.add(new LeafInterest.Key(loopSubject(accountName), null));
    io.natsvx.account.Account account = server.accounts().get(accountName);
    if (account == null) {
      return keys;
    }
    for (io.natsvx.account.ServiceImport si : account.serviceImports()) {
      keys.add(new LeafInterest.Key(si.localSubject(), null));
    }
    return keys;
  }

  /** This server's loop detection subject in {@code account} (nats-server's acc.lds). */
  String loopSubject(String account) {
    return loopSubjects.computeIfAbsent(account, a -> "$LDS." + io.natsvx.internal.NKeys.nonce().replace('-', 'x')
        .replace('_', 'y'));
  }

  /** A link closed (any thread): forget it and, when dialed, dial its remote again. */
  void closed(LeafConnection c) {
    onHome(() -> {
      closedLinks++;
      all.remove(c);
      if (bound.remove(c)) {
        count--;
      }
      interest.leave(c);
      if (c.solicited() && !stopping && !server.isShuttingDown()) {
        dial(c.remote(), options.reconnect().toMillis());
      }
    });
  }

  // ---- what the far side is told ------------------------------------------------------------

  /**
   * The INFO an accepted leaf gets (nats-server's leafNodeInfo): first with the nonce it signs
   * and {@code info_on_connect}; after its CONNECT again, with {@code connect_info} and the account
   * bound; when the cluster's URLs change, without either ({@code cid} 0). Any thread.
   */
  byte[] infoProto(long cid, String nonce, String remoteAccount, io.natsvx.auth.Permissions granted) {
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
    if (cid != 0) {
      i.put("client_id", cid);
    }
    if (nonce != null) {
      i.put("nonce", nonce);
    }
    if (server.cluster() != null) {
      i.put("cluster", server.cluster().name());
    }
    List<String> urls = new ArrayList<>(options.noAdvertise() ? List.of() : List.of(ownUrl()));
    for (String u : clusterUrls.leafNodeUrls()) {
      if (!urls.contains(u)) {
        urls.add(u);
      }
    }
    i.put("leafnode_urls", new JsonArray(urls));
    if (!clusterUrls.wsConnectUrls().isEmpty()) {
      i.put("ws_connect_urls", new JsonArray(clusterUrls.wsConnectUrls()));
    }
    i.put("info_on_connect", true);
    if (remoteAccount != null) {
      i.put("connect_info", true).put("remote_account", remoteAccount);
    }
    if (granted != null) {
      // nats-server's sendPermsAndAccountInfo: the leaf enforces its user's permissions itself.
      io.natsvx.config.AuthOptions.PermissionOptions p = granted.options();
      putSubjects(i, "import", p.subscribeAllow(), p.subscribeDeny());
      putSubjects(i, "export", p.publishAllow(), p.publishDeny());
    }
    return ("INFO " + i.encode() + "\r\n").getBytes(StandardCharsets.UTF_8);
  }

  private static void putSubjects(JsonObject info, String key, List<String> allow, List<String> deny) {
    if (allow == null && deny == null) {
      return;
    }
    JsonObject o = new JsonObject();
    if (allow != null && !allow.isEmpty()) {
      o.put("allow", new JsonArray(allow));
    }
    if (deny != null && !deny.isEmpty()) {
      o.put("deny", new JsonArray(deny));
    }
    info.put(key, o);
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
    if (creds != null && creds.jwt() != null) {
      c.put("jwt", creds.jwt()).put("sig", creds.sign(nonce == null ? "" : nonce));
    } else if (creds != null) {
      c.put("nkey", creds.publicKey()).put("sig", creds.sign(nonce == null ? "" : nonce));
    } else if (remote.userInfo(url) != null) {
      String[] up = remote.userInfo(url).split(":", 2);
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

  /** Reads each bound link with {@code read}, on the link's own loop (monitoring). */
  public <T> Future<List<T>> withLeafs(Function<LeafConnection, T> read) {
    Promise<List<LeafConnection>> links = Promise.promise();
    context.runOnContext(v -> links.complete(new ArrayList<>(bound)));
    return links.future().compose(list -> {
      List<Future<T>> each = new ArrayList<>();
      for (LeafConnection c : list) {
        Promise<T> one = Promise.promise();
        if (!c.onLoop(x -> {
          try {
            one.complete(c.isClosed() ? null : read.apply(c));
          } catch (RuntimeException e) {
            one.fail(e);
          }
        })) {
          one.complete(null);
        }
        each.add(one.future());
      }
      return Future.all(each).map(all -> {
        List<T> out = new ArrayList<>();
        for (Future<T> f : each) {
          if (f.result() != null) {
            out.add(f.result());
          }
        }
        return out;
      });
    });
  }
}
