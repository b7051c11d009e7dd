package io.natsvx.client;

import io.natsvx.server.ServerContext;
import io.natsvx.account.Account;
import io.natsvx.account.ResponseRoute;
import io.natsvx.account.ServiceImport;
import io.natsvx.account.StreamImport;
import io.natsvx.auth.AuthService;
import io.natsvx.protocol.ConnectOptions;
import io.natsvx.internal.NKeys;
import io.natsvx.auth.Permissions;
import io.natsvx.config.Defaults;
import io.natsvx.config.TlsOptions;
import java.security.cert.X509Certificate;
import io.natsvx.config.ServerOptions;
import io.natsvx.conn.ClosedReason;
import io.natsvx.conn.Connection;
import io.natsvx.conn.ConnectionInfo;
import io.natsvx.conn.ConnectionKind;
import io.natsvx.conn.Dispatch;
import io.natsvx.conn.MsgFrame;
import io.natsvx.conn.Outbound;
import io.natsvx.conn.Producer;
import io.natsvx.protocol.ProtocolError;
import io.natsvx.protocol.ProtocolHandler;
import io.natsvx.protocol.ProtocolParser;
import io.natsvx.protocol.PubArgs;
import io.natsvx.subject.MatchResult;
import io.natsvx.subject.SubjectKey;
import io.natsvx.subject.Subjects;
import io.natsvx.subject.Subscription;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Future;

/**
 * A client connection: the client protocol (CONNECT, PUB/HPUB, SUB, UNSUB, PING/PONG) on top of
 * the shared connection core. A publish is matched once in the account's index and written
 * straight into each subscriber's outbound buffer. Event-loop confined.
 */
public final class ClientConnection extends Connection implements ProtocolHandler {

  private static final byte[] PONG = "PONG\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
  /** Prefixes the server reserves: routed gateway replies, service-import replies, JetStream acks (2.10). */
  private static final byte[] GATEWAY_REPLY_PREFIX = "_GR_.".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SERVICE_REPLY_PREFIX = "_R_.".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] JS_ACK_PREFIX = "$JS.ACK.".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NO_RESPONDERS_HDR = "NATS/1.0 503\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final ByteBuf NO_RESPONDERS_PAYLOAD =
      Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(NO_RESPONDERS_HDR).asReadOnly());

  private final ServerContext server;
  private final ProtocolParser parser;
  private final HashMap<String, Subscription> subs = new HashMap<>();
  private final SubjectKey probe = new SubjectKey();
  private final MsgFrame frame = new MsgFrame();
  /** For deliveries into other accounts; made on first use (most connections never need it). */
  private MsgFrame crossFrame;
  /** The global account until authentication names another; this loop only. */
  private Account account;
  private ConnectOptions opts = ConnectOptions.DEFAULTS;
  // Authentication and permissions (all on this connection's loop, but `replies`).
  private boolean authPending;
  /** Whether this connection holds one of its account's connection slots. */
  private boolean inAccount;
  /** Whether a CONNECT event went out, so a DISCONNECT event follows the close. */
  private boolean announced;
  private String nonce;
  private String authUser;
  /** From a user token: -1 for no limit of its own. */
  private long userMaxSubscriptions = -1;
  private ScheduledFuture<?> expiryTimer;
  private Permissions permissions;
  private ScheduledFuture<?> authTimer;
  private ByteBuf held;
  /** Publish permission decisions by subject; made when the user has publish permissions. */
  private HashMap<SubjectKey, Boolean> publishAllowed;
  /** Reply subjects this client received, which allow_responses lets it publish to. Any loop. */
  private java.util.concurrent.ConcurrentHashMap<String, long[]> replies;
  private boolean connectReceived;
  private boolean echo = true;
  private boolean headers;
  private int[] splitStarts = new int[4];
  private int[] splitEnds = new int[4];

  public ClientConnection(ServerContext server, ChannelHandlerContext ctx) {
    super(server, ctx);
    this.server = server;
    ServerOptions o = server.options();
    this.parser = new ProtocolParser(this, o.maxControlLine(), o.maxPayload());
    this.account = server.globalAccount();
  }

  @Override
  public ConnectionKind kind() {
    return ConnectionKind.CLIENT;
  }

  public ConnectOptions connectOptions() { return opts; }
  /** The authenticated user's name (or nkey); null without authentication. */
  public String authUser() { return authUser; }
  /** Whether CONNECT arrived: what an authentication timeout will wait for. */
  public boolean connectReceived() { return connectReceived; }
  public Account account() { return account; }
  @Override
  public int subscriptionCount() { return subs.size(); }

  @Override
  public ConnectionInfo info(boolean withSubs, long stop) {
    ConnectionInfo base = super.info(false, stop);
    java.util.List<ConnectionInfo.Sub> list = null;
    if (withSubs) {
      list = new java.util.ArrayList<>(subs.size());
      for (Subscription s : subs.values()) {
        list.add(new ConnectionInfo.Sub(account.name(), s.subject(), s.queue(), s.sid(), s.delivered(), s.max(), id));
      }
    }
    return new ConnectionInfo(base.cid(), base.kind(), base.ip(), base.port(), base.start(), base.lastActivity(),
        base.stop(), base.reason(), base.rttNanos(), base.pendingBytes(), base.inMsgs(), base.outMsgs(),
        base.inBytes(), base.outBytes(), subs.size(), opts.name(), opts.lang(), opts.version(), account.name(), list,
        authUser);
  }

  /** Takes reloaded limits; on this connection's loop. */
  @Override
  public void optionsReloaded() {
    ServerOptions o = server.options();
    parser.limits(o.maxControlLine(), o.maxPayload());
    outbound.maxPending(o.maxPending());
    reauthenticate();
  }

  @Override
  public void accountClaimsChanged(String name, boolean deleted) {
    if (!name.equals(account.name())) {
      return;
    }
    if (deleted) {
      accountDeleted();
      return;
    }
    // Its account's token was replaced: check this client again (it may now be revoked).
    var operator = server.auth().operator();
    if (!isClosed() && operator != null && opts != null && operator.revoked(opts)) {
      server.log().debug(logPrefix + "User Authentication Revoked");
      sendErrorAndClose("User Authentication Revoked", ClosedReason.AUTHENTICATION_REVOKED);
      return;
    }
    reauthenticate();
  }

  /**
   * After a reload, as nats-server does: a client whose credentials no longer pass (or that now
   * lands in another account) is refused and closed; one whose permissions changed keeps only
   * the subscriptions they still allow.
   */
  private void reauthenticate() {
    if (isClosed() || !connectReceived || authPending) {
      return;
    }
    AuthService auth = server.auth();
    if (!auth.required()) {
      applyPermissions(null);
      return;
    }
    if (auth.decidedByCallout(opts)) {
      return; // its service authorized it once; a reload does not ask again
    }
    TlsOptions tls = server.options().tls();
    X509Certificate mapped = tls != null && tls.verifyAndMap() ? peerCertificate : null;
    auth.authenticate(opts, nonce, mapped, remoteHost, remotePort, id()).onComplete(ar -> loop.execute(() -> {
      if (isClosed()) {
        return;
      }
      AuthService.Result r = ar.succeeded() ? ar.result() : new AuthService.Result(false, null, null);
      String accountName = r.account() == null ? server.globalAccount().name() : r.account();
      if (!r.ok() || !accountName.equals(account.name())) {
        authViolation();
        return;
      }
      authUser = r.user();
      applyPermissions(r.permissions());
    }));
  }

  private void applyPermissions(Permissions next) {
    permissions = next;
    publishAllowed = null;
    replies = next != null && next.responses() != null
        ? (replies != null ? replies : new java.util.concurrent.ConcurrentHashMap<>()) : null;
    if (next == null) {
      return;
    }
    for (Subscription sub : new java.util.ArrayList<>(subs.values())) {
      if (!next.canSubscribe(sub.subject(), sub.queue())) {
        removeSubscription(sub);
        sendError("Permissions Violation for Subscription to \"" + sub.subject() + "\" (sid \"" + sub.sid() + "\")");
      }
    }
    flushTouched();
  }

  /**
   * Greets the client: INFO (then TLS, or TLS first when handshake_first), the auth timer, the
   * keepalive. Called once the socket is set up.
   */
  public void start(boolean overConnectionLimit) {
    server.register(this);
    AuthService auth = server.auth();
    authPending = auth.required();
    if (authPending && auth.needsNonce()) {
      nonce = NKeys.nonce();
    }
    TlsOptions tls = server.options().tls();
    if (tls != null && server.sslContext() != null && tls.handshakeFirst()) {
      startTls(server.sslContext(), tls.timeout().toMillis(), () -> greet(overConnectionLimit));
    } else {
      greet(overConnectionLimit);
      if (tls != null && server.sslContext() != null && !isClosed()) {
        startTls(server.sslContext(), tls.timeout().toMillis(), () -> { });
      }
    }
    if (authPending && !isClosed()) {
      parser.connectFirst(true);
      authTimer = loop.schedule(this::authTimeout, authTimeoutMillis(tls), TimeUnit.MILLISECONDS);
    }
    server.log().debug(logPrefix + "Client connection created");
    startPings(Math.min(Defaults.FIRST_PING_INTERVAL.toMillis(), server.options().pingInterval().toMillis()));
  }

  /** INFO, written out at once: with TLS after INFO, it must leave before the handshake starts. */
  private void greet(boolean overConnectionLimit) {
    TlsOptions tls = server.options().tls();
    send(ClientInfo.build(server, id, remoteHost, server.isLameDuck(), authPending, nonce,
        tls != null, tls != null && tls.requiresClientCertificate()));
    if (overConnectionLimit) {
      server.log().error(logPrefix + "maximum connections exceeded");
      sendErrorAndClose("maximum connections exceeded", ClosedReason.MAX_CONNECTIONS_EXCEEDED);
      return;
    }
    flushTouched();
  }

  /** nats-server's default auth timeout is the TLS timeout plus a second when TLS is on. */
  private long authTimeoutMillis(TlsOptions tls) {
    long configured = server.options().authTimeout().toMillis();
    if (tls != null && server.options().authTimeout().equals(Defaults.AUTH_TIMEOUT)) {
      return Math.max(configured, tls.timeout().toMillis() + 1000);
    }
    return configured;
  }

  /** Tells the client about lame-duck mode with an async INFO (protocol 1 clients act on it). */
  @Override
  public void lameDuck() {
    if (!isClosed()) {
      TlsOptions tls = server.options().tls();
      sendNow(ClientInfo.build(server, 0, null, true, false, null, tls != null,
          tls != null && tls.requiresClientCertificate()));
    }
  }

  /** The cluster's client URLs changed: an async INFO to clients that asked for them (protocol 1). */
  @Override
  public void clusterUrlsChanged() {
    if (!isClosed() && connectReceived && !authPending && opts.protocol() >= 1) {
      TlsOptions tls = server.options().tls();
      sendNow(ClientInfo.build(server, 0, null, server.isLameDuck(), false, null, tls != null,
          tls != null && tls.requiresClientCertificate()));
    }
  }

  @Override
  protected void handleRead(ByteBuf buf) {
    int stopped = parser.parse(buf);
    if (parser.isSuspended() && stopped < buf.writerIndex()) {
      // Bytes after a CONNECT whose check is still running wait for its answer.
      held = held == null ? Unpooled.buffer() : held;
      held.writeBytes(buf, stopped, buf.writerIndex() - stopped);
    }
  }

  // ---- authentication ---------------------------------------------------------------------

  private void authTimeout() {
    authTimer = null;
    if (!isClosed() && authPending) {
      server.log().debug(logPrefix + "Authentication Timeout");
      parser.close();
      sendErrorAndClose("Authentication Timeout", ClosedReason.AUTHENTICATION_TIMEOUT);
    }
  }

  private void cancelAuthTimer() {
    if (authTimer != null) {
      authTimer.cancel(false);
      authTimer = null;
    }
  }

  @Override
  public boolean onOperationBeforeConnect() {
    AuthService auth = server.auth();
    if (auth.hasNoAuthUser()) {
      // As nats-server: with a no_auth_user, a client may start without CONNECT (telnet demos).
      authenticated(auth.noAuthUser());
      return takeAccountSlot();
    }
    authViolation();
    return false;
  }

  private void authenticated(AuthService.Result r) {
    authPending = false;
    cancelAuthTimer();
    parser.connectFirst(false);
    authUser = r.user();
    permissions = r.permissions();
    if (r.account() != null && server.accounts().get(r.account()) != null) {
      account = server.accounts().get(r.account());
    }
    userMaxSubscriptions = r.maxSubscriptions();
    if (r.expiresAtSeconds() > 0) {
      long in = r.expiresAtSeconds() * 1000 - System.currentTimeMillis();
      expiryTimer = loop.schedule(this::authExpired, Math.max(0, in), TimeUnit.MILLISECONDS);
    }
    int maxPayload = server.options().maxPayload();
    int accountMaxPayload = account.limits().maxPayload();
    if (accountMaxPayload > 0) {
      maxPayload = Math.min(maxPayload, accountMaxPayload);
    }
    if (r.maxPayload() > 0) {
      maxPayload = (int) Math.min(maxPayload, r.maxPayload());
    }
    if (maxPayload != server.options().maxPayload()) {
      parser.limits(server.options().maxControlLine(), maxPayload);
    }
    if (permissions != null && permissions.responses() != null) {
      replies = new java.util.concurrent.ConcurrentHashMap<>();
    }
  }

  /** The user token expired while connected: out, as nats-server does. */
  /** Its account was deleted from the resolver ($SYS.REQ.CLAIMS.DELETE); on its loop. */
  private void accountDeleted() {
    if (!isClosed()) {
      server.log().debug(logPrefix + "Account Authentication Expired");
      sendErrorAndClose("Account Authentication Expired", ClosedReason.AUTHENTICATION_EXPIRED);
    }
  }

  private void authExpired() {
    expiryTimer = null;
    if (!isClosed()) {
      server.log().debug(logPrefix + "User Authentication Expired");
      sendErrorAndClose("User Authentication Expired", ClosedReason.AUTHENTICATION_EXPIRED);
    }
  }

  private void authViolation() {
    server.authErrors.increment();
    server.log().error(logPrefix + (opts.user() != null ? "\"" + opts.user() + "\" - " : "")
        + "authentication error");
    parser.close();
    sendErrorAndClose("Authorization Violation", ClosedReason.AUTHENTICATION_VIOLATION);
  }

  /** Counts this connection in its account; refuses it past the account's max_connections. */
  private boolean takeAccountSlot() {
    if (inAccount) {
      return true;
    }
    if (!account.addConnection()) {
      server.log().error(logPrefix + "maximum account active connections exceeded");
      parser.close();
      sendErrorAndClose("maximum account active connections exceeded", ClosedReason.MAX_ACCOUNT_CONNECTIONS_EXCEEDED);
      return false;
    }
    inAccount = true;
    return true;
  }

  /** The rest of CONNECT, after the credentials passed (or none were needed). */
  private void finishConnect(ConnectOptions parsed) {
    if (!takeAccountSlot()) {
      return;
    }
    if (parsed.protocol() < 0 || parsed.protocol() > 1) {
      parser.close();
      sendErrorAndClose("invalid client protocol", ClosedReason.BAD_CLIENT_PROTOCOL_VERSION);
      return;
    }
    if (parsed.noResponders() && !headers) {
      parser.close();
      sendErrorAndClose("no responders requires headers support", ClosedReason.NO_RESPONDERS_REQUIRES_HEADERS);
      return;
    }
    if (parsed.verbose()) {
      send(OK);
    }
    announceConnect();
  }

  /** The system account hears of clients of named accounts (nats-server 2.10 leaves $G out). */
  private void announceConnect() {
    if (!announced && account != server.globalAccount()) {
      announced = true;
      server.system().clientConnected(info(false, 0));
    }
  }

  /** Back on this loop with the check's answer: go on, or refuse. */
  private void authChecked(ConnectOptions parsed, AuthService.Result r) {
    if (isClosed()) {
      return;
    }
    cancelAuthTimer();
    if (!r.ok()) {
      authViolation();
    } else {
      authenticated(r);
      finishConnect(parsed);
    }
    if (parser.isSuspended()) {
      parser.resume();
      channel.config().setAutoRead(true);
      ByteBuf rest = held;
      held = null;
      if (rest != null) {
        if (!isClosed()) {
          handleRead(rest);
        }
        rest.release();
      }
      flushTouched();
    }
  }

  private void trace(String dir, String text) {
    server.log().trace(logPrefix + dir + "[" + text.replace("\r\n", "\\r\\n") + "]");
  }

  // ---- protocol ---------------------------------------------------------------------------

  @Override
  public void onConnect(byte[] json, int off, int len) {
    if (server.log().isTrace()) {
      trace("<<- ", "CONNECT " + new String(json, off, len, StandardCharsets.UTF_8));
    }
    ConnectOptions parsed;
    try {
      parsed = ConnectOptions.parse(new String(json, off, len, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      server.log().error(logPrefix + "processConnect: invalid CONNECT JSON: " + e.getMessage());
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
    if (!authPending) {
      finishConnect(parsed);
      return;
    }
    cancelAuthTimer();
    TlsOptions tls = server.options().tls();
    X509Certificate mapped = tls != null && tls.verifyAndMap() ? peerCertificate : null;
    Future<AuthService.Result> check = server.auth().authenticate(parsed, nonce, mapped, remoteHost, remotePort, id());
    if (check.isComplete()) {
      AuthService.Result r = check.succeeded() ? check.result() : new AuthService.Result(false, null, null);
      if (r.ok()) {
        authenticated(r);
        finishConnect(parsed);
      } else {
        authViolation();
      }
      return;
    }
    // A bcrypt check or a plugin answers later: hold everything after this CONNECT until it
    // does, and give up on it after the auth timeout.
    parser.suspend();
    channel.config().setAutoRead(false);
    authTimer = loop.schedule(this::authTimeout, authTimeoutMillis(server.options().tls()), TimeUnit.MILLISECONDS);
    check.onComplete(ar -> loop.execute(() ->
        authChecked(parsed, ar.succeeded() ? ar.result() : new AuthService.Result(false, null, null))));
  }

  @Override
  public void onInfo(byte[] json, int off, int len) {
    // Clients have nothing to tell the server with INFO; nats-server ignores it too.
  }

  @Override
  public void onPing() {
    if (server.log().isTrace()) {
      trace("<<- ", "PING");
    }
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
    server.log().error(logPrefix + "Client Error " + text);
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
    server.log().error(logPrefix + "Client parser ERROR " + error + ": " + detail);
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
      trace("<<- ", (pa.hasHeaders() ? "HPUB " : "PUB ") + new String(pa.line, pa.subjectOff, end - pa.subjectOff, StandardCharsets.UTF_8));
      server.log().trace(logPrefix + "<<- MSG_PAYLOAD: [\"" + payload.toString(index, pa.size, StandardCharsets.UTF_8)
          .replace("\r\n", "\\r\\n") + "\"]");
    }
    // nats-server's order: the pedantic check at the PUB line, then permissions, then +OK.
    if (opts.pedantic() && !Subjects.isValidLiteralSubject(pa.line, pa.subjectOff, pa.subjectLen)) {
      sendError("Invalid Publish Subject");
    }
    probe.set(pa.line, pa.subjectOff, pa.subjectLen);
    if (startsWith(pa.line, pa.subjectOff, pa.subjectLen, GATEWAY_REPLY_PREFIX)
        || (permissions != null && permissions.restrictsPublish() && !publishAllowed(probe))) {
      String subject = probe.subject();
      server.log().error(logPrefix + "Publish Violation - " + userForLog() + ", Subject \"" + subject + "\"");
      sendError("Permissions Violation for Publish to \"" + subject + "\"");
      return;
    }
    if (pa.replyOff >= 0 && (startsWith(pa.line, pa.replyOff, pa.replyLen, GATEWAY_REPLY_PREFIX)
        || startsWith(pa.line, pa.replyOff, pa.replyLen, SERVICE_REPLY_PREFIX)
        || startsWith(pa.line, pa.replyOff, pa.replyLen, JS_ACK_PREFIX))) {
      String reply = pa.reply();
      server.log().error(logPrefix + "Publish Violation - " + userForLog() + ", Reply \"" + reply + "\"");
      sendError("Permissions Violation for Publish with Reply of \"" + reply + "\"");
      return;
    }
    if (opts.verbose()) {
      send(OK);
    }
    MatchResult result = account.subjects().match(probe);
    boolean delivered = !result.isEmpty()
        && Dispatch.deliver(this, account.nameBytes(), result, frame.set(pa, payload, index), probe, true, null);
    if (account.crossesAccounts()) {
      delivered |= crossAccounts(pa, payload, index);
    }
    if (!delivered && pa.replyOff >= 0 && opts.noResponders()) {
      sendNoResponders(pa);
    }
  }

  /**
   * What this account shares: a response routed back to the account that asked, the streams
   * other accounts import from this one, the services this one imports (the request goes to the
   * exporter with a reply subject that routes its answer back). True if anyone got it.
   */
  private boolean crossAccounts(PubArgs pa, ByteBuf payload, int index) {
    String subject = probe.subject();
    boolean delivered = false;
    if (account.mayBeResponse(subject)) {
      ResponseRoute route = account.takeResponse(subject);
      if (route != null) {
        delivered = deliverIn(route.requester(), route.reply(), null, pa, payload, index);
      }
    }
    for (StreamImport si : account.streamImporters()) {
      String mapped = si.map(subject);
      if (mapped != null) {
        delivered |= deliverIn(si.importer(), mapped, pa.reply(), pa, payload, index);
      }
    }
    for (ServiceImport svc : account.serviceImports()) {
      String mapped = svc.map(subject);
      if (mapped != null) {
        String reply = pa.replyOff < 0 ? null
            : svc.exporter().routeResponse(account, pa.reply(), svc.responseType(), svc.responseThreshold().toNanos());
        delivered |= deliverIn(svc.exporter(), mapped, reply, pa, payload, index);
      }
    }
    return delivered;
  }

  /** Delivers the published payload into another account, on its subject there. */
  private boolean deliverIn(Account target, String subject, String reply, PubArgs pa, ByteBuf payload, int index) {
    SubjectKey key = SubjectKey.of(subject);
    MatchResult r = target.subjects().match(key);
    if (r.isEmpty()) {
      return false;
    }
    byte[] s = subject.getBytes(StandardCharsets.UTF_8);
    byte[] rep = reply == null ? null : reply.getBytes(StandardCharsets.UTF_8);
    if (crossFrame == null) {
      crossFrame = new MsgFrame();
    }
    crossFrame.set(s, 0, s.length, rep, rep == null ? -1 : 0, rep == null ? 0 : rep.length, pa.headerSize, pa.size,
        payload, index);
    // Links carry the message in its own account; the far server makes its own imports.
    return Dispatch.deliver(this, target.nameBytes(), r, crossFrame, key, false, null);
  }

  /** nats-server's pubAllowed: the lists, cached per subject, then replies this client received. */
  private boolean publishAllowed(SubjectKey subject) {
    if (publishAllowed == null) {
      publishAllowed = new HashMap<>();
    }
    Boolean cached = publishAllowed.get(subject);
    if (cached != null) {
      return cached;
    }
    boolean allowed = permissions.canPublish(subject);
    if (!allowed && replies != null) {
      long[] r = replies.get(subject.subject());
      if (r != null) {
        r[1]++;
        var resp = permissions.responses();
        boolean tooMany = resp.max() > 0 && r[1] > resp.max();
        boolean expired = !resp.expires().isZero() && System.nanoTime() - r[0] > resp.expires().toNanos();
        if (tooMany || expired) {
          replies.remove(subject.subject());
        } else {
          allowed = true;
        }
      }
      return allowed; // reply grants change over time: not cached
    }
    if (publishAllowed.size() >= 256) {
      publishAllowed.clear();
    }
    publishAllowed.put(subject.copyKey(), allowed);
    return allowed;
  }

  /** Longer than the prefix and starting with it, as nats-server tests these prefixes. */
  private static boolean startsWith(byte[] b, int off, int len, byte[] prefix) {
    return len > prefix.length && java.util.Arrays.equals(b, off, off + prefix.length, prefix, 0, prefix.length);
  }

  private String userForLog() {
    return authUser != null ? "User \"" + authUser + "\"" : "cid " + id;
  }

  /**
   * Takes one delivery to its subscription {@code sub} from {@code producer} (on the producer's
   * loop): echo, the deny list, then the outbound. True when it was taken.
   */
  @Override
  public boolean receive(Producer producer, MsgFrame f, Subscription sub, SubjectKey subject) {
    if (producer == this && !echo) {
      return false;
    }
    if (sub.checksDelivery() && permissions.denies(subject)) {
      return false;
    }
    int r = producer.deliver(this, f, sub, !headers);
    if (replies != null && f.hasReply()) {
      replies.put(f.reply(), new long[] {System.nanoTime(), 0});
    }
    if ((r & Outbound.LAST) != 0) {
      autoUnsubscribed(sub);
    }
    r &= Outbound.RESULT;
    return r == Outbound.OK || r == Outbound.STALLED;
  }

  private void sendNoResponders(PubArgs pa) {
    Subscription own = subForReply(pa.reply());
    if (own == null) {
      return;
    }
    // HMSG <reply> <sid> 16 16 with a bare 503 status header, as nats-server sends it.
    frame.set(pa.line, pa.replyOff, pa.replyLen, null, -1, 0, NO_RESPONDERS_HDR.length, NO_RESPONDERS_HDR.length,
        NO_RESPONDERS_PAYLOAD, 0);
    if ((deliver(this, frame, own, false) & Outbound.LAST) != 0) {
      autoUnsubscribed(own);
    }
  }

  private Subscription subForReply(String reply) {
    MatchResult r = account.subjects().match(reply);
    for (Subscription s : r.plain()) {
      if (s.owner() == this) {
        return s;
      }
    }
    return null;
  }

  @Override
  public void onSub(byte[] args, int off, int len) {
    int n = split(args, off, len);
    String subject;
    String queue = null;
    String sid;
    if (n == 2) {
      subject = token(args, 0);
      sid = token(args, 1);
    } else if (n == 3) {
      subject = token(args, 0);
      queue = token(args, 1);
      sid = token(args, 2);
    } else {
      server.log().error(logPrefix + "processSub Parse Error: '" + new String(args, off, len, StandardCharsets.UTF_8) + "'");
      parser.close();
      closeConnection(ClosedReason.PROTOCOL_VIOLATION);
      return;
    }
    if (server.log().isTrace()) {
      trace("<<- ", "SUB " + subject + (queue == null ? "" : " " + queue) + " " + sid);
    }
    int max = server.options().maxSubscriptions();
    int accountMax = account.limits().maxSubscriptions();
    if ((max > 0 && subs.size() >= max) || (accountMax > 0 && account.subjects().count() >= accountMax)
        || (userMaxSubscriptions >= 0 && subs.size() >= userMaxSubscriptions)) {
      server.log().error(logPrefix + "maximum subscriptions exceeded");
      sendError("maximum subscriptions exceeded");
      return;
    }
    if (subs.containsKey(sid)) {
      if (opts.verbose()) {
        send(OK);
      }
      return;
    }
    if (permissions != null && !permissions.canSubscribe(subject, queue)) {
      server.log().error(logPrefix + "Subscription Violation - " + userForLog() + ", Subject \"" + subject
          + "\"" + (queue == null ? "" : ", Queue: \"" + queue + "\"") + ", SID " + sid);
      sendError("Permissions Violation for Subscription to \"" + subject + "\""
          + (queue == null ? "" : " using queue \"" + queue + "\""));
      return;
    }
    if (!Subjects.isValidSubject(subject)) {
      sendError("Invalid Subject");
      return;
    }
    Subscription sub = new Subscription(this, subject, queue, sid);
    if (permissions != null && permissions.needsDeliveryCheck(subject)) {
      sub.checkDelivery();
    }
    subs.put(sid, sub);
    account.subscribe(sub);
    if (opts.verbose()) {
      send(OK);
    }
  }

  @Override
  public void onUnsub(byte[] args, int off, int len) {
    if (server.log().isTrace()) {
      trace("<<- ", "UNSUB " + new String(args, off, len, StandardCharsets.UTF_8));
    }
    int n = split(args, off, len);
    if (n != 1 && n != 2) {
      server.log().error(logPrefix + "processUnsub Parse Error: '" + new String(args, off, len, StandardCharsets.UTF_8) + "'");
      parser.close();
      closeConnection(ClosedReason.PROTOCOL_VIOLATION);
      return;
    }
    String sid = token(args, 0);
    long max = n == 2 ? parseSize(args, 1) : -1;
    Subscription sub = subs.get(sid);
    if (sub != null && !sub.limit(max)) {
      removeSubscription(sub);
    }
    if (opts.verbose()) {
      send(OK);
    }
  }

  /** A delivery reached the subscription's UNSUB max; may run on any loop. */
  private void autoUnsubscribed(Subscription sub) {
    if (eventLoop().inEventLoop()) {
      removeSubscription(sub);
    } else {
      eventLoop().execute(() -> removeSubscription(sub));
    }
  }

  private void removeSubscription(Subscription sub) {
    if (subs.get(sub.sid()) != sub) {
      return;
    }
    subs.remove(sub.sid());
    sub.close();
    account.unsubscribe(sub);
  }

  @Override
  protected void cleanup() {
    parser.close();
    if (expiryTimer != null) {
      expiryTimer.cancel(false); // a token may expire in a year: do not hold the connection till then
      expiryTimer = null;
    }
    if (announced) {
      server.system().clientDisconnected(info(false, System.currentTimeMillis()));
    }
    if (inAccount) {
      inAccount = false;
      account.removeConnection();
    }
    cancelAuthTimer();
    if (held != null) {
      held.release();
      held = null;
    }
    if (subs.isEmpty()) {
      return;
    }
    for (Subscription s : subs.values()) {
      s.close();
    }
    account.unsubscribeAll(subs.values());
    subs.clear();
  }

  // ---- argument splitting (nats-server's splitArg: blanks separate) -------------------------

  private int split(byte[] b, int off, int len) {
    int n = 0;
    int start = -1;
    int end = off + len;
    for (int i = off; i < end; i++) {
      byte c = b[i];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        if (start >= 0) {
          addToken(n++, start, i);
          start = -1;
        }
      } else if (start < 0) {
        start = i;
      }
    }
    if (start >= 0) {
      addToken(n++, start, end);
    }
    return n;
  }

  private void addToken(int n, int start, int end) {
    if (n >= splitStarts.length) {
      splitStarts = java.util.Arrays.copyOf(splitStarts, n * 2);
      splitEnds = java.util.Arrays.copyOf(splitEnds, n * 2);
    }
    splitStarts[n] = start;
    splitEnds[n] = end;
  }

  private String token(byte[] b, int i) {
    return new String(b, splitStarts[i], splitEnds[i] - splitStarts[i], StandardCharsets.UTF_8);
  }

  private long parseSize(byte[] b, int i) {
    int from = splitStarts[i];
    int to = splitEnds[i];
    if (to - from == 0 || to - from > 9) {
      return -1;
    }
    long v = 0;
    for (int k = from; k < to; k++) {
      int d = b[k] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }
}
