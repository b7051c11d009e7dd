package io.natsvx.gateway;

import io.natsvx.account.Account;
import io.natsvx.config.GatewayOptions;
import io.natsvx.conn.ClosedReason;
import io.natsvx.conn.ConnectionInfo;
import io.natsvx.conn.ConnectionKind;
import io.natsvx.conn.Link;
import io.natsvx.conn.MsgFrame;
import io.natsvx.link.LinkConnection;
import io.natsvx.protocol.GatewayProtocolHandler;
import io.natsvx.protocol.ProtocolError;
import io.natsvx.protocol.ProtocolParser;
import io.natsvx.protocol.PubArgs;
import io.natsvx.server.ServerContext;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One gateway link (nats-server's GATEWAY kind), one way only: dialed (outbound: this server
 * sends the far cluster the messages it wants, as its {@code RS+} told) or accepted (inbound:
 * the far cluster's server sends here, and hears this cluster's interest). Speaks the route
 * dialect plus {@code A+}/{@code A-}; every account is in interest-only mode from the start
 * ({@code gateway_iom}, as nats-server 2.9). Gateway verticle loop confined.
 */
public final class GatewayConnection extends LinkConnection implements GatewayProtocolHandler {

  static final byte CMD_GOSSIP = 1;
  static final byte CMD_ALL_SUBS_START = 2;
  static final byte CMD_ALL_SUBS_COMPLETE = 3;
  private static final String JS_API = "$JS.API.";

  private final ServerContext server;
  private final GatewayVerticle gateways;
  private final ProtocolParser parser;
  /** The cluster dialed; null when accepted. */
  private final RemoteGateway remote;
  private final URI url;
  private final io.natsvx.protocol.Args args = new io.natsvx.protocol.Args();
  /** The far cluster's gateway name (the remote's for outbound; from CONNECT and INFO for inbound). */
  private String gatewayName;
  private String remoteId;
  private String remoteName;
  private boolean connectReceived;
  private boolean registered;
  private ScheduledFuture<?> authTimer;
  /** Inbound: the accounts the far side was told all subscriptions of (interest-only mode). */
  private final Set<String> switched = new HashSet<>();

  GatewayConnection(ServerContext server, ChannelHandlerContext ctx, GatewayVerticle gateways, RemoteGateway remote,
      URI url) {
    super(server, ctx, "RMSG ", "HMSG ", true);
    this.server = server;
    this.gateways = gateways;
    this.remote = remote;
    this.url = url;
    this.parser = ProtocolParser.forGateway(this);
    if (remote != null) {
      gatewayName = remote.name();
    }
  }

  @Override
  public ConnectionKind kind() {
    return ConnectionKind.GATEWAY;
  }

  @Override
  public Role role() {
    return Role.GATEWAY;
  }

  public boolean dialed() { return remote != null; }
  public boolean registered() { return registered; }
  /** The far cluster's gateway name. */
  public String gatewayName() { return gatewayName; }
  public String remoteId() { return remoteId; }
  public String remoteName() { return remoteName; }
  RemoteGateway remote() { return remote; }
  /** Dialed from the gateways list (not learned), as /gatewayz's configured. */
  public boolean configured() { return remote != null && !remote.implicit(); }
  /** Inbound: the accounts the far side was told all subscriptions of. */
  public List<String> switchedAccounts() { return new ArrayList<>(switched); }
  public URI url() { return url; }

  /**
   * A message crosses to another cluster from where nats-server's sendMsgToGateways is called:
   * this server's own clients and handlers, and its leaf nodes; never from a route (the
   * publishing server sends itself) nor from another gateway. Only outbound links send.
   */
  @Override
  public boolean accepts(Link from) {
    return remote != null && (from == null || from.role() == Role.LEAF_HUB || from.role() == Role.LEAF_SPOKE);
  }

  @Override
  protected boolean mayCross(byte[] account, MsgFrame frame) {
    return registered && (optimistic == null
        || optimistic.crosses(account, frame.linkSubjectBytes(), frame.linkSubjectOff(), frame.linkSubjectLen()));
  }

  /** Set when the far cluster does not switch accounts to interest-only mode at once (no gateway_iom). */
  private OptimisticInterest optimistic;

  /** What this outbound link assumes the far cluster wants in optimistic mode: everything. */
  private static final String ALL = ">";

  /** A request whose reply was subscribed just now crosses with a routed reply. */
  @Override
  protected byte[] replyPrefix(byte[] account, MsgFrame frame) {
    return gateways.replies().prefixFor(account, frame);
  }

  // ---- handshake ----------------------------------------------------------------------------

  /** TLS first when configured (before any INFO, as nats-server), then the greeting. */
  void start() {
    io.netty.handler.ssl.SslContext tls = remote != null ? gateways.dialTls(remote) : gateways.acceptTls();
    if (tls != null) {
      long timeout = (remote != null && remote.tls() != null ? remote.tls() : gateways.options().tls())
          .timeout().toMillis();
      startTls(tls, url == null ? null : url.getHost(), url == null ? 0 : url.getPort(), timeout, this::greet);
    } else {
      greet();
    }
  }

  /** Accepted: our INFO, then CONNECT is awaited. Dialed: the far side's INFO is awaited. */
  private void greet() {
    if (remote != null) {
      server.log().info(logPrefix + "Creating outbound gateway connection to \"" + remote.name() + "\"");
      return;
    }
    server.log().info(logPrefix + "Processing inbound gateway connection");
    sendNow(gateways.infoProto());
    parser.connectFirst(true);
    authTimer = loop.schedule(this::authTimeout, gateways.options().authTimeout().toMillis(), TimeUnit.MILLISECONDS);
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


  /**
   * Operator mode: the far cluster speaks of an account this server has not loaded yet. The
   * stream waits (in order) while its token is fetched, then {@code again} runs and the rest
   * is read (nats-server fetches the account on a gateway's interest too).
   */
  private boolean awaitAccount(String name, Runnable again) {
    io.natsvx.auth.OperatorAuth operator = server.auth().operator();
    if (operator == null || io.natsvx.internal.NKeyCodec.decode(name, io.natsvx.internal.NKeyCodec.PREFIX_ACCOUNT) == null) {
      return false;
    }
    readAfter(operator.load(name), ar -> {
      if (server.accounts().get(name) != null) {
        again.run();
      }
    });
    return true;
  }

  /** Inbound: the far server's CONNECT (nats-server's processGatewayConnect). */
  @Override
  public void onConnect(byte[] json, int off, int len) {
    if (remote != null || connectReceived) {
      protocolViolation("CONNECT");
      return;
    }
    JsonObject c;
    try {
      c = new JsonObject(new String(json, off, len, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      server.log().error(logPrefix + "Gateway CONNECT Error: " + e.getMessage());
      parser.close();
      closeConnection(ClosedReason.PROTOCOL_VIOLATION);
      return;
    }
    connectReceived = true;
    parser.connectFirst(false);
    cancelTimer();
    String gateway = c.getString("gateway", "");
    if (gateway.isEmpty()) {
      refuse("attempted to connect to gateway port", "attempted to connect to gateway port",
          ClosedReason.WRONG_PORT);
      return;
    }
    GatewayOptions o = gateways.options();
    if (o.user() != null && !o.user().isEmpty()
        && !(o.user().equals(c.getString("user")) && io.natsvx.auth.Passwords.check(o.password(), c.getString("pass")))) {
      refuseAuthorization();
      return;
    }
    if (o.rejectUnknown() && !gateways.configured(gateway)) {
      refuse("Rejecting connection from gateway \"" + gateway + "\"",
          "Connection to gateway \"" + o.name() + "\" rejected", ClosedReason.WRONG_GATEWAY);
      return;
    }
    gatewayName = gateway;
    startPings(gateways.firstPingMillis());
  }

  @Override
  public void onInfo(byte[] json, int off, int len) {
    JsonObject info;
    try {
      info = new JsonObject(new String(json, off, len, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      server.log().error(logPrefix + "Gateway INFO Error: " + e.getMessage());
      parser.close();
      closeConnection(ClosedReason.PROTOCOL_VIOLATION);
      return;
    }
    if (remote != null) {
      outboundInfo(info);
    } else if (!registered) {
      inboundInfo(info);
    }
  }

  /** nats-server's processGatewayInfo for an outbound link. */
  private void outboundInfo(JsonObject info) {
    String name = info.getString("gateway", "");
    if (!registered && name.isEmpty()) {
      refuse("Attempt to connect to gateway \"" + remote.name() + "\" using wrong port",
          "Attempt to connect to gateway \"" + remote.name() + "\" using wrong port", ClosedReason.WRONG_PORT);
      return;
    }
    if (!name.equals(remote.name())) {
      if (registered && info.getInteger("gateway_cmd", 0) == CMD_GOSSIP) {
        gateways.learned(name, strings(info, "gateway_urls"), false);
        return;
      }
      server.log().error(logPrefix + "Failing connection to gateway \"" + remote.name() + "\", remote gateway name is \""
          + name + "\"");
      sendErrorAndClose("Connection from \"" + gateways.options().name() + "\" rejected, wanted to connect to \""
          + remote.name() + "\", this is \"" + name + "\"", ClosedReason.WRONG_GATEWAY);
      parser.close();
      return;
    }
    remote.addUrls(strings(info, "gateway_urls"));
    if (registered) {
      int cmd = info.getInteger("gateway_cmd", 0);
      if (cmd == CMD_ALL_SUBS_START || cmd == CMD_ALL_SUBS_COMPLETE) {
        switching(info, cmd == CMD_ALL_SUBS_COMPLETE);
      }
      return;
    }
    remoteId = info.getString("server_id", "");
    remoteName = info.getString("server_name", remoteId);
    if (remoteId.equals(server.serverId())) {
      server.log().debug(logPrefix + "Detected gateway to self, ignoring");
      parser.close();
      closeConnection(ClosedReason.WRONG_GATEWAY);
      return;
    }
    sendNow(gateways.connectProto(remote, url, info.getBoolean("tls_required", false) || remote.tls() != null));
    sendNow(gateways.infoProto());
    if (!gateways.registerOutbound(this)) {
      parser.close();
      closeConnection(ClosedReason.WRONG_GATEWAY);
      return;
    }
    registered = true;
    if (!info.getBoolean("gateway_iom", false)) {
      optimistic = new OptimisticInterest();
      for (Account a : server.accounts().all()) {
        optimistic.optimistic(a.name());
        remoteAssumed(a, ALL, true);
      }
    }
    server.log().info(logPrefix + "Outbound gateway connection to \"" + remote.name() + "\" (" + remoteId
        + ") registered");
    startPings(gateways.firstPingMillis());
    gateways.tellCluster(name, strings(info, "gateway_urls"));
    flushTouched();
  }

  /** nats-server's processGatewayInfo for the first INFO of an inbound link. */
  private void inboundInfo(JsonObject info) {
    if (!connectReceived) {
      onOperationBeforeConnect();
      return;
    }
    String name = info.getString("gateway", gatewayName);
    if (name != null && !name.isEmpty()) {
      gatewayName = name;
    }
    remoteId = info.getString("server_id", "");
    remoteName = info.getString("server_name", remoteId);
    registered = true;
    server.log().info(logPrefix + "Inbound gateway connection from \"" + gatewayName + "\" (" + remoteId
        + ") registered");
    gateways.registeredInbound(this, strings(info, "gateway_urls"));
    flushTouched();
  }

  private static List<String> strings(JsonObject o, String key) {
    JsonArray a = o.getJsonArray(key);
    if (a == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    a.forEach(v -> out.add(String.valueOf(v)));
    return out;
  }

  private void cancelTimer() {
    if (authTimer != null) {
      authTimer.cancel(false);
      authTimer = null;
    }
  }

  // ---- interest, heard (outbound) ---------------------------------------------------------

  /**
   * The far side starts (or finishes) sending all its subscriptions of an account (nats-server's
   * gatewayAllSubsReceiveStart and Complete): they count from the start, only they after the end.
   */
  private void switching(JsonObject info, boolean complete) {
    String payload = info.getString("gateway_cmd_payload");
    if (payload == null || payload.isEmpty()) {
      server.log().error(logPrefix + "Account absent from receive-all-subscriptions-" + (complete ? "complete" : "start")
          + " command");
      parser.close();
      sendErrorAndClose("Account absent from receive-all-subscriptions-" + (complete ? "complete" : "start")
          + " command", ClosedReason.PROTOCOL_VIOLATION);
      return;
    }
    if (optimistic == null) {
      return; // interest-only from the start: RS+ and RS- always count
    }
    String name;
    try {
      name = new String(java.util.Base64.getDecoder().decode(payload), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      name = payload;
    }
    Account account = server.accounts().get(name);
    if (account == null) {
      return;
    }
    optimistic.switching(name, complete);
    if (complete) {
      remoteAssumed(account, ALL, false);
    }
  }

  /** Replies routed to the far cluster ({@code _GR_.<its hash>.>}) cross whatever it subscribed. */
  void routedReplies(Account account) {
    remoteSubscribed(account, GatewayReplies.routedTo(gatewayName), null);
  }

  @Override
  public void onRemoteSub(byte[] b, int off, int len, boolean add) {
    if (remote == null) {
      server.log().error(logPrefix + "Received " + (add ? "RS+" : "RS-") + " from gateway on inbound connection");
      parser.close();
      closeConnection(ClosedReason.PROTOCOL_VIOLATION);
      return;
    }
    if (!ready(add ? "RS+" : "RS-")) {
      return;
    }
    int n = args.split(b, off, len);
    boolean ok = add ? n == 2 || n == 4 : n == 2 || n == 3;
    if (!ok) {
      server.log().error(logPrefix + "processGateway" + (add ? "" : "Un") + "Sub Parse Error: '"
          + new String(b, off, len, StandardCharsets.UTF_8) + "'");
      parser.close();
      closeConnection(ClosedReason.PROTOCOL_VIOLATION);
      return;
    }
    Account account = server.accounts().get(args.get(0));
    if (account == null) {
      byte[] copy = java.util.Arrays.copyOfRange(b, off, off + len);
      awaitAccount(args.get(0), () -> onRemoteSub(copy, 0, copy.length, add));
      return;
    }
    String subject = args.get(1);
    String queue = n > 2 ? args.get(2) : null;
    if (queue == null && optimistic != null && !optimistic.storesPlain(account.name())) {
      // Optimistic mode: a plain RS- marks a subject the far side does not want, RS+ clears it.
      if (optimistic.mode(account.name()) == OptimisticInterest.Mode.OPTIMISTIC) {
        if (add) {
          optimistic.interest(account.name(), subject);
        } else {
          optimistic.noInterest(account.name(), subject);
        }
      }
      return;
    }
    if (!add) {
      remoteUnsubscribed(account, subject, queue);
      return;
    }
    if (!io.natsvx.subject.Subjects.isValidSubject(subject)) {
      server.log().error(logPrefix + "Could not insert subscription: invalid subject \"" + subject + "\"");
      return;
    }
    if (subject.startsWith(JS_API) && server.jetStreamRunning()) {
      // Each cluster's JetStream answers its own clients: taking the far side's API too would
      // create streams and consumers in both.
      return;
    }
    remoteSubscribed(account, subject, queue);
  }

  /**
   * A- and A+: in optimistic mode, nothing of the account crosses after A-, until A+
   * (nats-server's processGatewayAccountUnsub and Sub); interest-only mode does not need them.
   */
  @Override
  public void onAccountSub(byte[] b, int off, int len, boolean add) {
    if (remote == null) {
      server.log().error(logPrefix + "Received " + (add ? "A+" : "A-") + " from gateway on inbound connection");
      parser.close();
      closeConnection(ClosedReason.PROTOCOL_VIOLATION);
      return;
    }
    if (!ready(add ? "A+" : "A-") || optimistic == null) {
      return;
    }
    String name = new String(b, off, len, StandardCharsets.UTF_8).trim();
    Account account = server.accounts().get(name);
    OptimisticInterest.Mode mode = optimistic.mode(name);
    if (account == null || (mode != OptimisticInterest.Mode.OPTIMISTIC && mode != OptimisticInterest.Mode.NO_INTEREST)
        || (mode == OptimisticInterest.Mode.OPTIMISTIC) == add) {
      return;
    }
    optimistic.account(name, add);
    remoteAssumed(account, ALL, add);
  }

  private boolean ready(String op) {
    if (registered) {
      return true;
    }
    server.log().error(logPrefix + op + " before the gateway was registered");
    parser.close();
    closeConnection(ClosedReason.PROTOCOL_VIOLATION);
    return false;
  }

  // ---- interest, told (inbound) -------------------------------------------------------------

  /**
   * Tells the far side a subscription came or went in this cluster; the first plain one of an
   * account first switches the account to interest-only mode there (all its subscriptions,
   * between the start and complete commands).
   */
  void tell(GatewayInterest.News news) {
    GatewayInterest.Key k = news.key();
    if (k.queue() != null) {
      queue(line(news.added(), news.account(), k.subject(), k.queue()));
    } else if (!switched.contains(news.account())) {
      switchAccount(news.account());
    } else {
      queue(line(news.added(), news.account(), k.subject(), null));
    }
  }

  /** Sends every queue group, then switches {@code accounts} (nats-server on inbound registration). */
  void tellAll(java.util.Map<String, List<GatewayInterest.Key>> queues, java.util.Collection<String> accounts) {
    queues.forEach((account, keys) -> keys.forEach(k -> send(line(true, account, k.subject(), k.queue()))));
    for (String a : accounts) {
      switchAccount(a);
    }
  }

  private void switchAccount(String account) {
    if (!switched.add(account)) {
      return;
    }
    queue(command(CMD_ALL_SUBS_START, account));
    for (String subject : gateways.plainInterest(account)) {
      queue(line(true, account, subject, null));
    }
    queue(command(CMD_ALL_SUBS_COMPLETE, account));
  }

  private byte[] command(byte cmd, String account) {
    JsonObject i = new JsonObject().put("gateway", gateways.options().name()).put("gateway_cmd", cmd)
        .put("gateway_cmd_payload", java.util.Base64.getEncoder().encodeToString(account.getBytes(StandardCharsets.UTF_8)));
    return ("INFO " + i.encode() + "\r\n").getBytes(StandardCharsets.UTF_8);
  }

  /** Gossip of another cluster's gateway URLs (nats-server's gossipGatewaysToInboundGateway). */
  void gossip(String name, List<String> urls) {
    JsonObject i = new JsonObject().put("server_id", server.serverId()).put("gateway", name)
        .put("gateway_urls", new JsonArray(urls)).put("gateway_cmd", CMD_GOSSIP);
    queue(("INFO " + i.encode() + "\r\n").getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] line(boolean added, String account, String subject, String queue) {
    String s = (added ? "RS+ " : "RS- ") + account + " " + subject
        + (queue == null ? "" : " " + queue + (added ? " 1" : "")) + "\r\n";
    return s.getBytes(StandardCharsets.UTF_8);
  }

  // ---- messages (inbound) -------------------------------------------------------------------

  @Override
  public void onRoutedMsg(PubArgs pa, ByteBuf payload, int index) {
    if (!ready("RMSG")) {
      return;
    }
    inMsgs++;
    inBytes += pa.size;
    Account account = accountOf(pa);
    if (account == null) {
      return;
    }
    if (MsgFrame.isRoutedReply(pa.line, pa.subjectOff, pa.subjectLen)) {
      gateways.replies().deliverRouted(this, account, pa, payload, index, server.cluster());
      return;
    }
    deliverInbound(account, pa, payload, index);
  }

  /** Sends what came over this link on to {@code route}, as it came. */
  boolean relay(Link route, Account account, PubArgs pa, ByteBuf payload, int index) {
    return forwardWhole(route, account, pa, payload, index);
  }

  /** Delivers what came over this link as if it came with {@code pa}'s subject (a routed reply, unwrapped). */
  void deliver(Account account, PubArgs pa, ByteBuf payload, int index) {
    deliverInbound(account, pa, payload, index);
  }

  // ---- what the far side says otherwise -----------------------------------------------------

  @Override
  public void onErr(String text) {
    server.log().error(logPrefix + "Gateway Error " + text);
    parser.close();
    closeConnection(ClosedReason.PARSE_ERROR);
  }


  @Override
  protected Account account(String name) {
    return server.accounts().get(name);
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
    server.log().info(logPrefix + "Gateway connection closed: " + closedReason().text());
    gateways.closed(this);
  }
}
