package io.natsvx.route;

import io.natsvx.server.ServerContext;
import io.natsvx.account.Account;
import io.natsvx.auth.Passwords;
import io.natsvx.config.ClusterOptions;
import io.natsvx.conn.ClosedReason;
import io.natsvx.conn.ConnectionInfo;
import io.natsvx.conn.ConnectionKind;
import io.natsvx.conn.Dispatch;
import io.natsvx.conn.MsgFrame;
import io.natsvx.link.LinkConnection;
import io.natsvx.protocol.ProtocolError;
import io.natsvx.protocol.RouteProtocolHandler;
import io.natsvx.protocol.ProtocolParser;
import io.natsvx.protocol.PubArgs;
import io.natsvx.subject.MatchResult;
import io.natsvx.subject.SubjectKey;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One route: a link to another server of the cluster, accepted or solicited. Speaks the route
 * dialect (nats-server's ROUTER kind): INFO and CONNECT to meet, {@code RS+}/{@code RS-} for the
 * far side's interest (kept as subscriptions of this connection in each account's index, so a
 * local publish finds the route by the same match as a local subscriber), and {@code RMSG} for
 * messages, delivered here to local subscribers only. Route loop confined.
 */
public final class RouteConnection extends LinkConnection implements RouteProtocolHandler {


  private final ServerContext server;
  private final RouteVerticle routes;
  private final ProtocolParser parser;
  /** The URL dialled; null for an accepted route. */
  private final URI url;
  /** Configured (retried forever) rather than learned by gossip. */
  private final boolean explicit;
  private final io.natsvx.protocol.Args args = new io.natsvx.protocol.Args();
  private ScheduledFuture<?> authTimer;
  private boolean connectReceived;
  private PeerInfo peer;
  private boolean registered;
  /** Reconnect after a close even when learned by gossip (a duplicate was dropped for this one). */
  private boolean retry;

  RouteConnection(ServerContext server, ChannelHandlerContext ctx, RouteVerticle routes, URI url, boolean explicit) {
    super(server, ctx, "RMSG ", "HMSG ", true);
    this.server = server;
    this.routes = routes;
    this.url = url;
    this.explicit = explicit;
    // No max_control_line nor max_payload on routes, as nats-server.
    this.parser = ProtocolParser.forRoute(this);
  }

  @Override
  public ConnectionKind kind() {
    return ConnectionKind.ROUTE;
  }

  @Override
  public Role role() {
    return Role.ROUTE;
  }

  /**
   * A peer gets this server's own messages, its leaf nodes' and what came from another cluster;
   * never another route's (it has them).
   */
  @Override
  public boolean accepts(io.natsvx.conn.Link from) {
    return from == null || from.role() == Role.LEAF_HUB || from.role() == Role.GATEWAY;
  }

  /** The URL this route was dialled at; null when it was accepted. */
  public URI url() { return url; }
  public boolean solicited() { return url != null; }
  boolean explicit() { return explicit; }
  /** A configured route (dialled from the routes list), as /routez's is_configured. */
  public boolean configured() { return url != null && explicit; }
  boolean retry() { return retry; }
  void retry(boolean value) { retry = value; }
  /** The peer's INFO; null before it arrived. */
  PeerInfo peer() { return peer; }
  public String remoteId() { return peer == null ? null : peer.id(); }
  public String remoteName() { return peer == null ? null : peer.name(); }
  public boolean registered() { return registered; }
  /** Whether the peer speaks leaf-origin interest and messages (its INFO's lnoc). */
  boolean leafOrigins() { return peer != null && peer.raw().getBoolean("lnoc", false); }

  /** Starts the route: TLS first when the cluster has it (before any INFO, as nats-server), then the greeting. */
  void start() {
    io.netty.handler.ssl.SslContext tls = routes.tlsContext(url != null);
    if (tls != null) {
      startTls(tls, url == null ? null : url.getHost(), url == null ? 0 : url.getPort(),
          routes.options().tls().timeout().toMillis(), this::greet);
    } else {
      greet();
    }
  }

  /** Greets the peer: CONNECT first when we dialled, then INFO; the auth timer when accepted. */
  private void greet() {
    if (url != null) {
      send(routes.connectProto(url));
      server.log().debug(logPrefix + "Route connect msg sent");
    }
    send(routes.infoProto());
    ClusterOptions o = routes.options();
    if (url == null && o.authRequired()) {
      parser.connectFirst(true);
      authTimer = loop.schedule(this::authTimeout, o.authTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }
    flushTouched();
    server.log().info(logPrefix + "Route connection created");
    // As nats-server: the first PING after a second or so (it measures the round trip), then every interval.
    long interval = (o.pingInterval() != null ? o.pingInterval() : server.options().pingInterval()).toMillis();
    startPings(Math.min(interval, 1000) + ThreadLocalRandom.current().nextLong(200));
  }

  private void authTimeout() {
    authTimer = null;
    if (!isClosed() && !connectReceived) {
      refuseAfterTimeout();
    }
  }

  @Override
  protected ProtocolParser parser() {
    return parser;
  }


  // ---- handshake --------------------------------------------------------------------------

  @Override
  public void onConnect(byte[] json, int off, int len) {
    String text = new String(json, off, len, StandardCharsets.UTF_8);
    trace("<<- ", "CONNECT " + text);
    JsonObject c;
    try {
      c = new JsonObject(text);
    } catch (RuntimeException e) {
      server.log().error(logPrefix + "Route CONNECT Error: " + e.getMessage());
      parser.close();
      closeConnection(ClosedReason.PROTOCOL_VIOLATION);
      return;
    }
    connectReceived = true;
    parser.connectFirst(false);
    if (authTimer != null) {
      authTimer.cancel(false);
      authTimer = null;
    }
    String lang = c.getString("lang");
    if (lang != null && !lang.isEmpty()) {
      refuse("attempted to connect to route port", ClosedReason.WRONG_PORT);
      return;
    }
    ClusterOptions o = routes.options();
    if (o.authRequired() && !(o.user().equals(c.getString("user")) && Passwords.check(o.password(), c.getString("pass")))) {
      refuseAuthorization();
      return;
    }
    String gateway = c.getString("gateway");
    if (gateway != null && !gateway.isEmpty()) {
      refuse("Rejecting connection from gateway \"" + gateway + "\" on the Route port", ClosedReason.WRONG_GATEWAY);
      return;
    }
    String theirs = c.getString("cluster", "");
    if (!theirs.equals(routes.clusterName()) && !routes.adoptName(theirs, c.getBoolean("cluster_dynamic", false))) {
      refuse("Rejecting connection, cluster name \"" + theirs + "\" does not match \"" + routes.clusterName() + "\"",
          ClosedReason.CLUSTER_NAME_CONFLICT);
    }
  }

  @Override
  public void onInfo(byte[] json, int off, int len) {
    String text = new String(json, off, len, StandardCharsets.UTF_8);
    PeerInfo info;
    try {
      info = PeerInfo.parse(text);
    } catch (RuntimeException e) {
      server.log().error(logPrefix + "Route INFO Error: " + e.getMessage());
      parser.close();
      closeConnection(ClosedReason.PROTOCOL_VIOLATION);
      return;
    }
    if (registered) {
      if (!info.raw().getString("gateway", "").isEmpty()) {
        routes.gatewayLearned(info.raw());
      } else if (info.id().equals(peer.id())) {
        peer = info;
        routes.peerUpdated();
      } else {
        routes.gossiped(info);
      }
      return;
    }
    if (url == null && routes.options().authRequired() && !connectReceived) {
      // An accepted route must authenticate before it says who it is.
      refuseAuthorization();
      return;
    }
    if (info.id().equals(server.serverId())) {
      server.log().debug(logPrefix + "Detected route to self, ignoring \"" + url + "\"");
      routes.self(url);
      parser.close();
      closeConnection(ClosedReason.DUPLICATE_ROUTE);
      return;
    }
    if (!info.cluster().isEmpty() && !info.cluster().equals(routes.clusterName())
        && !routes.adoptName(info.cluster(), info.clusterDynamic())) {
      server.log().error(logPrefix + "cluster name from remote server conflicts");
      parser.close();
      closeConnection(ClosedReason.CLUSTER_NAME_CONFLICT);
      return;
    }
    if (url == null && info.name().equals(server.serverName())) {
      server.log().error(logPrefix + "Remote server has a duplicate name: \"" + info.name() + "\"");
      parser.close();
      closeConnection(ClosedReason.DUPLICATE_SERVER_NAME);
      return;
    }
    peer = info;
    if (!routes.register(this)) {
      server.log().debug(logPrefix + "Detected duplicate remote route \"" + info.id() + "\"");
      parser.close();
      closeConnection(ClosedReason.DUPLICATE_ROUTE);
      return;
    }
    registered = true;
    server.log().debug(logPrefix + "Registering remote route \"" + info.id() + "\"");
    for (byte[] line : routes.localInterest(this)) {
      send(line);
    }
    server.log().debug(logPrefix + "Sent local subscriptions to route");
    routes.registered(this);
  }

  @Override
  public void onErr(String text) {
    server.log().error(logPrefix + "Route Error " + text);
    parser.close();
    closeConnection(ClosedReason.PARSE_ERROR);
  }

  @Override
  protected String parserName() {
    return "Router"; // nats-server's word for the route kind
  }

  private boolean ready(String op) {
    if (registered) {
      return true;
    }
    server.log().error(logPrefix + op + " before the route was registered");
    parser.close();
    closeConnection(ClosedReason.PROTOCOL_VIOLATION);
    return false;
  }

  // ---- interest ---------------------------------------------------------------------------

  @Override
  public void onRemoteSub(byte[] args, int off, int len, boolean add) {
    remoteSub(args, off, len, add, false);
  }

  /** LS+ names the leaf cluster the subscription is for first; LS- is RS-'s (nats-server's lnoc). */
  @Override
  public void onLeafOriginSub(byte[] args, int off, int len, boolean add) {
    remoteSub(args, off, len, add, true);
  }

  private void remoteSub(byte[] args, int off, int len, boolean add, boolean leafOrigin) {
    String op = (leafOrigin ? "LS" : "RS") + (add ? "+" : "-");
    boolean withOrigin = leafOrigin && add;
    if (!ready(op)) {
      return;
    }
    int n = this.args.split(args, off, len);
    if (server.log().isTrace()) {
      trace("<<- ", op + " " + this.args.joined());
    }
    int o = withOrigin ? 1 : 0;
    boolean ok = add ? n == 2 + o || n == 4 + o : n == 2 || n == 3;
    if (!ok) {
      server.log().error(logPrefix + "processRemote" + (add ? "" : "Un") + "Sub Parse Error: '"
          + new String(args, off, len, StandardCharsets.UTF_8) + "'");
      parser.close();
      closeConnection(ClosedReason.PROTOCOL_VIOLATION);
      return;
    }
    String origin = withOrigin ? this.args.get(0) : null;
    String[] a = {this.args.get(o), this.args.get(o + 1), n > 2 + o ? this.args.get(o + 2) : null};
    Account account = server.accounts().get(a[0]);
    if (account == null) {
      if (add) {
        server.log().error(logPrefix + "Unknown account \"" + a[0] + "\" for remote subject \"" + a[1] + "\"");
      } else {
        server.log().debug(logPrefix + "Unknown account \"" + a[0] + "\" for subject \"" + a[1] + "\"");
      }
      return;
    }
    String queue = a[2];
    if (add && !io.natsvx.subject.Subjects.isValidSubject(a[1])) {
      server.log().error(logPrefix + "Could not insert subscription: invalid subject \"" + a[1] + "\"");
      send(errProto("Invalid Subscription"));
      return;
    }
    if (add && a[1].startsWith(JS_API) && server.jetStreamRunning()) {
      // Until JetStream is replicated, a node with its own answers its clients alone: taking a
      // peer's API too would create their streams and consumers on both.
      return;
    }
    if (add) {
      remoteSubscribed(account, a[1], queue, origin);
    } else {
      remoteUnsubscribed(account, a[1], queue);
    }
  }

  // ---- messages ---------------------------------------------------------------------------

  /** The leaf cluster the message being delivered came from (a route's LMSG), or null. */
  private String messageOrigin;
  private byte[] lastOriginBytes = new byte[0];
  private String lastOrigin;

  @Override
  public String messageOrigin() {
    return messageOrigin;
  }

  @Override
  public void onRoutedMsg(PubArgs pa, ByteBuf payload, int index) {
    if (!ready(pa.originOff >= 0 ? "LMSG" : "RMSG")) {
      return;
    }
    inMsgs++;
    inBytes += pa.size;
    if (server.log().isTrace()) {
      trace("<<- ", (pa.hasHeaders() ? "HMSG " : "RMSG ") + new String(pa.line, pa.accountOff,
          pa.sizeOff + pa.sizeLen - pa.accountOff, StandardCharsets.UTF_8));
    }
    Account account = accountOf(pa);
    if (account == null) {
      return;
    }
    if (io.natsvx.conn.MsgFrame.isRoutedReply(pa.line, pa.subjectOff, pa.subjectLen)
        && routes.routedHere(pa.line, pa.subjectOff)) {
      // A reply another cluster routed to this server through a peer's gateway: its subject is what it stands for.
      pa.subjectOff += io.natsvx.conn.MsgFrame.ROUTED_REPLY_PREFIX;
      pa.subjectLen -= io.natsvx.conn.MsgFrame.ROUTED_REPLY_PREFIX;
    }
    // A message from the peer reaches local subscribers (and leaf nodes), and queue groups it names.
    messageOrigin = pa.originOff < 0 ? null : origin(pa);
    deliverInbound(account, pa, payload, index);
    messageOrigin = null;
  }

  private static final String JS_API = "$JS.API.";

  private String origin(PubArgs pa) {
    if (!Arrays.equals(pa.line, pa.originOff, pa.originOff + pa.originLen, lastOriginBytes, 0, lastOriginBytes.length)) {
      lastOriginBytes = Arrays.copyOfRange(pa.line, pa.originOff, pa.originOff + pa.originLen);
      lastOrigin = new String(lastOriginBytes, StandardCharsets.UTF_8);
    }
    return lastOrigin;
  }

  /**
   * A message from a leaf cluster's server crosses as an LMSG naming that cluster, to a peer
   * that speaks it, so the peer's links to the same leaf cluster leave it out.
   */
  @Override
  protected byte[] originFor(io.natsvx.conn.Producer producer) {
    io.natsvx.conn.Link from = producer.origin();
    if (from == null || from.role() != Role.LEAF_HUB || from.remoteCluster() == null || !leafOrigins()) {
      return null;
    }
    String cluster = from.remoteCluster();
    if (!cluster.equals(sentOrigin)) {
      sentOrigin = cluster;
      sentOriginBytes = cluster.getBytes(StandardCharsets.UTF_8);
    }
    return sentOriginBytes;
  }

  private String sentOrigin;
  private byte[] sentOriginBytes;

  private void trace(String dir, String text) {
    server.log().trace(logPrefix + dir + "[" + text + "]");
  }

  @Override
  protected Account account(String name) {
    return server.accounts().get(name);
  }

  // ---- closing ----------------------------------------------------------------------------

  @Override
  protected void cleanup() {
    parser.close();
    if (authTimer != null) {
      authTimer.cancel(false);
      authTimer = null;
    }
    dropRemoteInterest(server.accounts()::get);
  }

  @Override
  protected void retire(ConnectionInfo last) {
    server.log().info(logPrefix + "Router connection closed: " + closedReason().text());
    routes.closed(this);
  }
}
