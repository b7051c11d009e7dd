package io.natsvx.client;

import io.natsvx.account.Account;
import io.natsvx.config.Defaults;
import io.natsvx.config.ServerOptions;
import io.natsvx.config.TlsOptions;
import io.natsvx.conn.ClosedReason;
import io.natsvx.conn.Connection;
import io.natsvx.conn.ConnectionInfo;
import io.natsvx.conn.ConnectionKind;
import io.natsvx.conn.MsgFrame;
import io.natsvx.conn.Outbound;
import io.natsvx.conn.Producer;
import io.natsvx.conn.Transport;
import io.natsvx.auth.Permissions;
import io.natsvx.protocol.ConnectOptions;
import io.natsvx.protocol.ProtocolError;
import io.natsvx.protocol.ProtocolHandler;
import io.natsvx.protocol.ProtocolParser;
import io.natsvx.protocol.PubArgs;
import io.natsvx.server.ServerContext;
import io.natsvx.subject.SubjectKey;
import io.natsvx.subject.Subscription;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;

/**
 * A client connection: the client protocol (CONNECT, PUB/HPUB, SUB, UNSUB, PING/PONG) on top of
 * the shared connection core. Its jobs have classes of their own: authentication
 * ({@link ClientAuth}), publishing ({@link ClientPublisher}), subscriptions
 * ({@link ClientSubscriptions}) and permissions ({@link ClientPermissions}); this class reads
 * the protocol, takes deliveries and says what the client is. Event-loop confined.
 */
public final class ClientConnection extends Connection implements ProtocolHandler {

  private static final byte[] PONG = "PONG\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);

  private final ServerContext server;
  private final ProtocolParser parser;
  private final ClientAuth auth;
  private final ClientPermissions grants = new ClientPermissions();
  private final ClientSubscriptions subs = new ClientSubscriptions(this);
  private final ClientPublisher publisher = new ClientPublisher(this);
  /** The global account until authentication names another. */
  private Account account;
  private ConnectOptions opts = ConnectOptions.DEFAULTS;
  private boolean connectReceived;
  private boolean echo = true;
  private boolean headers;

  public ClientConnection(ServerContext server, ChannelHandlerContext ctx) {
    this(server, ctx, Transport.TCP);
  }

  public ClientConnection(ServerContext server, ChannelHandlerContext ctx, Transport transport) {
    super(server, ctx, transport);
    this.server = server;
    ServerOptions o = server.options();
    this.parser = new ProtocolParser(this, o.maxControlLine(), o.maxPayload());
    this.account = server.globalAccount();
    this.auth = new ClientAuth(this, server);
  }

  @Override
  public ConnectionKind kind() {
    return ConnectionKind.CLIENT;
  }

  public ConnectOptions connectOptions() { return opts; }
  /** The authenticated user's name (or nkey); null without authentication. */
  public String authUser() { return auth.user(); }
  /** Whether CONNECT arrived: what an authentication timeout will wait for. */
  public boolean connectReceived() { return connectReceived; }
  public Account account() { return account; }
  /** Whether this client came in on the WebSocket port. */
  @Override
  public int subscriptionCount() { return subs.count(); }

  @Override
  public ConnectionInfo info(boolean withSubs, long stop) {
    ConnectionInfo base = super.info(false, stop);
    return new ConnectionInfo(base.cid(), base.kind(), base.ip(), base.port(), base.start(), base.lastActivity(),
        base.stop(), base.reason(), base.rttNanos(), base.pendingBytes(), base.inMsgs(), base.outMsgs(),
        base.inBytes(), base.outBytes(), subs.count(), opts.name(), opts.lang(), opts.version(), account.name(),
        withSubs ? subs.describe(id) : null, auth.user(), webSocket() ? "websocket" : "nats");
  }

  // ---- for the classes that do this client's jobs -----------------------------------------

  ServerContext server() { return server; }
  ProtocolParser parser() { return parser; }
  ClientAuth auth() { return auth; }
  ClientPermissions grants() { return grants; }

  private final RoutedReplies routedReplies = new RoutedReplies();

  RoutedReplies routedReplies() { return routedReplies; }
  ClientSubscriptions subscriptions() { return subs; }
  void account(Account value) { account = value; }
  boolean takesHeaders() { return headers; }
  void autoRead(boolean on) { channel.config().setAutoRead(on); }
  void readHeld(ByteBuf rest) { handleRead(rest); }

  /** {@code +OK} when the client asked for verbose answers. */
  void ok() {
    if (opts.verbose()) {
      send(OK);
    }
  }

  void error(String text) { sendError(text); }
  void errorAndClose(String text, ClosedReason reason) { sendErrorAndClose(text, reason); }
  void logError(String text) { server.log().error(logPrefix + text); }
  void logDebug(String text) { server.log().debug(logPrefix + text); }

  String userForLog() {
    return auth.user() != null ? "User \"" + auth.user() + "\"" : "cid " + id;
  }

  void traceIn(String text) {
    if (server.log().isTrace()) {
      server.log().trace(logPrefix + "<<- [" + text.replace("\r\n", "\\r\\n") + "]");
    }
  }

  /** Arguments that do not parse close the connection, without an -ERR, as nats-server. */
  void parseError(String op, byte[] line, int off, int len) {
    logError(op + " Parse Error: '" + new String(line, off, len, StandardCharsets.UTF_8) + "'");
    parser.close();
    closeConnection(ClosedReason.PROTOCOL_VIOLATION);
  }

  /** New permissions after a reload: the subscriptions they no longer allow go. */
  void permissionsChanged(Permissions next) {
    grants.set(next, true);
    if (next != null) {
      subs.keepAllowed(grants);
      flushTouched();
    }
  }

  // ---- what the server tells it -----------------------------------------------------------

  /**
   * Greets the client: INFO (then TLS, or TLS first when handshake_first), the auth timer, the
   * keepalive. Called once the socket is set up.
   */
  public void start(boolean overConnectionLimit) {
    server.register(this);
    auth.begin();
    TlsOptions tls = webSocket() ? null : server.options().tls();
    if (tls != null && server.sslContext() != null && tls.handshakeFirst()) {
      startTls(server.sslContext(), tls.timeout().toMillis(), () -> greet(overConnectionLimit));
    } else {
      greet(overConnectionLimit);
      if (tls != null && server.sslContext() != null && !isClosed()) {
        startTls(server.sslContext(), tls.timeout().toMillis(), () -> { });
      }
    }
    auth.startTimer();
    server.log().debug(logPrefix + "Client connection created");
    startPings(Math.min(Defaults.FIRST_PING_INTERVAL.toMillis(), server.options().pingInterval().toMillis()));
  }

  /** INFO, written out at once: with TLS after INFO, it must leave before the handshake starts. */
  private void greet(boolean overConnectionLimit) {
    send(info(id, remoteHost, server.isLameDuck(), auth.pending(), auth.nonce()));
    if (overConnectionLimit) {
      logError("maximum connections exceeded");
      sendErrorAndClose("maximum connections exceeded", ClosedReason.MAX_CONNECTIONS_EXCEEDED);
      return;
    }
    flushTouched();
  }

  private byte[] info(long clientId, String clientIp, boolean lameDuck, boolean authRequired, String nonce) {
    TlsOptions tls = server.options().tls();
    return ClientInfo.build(server, clientId, clientIp, lameDuck, authRequired, nonce, tls != null,
        tls != null && tls.requiresClientCertificate(), webSocket());
  }

  /** Takes reloaded limits; on this connection's loop. */
  @Override
  public void optionsReloaded() {
    ServerOptions o = server.options();
    parser.limits(o.maxControlLine(), o.maxPayload());
    outbound.maxPending(o.maxPending());
    auth.recheck();
  }

  @Override
  public void accountClaimsChanged(String name, boolean deleted) {
    if (name.equals(account.name())) {
      auth.claimsChanged(deleted);
    }
  }

  /** Tells the client about lame-duck mode with an async INFO (protocol 1 clients act on it). */
  @Override
  public void lameDuck() {
    if (!isClosed()) {
      sendNow(info(0, null, true, false, null));
    }
  }

  /** The cluster's client URLs changed: an async INFO to clients that asked for them (protocol 1). */
  @Override
  public void clusterUrlsChanged() {
    if (!isClosed() && connectReceived && !auth.pending() && opts.protocol() >= 1) {
      sendNow(info(0, null, server.isLameDuck(), false, null));
    }
  }

  // ---- protocol ---------------------------------------------------------------------------

  @Override
  protected void handleRead(ByteBuf buf) {
    int stopped = parser.parse(buf);
    if (parser.isSuspended() && stopped < buf.writerIndex()) {
      auth.hold(buf, stopped); // what follows a CONNECT whose check is still running
    }
  }

  @Override
  public boolean onOperationBeforeConnect() {
    return auth.beforeConnect();
  }

  @Override
  public void onConnect(byte[] json, int off, int len) {
    String text = new String(json, off, len, StandardCharsets.UTF_8);
    traceIn("CONNECT " + text);
    ConnectOptions parsed;
    try {
      parsed = ConnectOptions.parse(text);
    } catch (RuntimeException e) {
      logError("processConnect: invalid CONNECT JSON: " + e.getMessage());
      parser.close();
      closeConnection(ClosedReason.PROTOCOL_VIOLATION);
      return;
    }
    opts = parsed;
    if (!connectReceived) {
      rttNanos = System.nanoTime() - startNanos; // as nats-server: connect to CONNECT
    }
    connectReceived = true;
    echo = parsed.echo();
    headers = !server.options().noHeaderSupport() && parsed.headers();
    parser.headersSupported(headers);
    auth.connect(parsed);
  }

  @Override
  public void onInfo(byte[] json, int off, int len) {
    // Clients have nothing to tell the server with INFO; nats-server ignores it too.
  }

  @Override
  public void onPing() {
    traceIn("PING");
    send(PONG);
  }

  @Override
  public void onPong() {
    pongReceived();
  }

  @Override
  public void onOk() {
    // A client's +OK carries nothing.
  }

  @Override
  public void onErr(String text) {
    logError("Client Error " + text);
    parser.close();
    closeConnection(ClosedReason.PARSE_ERROR);
  }

  @Override
  public void onProtocolError(ProtocolError error, String detail) {
    ClosedReason reason = switch (error) {
      case MAX_PAYLOAD -> ClosedReason.MAX_PAYLOAD_EXCEEDED;
      case MAX_CONTROL_LINE -> ClosedReason.MAX_CONTROL_LINE_EXCEEDED;
      case HEADERS_NOT_SUPPORTED -> ClosedReason.MSG_HEADER_VIOLATION;
      default -> ClosedReason.PROTOCOL_VIOLATION;
    };
    logError("Client parser ERROR " + error + ": " + detail);
    if (error.errText() != null) {
      sendErrorAndClose(error.errText(), reason);
    } else {
      closeConnection(reason);
    }
  }

  @Override
  public void onPub(PubArgs pa, ByteBuf payload, int index) {
    inMsgs++;
    inBytes += pa.size;
    if (server.log().isTrace()) {
      int end = pa.sizeOff + pa.sizeLen;
      traceIn((pa.hasHeaders() ? "HPUB " : "PUB ") + new String(pa.line, pa.subjectOff, end - pa.subjectOff,
          StandardCharsets.UTF_8));
      server.log().trace(logPrefix + "<<- MSG_PAYLOAD: [\"" + payload.toString(index, pa.size, StandardCharsets.UTF_8)
          .replace("\r\n", "\\r\\n") + "\"]");
    }
    publisher.publish(pa, payload, index);
  }

  @Override
  public void onSub(byte[] args, int off, int len) {
    subs.sub(args, off, len);
  }

  @Override
  public void onUnsub(byte[] args, int off, int len) {
    subs.unsub(args, off, len);
  }

  // ---- deliveries -------------------------------------------------------------------------

  /**
   * Takes one delivery to its subscription {@code sub} from {@code producer} (on the producer's
   * loop): echo, the deny list, then the outbound. True when it was taken.
   */
  @Override
  public boolean receive(Producer producer, MsgFrame f, Subscription sub, SubjectKey subject) {
    if (producer == this && !echo) {
      return false;
    }
    if (sub.checksDelivery() && grants.denies(subject)) {
      return false;
    }
    int r = producer.deliver(this, f, sub, !headers);
    if (f.routedReply() != null) {
      routedReplies.shown(f.reply(), f.routedReply());
    }
    if (f.hasReply() && grants.grantsReplies()) {
      grants.received(f.reply());
    }
    if ((r & Outbound.LAST) != 0) {
      subs.reachedMax(sub);
    }
    r &= Outbound.RESULT;
    return r == Outbound.OK || r == Outbound.STALLED;
  }

  @Override
  protected void cleanup() {
    parser.close();
    auth.close();
    subs.closeAll();
  }
}
