package io.natsvx.leaf;

import io.natsvx.account.Account;
import io.natsvx.config.LeafNodeOptions;
import io.natsvx.conn.ClosedReason;
import io.natsvx.conn.ConnectionInfo;
import io.natsvx.conn.ConnectionKind;
import io.natsvx.conn.Link;
import io.natsvx.conn.MsgFrame;
import io.natsvx.conn.Producer;
import io.natsvx.link.LinkConnection;
import io.natsvx.protocol.LeafProtocolHandler;
import io.natsvx.protocol.ProtocolError;
import io.natsvx.protocol.ProtocolParser;
import io.natsvx.protocol.PubArgs;
import io.natsvx.server.ServerContext;
import io.natsvx.subject.Subjects;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One leaf node link (nats-server's LEAF kind), accepted (a leaf of this server) or dialed (to
 * this server's hub, from a {@code remotes} entry). Speaks the leaf dialect: INFO and CONNECT to
 * meet and bind the link to one account, {@code LS+}/{@code LS-} for the far side's interest,
 * {@code LMSG}/{@code HMSG} for messages, without accounts. Where messages and interest may go
 * follows the link's {@link Link.Role}. Confined to its socket's loop: the leaf verticle's, or a
 * WebSocket listener's for a leaf that came in there; the verticle's state is reached through it.
 */
public final class LeafConnection extends LinkConnection implements LeafProtocolHandler, LeafInterest.Audience {

  private static final String LOOP_PREFIX = "$LDS.";
  /** nats-server's leafNodeReconnectDelayAfterLoopDetected. */
  static final long LOOP_DELAY_MILLIS = 30_000;

  private final ServerContext server;
  private final LeafNodeVerticle leafs;
  private final ProtocolParser parser;
  /** The remote this link was dialed for; null when accepted. */
  private final RemoteLeaf remote;
  private final URI url;
  private Role role;
  private Account account;
  private String remoteServer;
  private String remoteCluster;
  private String nonce;
  private boolean registered;
  private boolean infoReceived;
  private ScheduledFuture<?> timer;
  /**
   * JetStream's API, key-value and object stores never cross a leaf link either way (nats-server
   * 2.9's "adding deny" for accounts without a shared system account or JetStream domain): each
   * side's JetStream answers its own clients.
   */
  static final List<String> JETSTREAM_DENY = List.of("$JS.API.>", "$KV.>", "$OBJ.>");

  /**
   * The permissions of the user an accepted leaf logged in as (null: none): as nats-server, the
   * leaf gets what that user may subscribe to and hears of what it may publish to.
   */
  private volatile io.natsvx.auth.Permissions permissions;

  /**
   * A dialed link: the permissions of the user the hub bound it to, as the hub's INFO told them
   * ({@code import}: what it may subscribe to, {@code export}: publish); null: none. Nothing is
   * sent that the hub would refuse, nor asked for that it would cut the link over.
   */
  private volatile io.natsvx.auth.Permissions granted;

  /** Subjects never sent over this link (deny_exports) and never taken from it (deny_imports). */
  private List<String> denyOut = JETSTREAM_DENY;
  private List<String> denyIn = JETSTREAM_DENY;

  LeafConnection(ServerContext server, ChannelHandlerContext ctx, io.natsvx.conn.Transport transport,
      LeafNodeVerticle leafs, RemoteLeaf remote, URI url) {
    super(server, ctx, transport, "LMSG ", "HMSG ", false);
    this.server = server;
    this.leafs = leafs;
    this.remote = remote;
    this.url = url;
    this.parser = ProtocolParser.forLeaf(this);
    if (remote != null) {
      role = remote.options().hub() ? Role.LEAF_HUB : Role.LEAF_SPOKE;
      denyOut = plus(JETSTREAM_DENY, remote.options().denyExports());
      denyIn = plus(JETSTREAM_DENY, remote.options().denyImports());
    }
  }

  @Override
  public ConnectionKind kind() {
    return ConnectionKind.LEAF;
  }

  @Override
  public Role role() {
    return role == null ? Role.LEAF_HUB : role;
  }

  @Override
  public String remoteCluster() {
    return remoteCluster;
  }

  @Override
  public Link link() {
    return this;
  }

  @Override
  public String account() {
    return account == null ? Account.GLOBAL : account.name();
  }

  public Account boundAccount() { return account; }
  public String remoteServer() { return remoteServer; }
  public boolean solicited() { return remote != null; }
  public boolean registered() { return registered; }
  RemoteLeaf remote() { return remote; }

  /**
   * Who gets a message from where (nats-server's processMsgResults): this server's own go to
   * every leaf link; a route's only to this server's leaf nodes (the hub's other servers send
   * to their own); another leaf link's to every other, but not between links to one cluster.
   */
  @Override
  public boolean accepts(Link from) {
    if (from == null) {
      return true;
    }
    if (from == this) {
      return false;
    }
    if (from.role() == Role.ROUTE) {
      // ...and never back to the leaf cluster it came from (a route's LMSG names it).
      String origin = from.messageOrigin();
      return role() == Role.LEAF_HUB && (origin == null || !origin.equals(remoteCluster));
    }
    return !Link.sameCluster(from, this);
  }

  /** A leaf's messages are its clients' publishes: its service imports apply here (nats-server's). */
  @Override
  protected boolean publishedHere() {
    return true;
  }

  /** Nothing crosses before the link is bound, nor what deny_exports (or the leaf's deny_pub) names. */
  @Override
  protected boolean mayCross(byte[] accountName, MsgFrame frame) {
    if (!registered) {
      return false;
    }
    byte[] b = frame.linkSubjectBytes();
    int off = frame.linkSubjectOff();
    int len = frame.linkSubjectLen();
    if (permissions != null && !permissions.canSubscribe(new String(b, off, len, StandardCharsets.UTF_8), null)) {
      return false; // nats-server: "Not permitted to deliver"
    }
    if (granted != null && !granted.canPublish(io.natsvx.subject.SubjectKey.of(
        new String(b, off, len, StandardCharsets.UTF_8)))) {
      return false; // the hub would refuse it
    }
    // Only JetStream's subjects are denied unless lists were configured: most messages pass unread.
    if (denyOut.size() == JETSTREAM_DENY.size() && (len == 0 || b[off] != '$')) {
      return true;
    }
    return !denied(denyOut, new String(b, off, len, StandardCharsets.UTF_8));
  }

  private static List<String> plus(List<String> a, List<String> b) {
    List<String> out = new java.util.ArrayList<>(a);
    out.addAll(b);
    return List.copyOf(out);
  }

  private static boolean denied(List<String> deny, String subject) {
    for (String d : deny) {
      if (Subjects.matches(d, subject)) {
        return true;
      }
    }
    return false;
  }

  // ---- handshake --------------------------------------------------------------------------

  /**
   * Accepted: INFO first (in the clear, then TLS when configured; over WebSocket the listener's
   * TLS is done already), then CONNECT is awaited. Dialed: INFO is awaited.
   */
  void start() {
    LeafNodeOptions o = leafs.options();
    if (remote == null) {
      nonce = io.natsvx.internal.NKeys.nonce();
      sendNow(leafs.infoProto(id, nonce, null, null));
      parser.connectFirst(true);
      timer = loop.schedule(this::authTimeout, o.authTimeout().toMillis(), TimeUnit.MILLISECONDS);
      if (o.tls() != null && !webSocket()) {
        startTls(leafs.acceptTls(), o.tls().timeout().toMillis(), () -> { });
      }
    } else {
      long wait = remote.options().firstInfoTimeout().toMillis();
      timer = loop.schedule(() -> {
        if (!infoReceived && !isClosed()) {
          server.log().error(logPrefix + "Did not receive the remote's INFO in time");
          closeConnection(ClosedReason.STALE_CONNECTION);
        }
      }, wait, TimeUnit.MILLISECONDS);
    }
    server.log().info(logPrefix + "Leafnode connection created" + (remote == null ? ""
        : " for account: " + remote.options().accountOrGlobal()));
  }

  private void authTimeout() {
    timer = null;
    if (!isClosed() && !registered) {
      refuseAfterTimeout();
    }
  }

  @Override
  protected ProtocolParser parser() {
    return parser;
  }


  /** The hub side: a leaf's CONNECT binds the link to an account, then both sides tell their interest. */
  @Override
  public void onConnect(byte[] json, int off, int len) {
    String text = new String(json, off, len, StandardCharsets.UTF_8);
    if (remote != null || registered) {
      protocolViolation("CONNECT");
      return;
    }
    JsonObject c;
    try {
      c = new JsonObject(text);
    } catch (RuntimeException e) {
      server.log().error(logPrefix + "Leafnode CONNECT Error: " + e.getMessage());
      parser.close();
      closeConnection(ClosedReason.PROTOCOL_VIOLATION);
      return;
    }
    parser.connectFirst(false);
    cancelTimer();
    if (c.getString("lang") != null && !c.getString("lang").isEmpty()) {
      refuse("attempted to connect to leaf node port", ClosedReason.WRONG_PORT);
      return;
    }
    String cluster = c.getString("cluster", "");
    String ours = server.cluster() == null ? null : server.cluster().name();
    if (!cluster.isEmpty() && cluster.equals(ours)) {
      refuse("remote leafnode has same cluster name", ClosedReason.CLUSTER_NAMES_IDENTICAL);
      return;
    }
    String gateway = c.getString("gateway", "");
    if (!gateway.isEmpty()) {
      refuse("Rejecting connection from gateway \"" + gateway + "\" on the leafnode port", ClosedReason.WRONG_GATEWAY);
      return;
    }
    io.vertx.core.Future<LeafNodeVerticle.Binding> check = leafs.authenticate(c, nonce, this);
    if (check.isComplete()) {
      bind(c, cluster, check.succeeded() ? check.result() : null);
      return;
    }
    // A bcrypt check or a plugin answers later: hold what follows until it does.
    readAfter(check, ar -> bind(c, cluster, ar.succeeded() ? ar.result() : null));
  }

  private void bind(JsonObject c, String cluster, LeafNodeVerticle.Binding binding) {
    if (binding == null) {
      refuseAuthorization();
      return;
    }
    String accountName = binding.account();
    permissions = binding.permissions();
    Account a = server.accounts().get(accountName);
    if (a == null) {
      server.log().error(logPrefix + "Unable to lookup account " + accountName + " for leafnode connection");
      parser.close();
      sendErrorAndClose("Authorization Violation", ClosedReason.MISSING_ACCOUNT);
      return;
    }
    account = a;
    remoteServer = c.getString("name", "");
    remoteCluster = cluster.isEmpty() ? null : cluster;
    role = c.getBoolean("is_hub", false) ? Role.LEAF_SPOKE : Role.LEAF_HUB;
    List<String> denyPub = stringList(c, "deny_pub");
    denyOut = plus(JETSTREAM_DENY, denyPub);
    send(leafs.infoProto(id, null, account.name(), permissions));
    register();
  }

  private static io.natsvx.auth.Permissions grants(JsonObject imports, JsonObject exports) {
    return new io.natsvx.auth.Permissions(new io.natsvx.config.AuthOptions.PermissionOptions(
        listOrNull(exports, "allow"), listOrNull(exports, "deny"), listOrNull(imports, "allow"),
        listOrNull(imports, "deny"), null));
  }

  private static List<String> listOrNull(JsonObject o, String key) {
    return o == null || o.getJsonArray(key) == null ? null : stringList(o, key);
  }

  private static List<String> stringList(JsonObject o, String key) {
    io.vertx.core.json.JsonArray a = o.getJsonArray(key);
    if (a == null) {
      return List.of();
    }
    List<String> out = new java.util.ArrayList<>();
    for (Object v : a) {
      out.add(String.valueOf(v));
    }
    return out;
  }

  /** The spoke side: the hub's INFO, then our CONNECT; its second INFO (connect_info) finishes. */
  @Override
  public void onInfo(byte[] json, int off, int len) {
    String text = new String(json, off, len, StandardCharsets.UTF_8);
    if (remote == null) {
      return; // an accepted leaf has nothing to tell in INFO
    }
    JsonObject info;
    try {
      info = new JsonObject(text);
    } catch (RuntimeException e) {
      server.log().error(logPrefix + "Leafnode INFO Error: " + e.getMessage());
      parser.close();
      closeConnection(ClosedReason.PROTOCOL_VIOLATION);
      return;
    }
    remote.learnUrls(stringList(info, "leafnode_urls"), stringList(info, "ws_connect_urls"));
    if (info.getValue("import") instanceof JsonObject || info.getValue("export") instanceof JsonObject) {
      granted = grants(info.getJsonObject("import"), info.getJsonObject("export"));
    }
    if (!infoReceived) {
      infoReceived = true;
      cancelTimer();
      if (info.getLong("client_id", 0L) == 0 || info.getJsonArray("leafnode_urls") == null) {
        server.log().error(logPrefix + "attempted to connect to wrong port");
        parser.close();
        closeConnection(ClosedReason.WRONG_PORT);
        return;
      }
      remoteServer = info.getString("server_name", info.getString("server_id", ""));
      String cluster = info.getString("cluster", "");
      remoteCluster = cluster.isEmpty() ? null : cluster;
      String theirNonce = info.getString("nonce");
      // Over WebSocket TLS is the socket's (wss), done before the upgrade.
      boolean tls = !webSocket() && (info.getBoolean("tls_required", false) || remote.options().tls() != null);
      boolean confirm = info.getBoolean("info_on_connect", false);
      Runnable connect = () -> {
        byte[] proto = leafs.connectProto(remote, url, theirNonce, tls);
        if (proto == null) {
          closeConnection(ClosedReason.AUTHENTICATION_VIOLATION);
          return;
        }
        sendNow(proto);
        server.log().debug(logPrefix + "Remote leafnode connect msg sent");
        if (!confirm) {
          finishSolicited();
        } else {
          timer = loop.schedule(() -> {
            if (!registered && !isClosed()) {
              sendErrorAndClose("Stale Leaf Node Connection - Closing", ClosedReason.STALE_CONNECTION);
            }
          }, 2000, TimeUnit.MILLISECONDS);
        }
      };
      if (tls) {
        startTls(leafs.dialTls(remote), url.getHost(), url.getPort(), remote.tlsTimeoutMillis(), connect);
      } else {
        connect.run();
      }
      return;
    }
    if (!registered && info.getBoolean("connect_info", false)) {
      finishSolicited();
    }
  }

  private void finishSolicited() {
    cancelTimer();
    Account a = server.accounts().get(remote.options().accountOrGlobal());
    io.natsvx.auth.OperatorAuth operator = server.auth().operator();
    if (a == null && operator != null && !resolving) {
      // Operator mode: the account comes from the resolver, as for a client's.
      resolving = true;
      operator.load(remote.options().accountOrGlobal()).onComplete(ar -> loop.execute(() -> {
        if (!isClosed()) {
          finishSolicited();
        }
      }));
      return;
    }
    if (a == null) {
      server.log().error(logPrefix + "Unable to lookup account " + remote.options().accountOrGlobal()
          + " for solicited leafnode connection");
      closeConnection(ClosedReason.MISSING_ACCOUNT);
      return;
    }
    account = a;
    register();
  }

  private boolean resolving;

  private void register() {
    registered = true;
    leafs.registered(this);
    long interval = server.options().pingInterval().toMillis();
    startPings(Math.min(interval, 1000) + ThreadLocalRandom.current().nextLong(200));
    flushTouched();
  }

  /** A newer link from the same server replaces this one. */
  void evict() {
    parser.close();
    sendErrorAndClose("Duplicate Remote LeafNode Connection", ClosedReason.DUPLICATE_REMOTE_LEAFNODE_CONNECTION);
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  // ---- what the far side says ---------------------------------------------------------------

  @Override
  public void onErr(String text) {
    server.log().error(logPrefix + "Leafnode Error '" + text + "'");
    if (text.contains("Loop detected")) {
      leafs.loopDetected();
      if (remote != null) {
        remote.delay(LOOP_DELAY_MILLIS);
      }
    } else if (text.contains("remote leafnode has same cluster name") && remote != null) {
      remote.delay(LOOP_DELAY_MILLIS);
    }
    parser.close();
    closeConnection(ClosedReason.PARSE_ERROR);
  }


  private boolean ready(String op) {
    if (registered) {
      return true;
    }
    protocolViolation(op);
    return false;
  }

  @Override
  public void onLeafSub(byte[] args, int off, int len, boolean add) {
    if (!ready(add ? "LS+" : "LS-")) {
      return;
    }
    String line = new String(args, off, len, StandardCharsets.UTF_8).trim();
    String[] a = line.split("[ \t]+");
    boolean ok = add ? a.length == 1 || a.length == 3 : a.length == 1 || a.length == 2;
    if (!ok) {
      server.log().error(logPrefix + "processLeaf" + (add ? "" : "Un") + "Sub Parse Error: '" + line + "'");
      parser.close();
      closeConnection(ClosedReason.PROTOCOL_VIOLATION);
      return;
    }
    String subject = a[0];
    String queue = a.length > 1 ? a[1] : null;
    if (!add) {
      remoteUnsubscribed(account, subject, queue);
      return;
    }
    if (subject.startsWith(LOOP_PREFIX) && subject.equals(leafs.loopSubject(account.name()))) {
      String text = "Loop detected for leafnode account=\"" + account.name()
          + "\". Delaying attempt to reconnect for 30s";
      leafs.loopDetected();
      if (remote != null) {
        remote.delay(LOOP_DELAY_MILLIS);
      }
      sendError(text);
      server.log().error(logPrefix + text);
      parser.close();
      closeConnection(ClosedReason.PROTOCOL_VIOLATION);
      return;
    }
    if (!Subjects.isValidSubject(subject)) {
      server.log().error(logPrefix + "Could not insert subscription: invalid subject \"" + subject + "\"");
      send(errProto("Invalid Subscription"));
      return;
    }
    if (!subject.startsWith(LOOP_PREFIX) && denied(denyIn, subject)) {
      return; // this server does not send the far side what it denies
    }
    if (permissions != null && !subject.startsWith(LOOP_PREFIX) && !subject.startsWith("_GR_.")
        && io.natsvx.subject.Subjects.isValidLiteralSubject(subject) && !permissions.canSubscribe(subject, null)) {
      // nats-server's leafPermViolation: the leaf asks for what its user may not receive
      String text = "Permissions Violation for Subscription to \"" + subject + "\"";
      server.log().error(logPrefix + "Subscription Violation on \"" + subject + "\" - Check other side configuration");
      sendError(text);
      parser.close();
      closeConnection(ClosedReason.PROTOCOL_VIOLATION);
      return;
    }
    remoteSubscribed(account, subject, queue);
  }

  @Override
  public void onLeafMsg(PubArgs pa, ByteBuf payload, int index) {
    if (!ready("LMSG")) {
      return;
    }
    inMsgs++;
    inBytes += pa.size;
    if (denied(denyIn, pa.subject())) {
      return;
    }
    deliverInbound(account, pa, payload, index);
  }

  // ---- interest, told -----------------------------------------------------------------------

  @Override
  public boolean mayHear(String subject) {
    // Nothing is asked for that this side would not take (deny_imports, JetStream's API), nor
    // what the leaf's user may not publish to.
    if (permissions != null && !subject.startsWith(LOOP_PREFIX)
        && !permissions.canPublish(io.natsvx.subject.SubjectKey.of(subject))) {
      return false;
    }
    if (granted != null && !subject.startsWith(LOOP_PREFIX) && !granted.canSubscribe(subject, null)) {
      return false;
    }
    return !denied(denyIn, subject);
  }

  /** From the leaf verticle's loop; written on this link's. */
  @Override
  public void tell(LeafInterest.Key key, int count) {
    String line = count > 0
        ? (key.queue() == null ? "LS+ " + key.subject() : "LS+ " + key.subject() + " " + key.queue() + " " + count)
        : "LS- " + key.text();
    byte[] proto = (line + "\r\n").getBytes(StandardCharsets.UTF_8);
    if (loop.inEventLoop()) {
      queue(proto);
    } else {
      onLoop(c -> queue(proto));
    }
  }

  // ---- closing ------------------------------------------------------------------------------

  @Override
  protected void cleanup() {
    parser.close();
    releaseHeld();
    cancelTimer();
    dropRemoteInterest(server.accounts()::get);
  }

  @Override
  protected void retire(ConnectionInfo last) {
    server.log().info(logPrefix + "Leafnode connection closed: " + closedReason().text()
        + (account == null ? "" : " - Account: " + account.name()));
    leafs.closed(this);
  }
}
