package io.natsvx.client;

import io.natsvx.auth.AuthService;
import io.natsvx.config.Defaults;
import io.natsvx.config.TlsOptions;
import io.natsvx.conn.ClosedReason;
import io.natsvx.internal.NKeys;
import io.natsvx.protocol.ConnectOptions;
import io.natsvx.server.ServerContext;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Future;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;

/**
 * One client's authentication, from INFO to close: the nonce and the auth timer, the check of
 * CONNECT (at once, or later from bcrypt or a plugin, holding the bytes that follow), the
 * account slot and the CONNECT event, the user token's expiry, and the checks again after a
 * reload or a new account token, with nats-server's texts and outcomes. The client's loop only.
 */
final class ClientAuth {

  private static final AuthService.Result REFUSED = new AuthService.Result(false, null, null);

  private final ClientConnection client;
  private final ServerContext server;
  private boolean pending;
  /** Whether this connection holds one of its account's connection slots. */
  private boolean inAccount;
  /** Whether a CONNECT event went out, so a DISCONNECT event follows the close. */
  private boolean announced;
  private String nonce;
  private String user;
  /** From a user token: -1 for no limit of its own. */
  private long userMaxSubscriptions = -1;
  private ScheduledFuture<?> expiryTimer;
  private ScheduledFuture<?> timer;
  /** Bytes after a CONNECT whose check is still running. */
  private ByteBuf held;

  ClientAuth(ClientConnection client, ServerContext server) {
    this.client = client;
    this.server = server;
  }

  /** The authentication for this client's port (a websocket block may have its own). */
  private AuthService service() {
    return server.auth(client.webSocket());
  }

  /** Whether the client still has to authenticate. */
  boolean pending() { return pending; }
  String nonce() { return nonce; }
  /** The authenticated user's name (or nkey); null without authentication. */
  String user() { return user; }
  long userMaxSubscriptions() { return userMaxSubscriptions; }

  /** Before INFO: whether authentication is required, and the nonce INFO carries. */
  void begin() {
    AuthService auth = service();
    pending = auth.required();
    if (pending && auth.needsNonce()) {
      nonce = NKeys.nonce();
    }
  }

  /** After INFO: CONNECT must come first, within the auth timeout. */
  void startTimer() {
    if (pending && !client.isClosed()) {
      client.parser().connectFirst(true);
      timer = client.eventLoop().schedule(this::timedOut, timeoutMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** nats-server's default auth timeout is the TLS timeout plus a second when TLS is on. */
  private long timeoutMillis() {
    TlsOptions tls = server.options().tls();
    java.time.Duration ws = client.webSocket() ? server.options().webSocket().authTimeout() : java.time.Duration.ZERO;
    if (!ws.isZero()) {
      return ws.toMillis();
    }
    long configured = server.options().authTimeout().toMillis();
    if (tls != null && server.options().authTimeout().equals(Defaults.AUTH_TIMEOUT)) {
      return Math.max(configured, tls.timeout().toMillis() + 1000);
    }
    return configured;
  }

  private void timedOut() {
    timer = null;
    if (!client.isClosed() && pending) {
      client.logDebug("Authentication Timeout");
      client.parser().close();
      client.errorAndClose("Authentication Timeout", ClosedReason.AUTHENTICATION_TIMEOUT);
    }
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  /** An operation before CONNECT: allowed with a no_auth_user (telnet demos), as nats-server. */
  boolean beforeConnect() {
    AuthService auth = service();
    if (auth.hasNoAuthUser()) {
      authenticated(auth.noAuthUser());
      return takeAccountSlot();
    }
    violation();
    return false;
  }

  /** CONNECT arrived (already parsed into the client's options): check it, now or later. */
  void connect(ConnectOptions parsed) {
    if (!pending) {
      finishConnect(parsed);
      return;
    }
    cancelTimer();
    Future<AuthService.Result> check = service().authenticate(parsed, nonce, mappedCertificate(),
        client.remoteHost(), client.remotePort(), client.id());
    if (check.isComplete()) {
      AuthService.Result r = check.succeeded() ? check.result() : REFUSED;
      if (r.ok()) {
        authenticated(r);
        finishConnect(parsed);
      } else {
        violation();
      }
      return;
    }
    // A bcrypt check or a plugin answers later: hold everything after this CONNECT until it
    // does, and give up on it after the auth timeout.
    client.parser().suspend();
    client.autoRead(false);
    timer = client.eventLoop().schedule(this::timedOut, timeoutMillis(), TimeUnit.MILLISECONDS);
    check.onComplete(ar -> client.eventLoop().execute(() -> checked(parsed, ar.succeeded() ? ar.result() : REFUSED)));
  }

  private X509Certificate mappedCertificate() {
    TlsOptions tls = server.options().tls();
    return tls != null && tls.verifyAndMap() ? client.peerCertificate() : null;
  }

  /** Keeps bytes that came after a CONNECT whose check is running. */
  void hold(ByteBuf buf, int from) {
    held = held == null ? Unpooled.buffer() : held;
    held.writeBytes(buf, from, buf.writerIndex() - from);
  }

  /** Back on the client's loop with the check's answer: go on, or refuse. */
  private void checked(ConnectOptions parsed, AuthService.Result r) {
    if (client.isClosed()) {
      return;
    }
    cancelTimer();
    if (!r.ok()) {
      violation();
    } else {
      authenticated(r);
      finishConnect(parsed);
    }
    if (client.parser().isSuspended()) {
      client.parser().resume();
      client.autoRead(true);
      ByteBuf rest = held;
      held = null;
      if (rest != null) {
        if (!client.isClosed()) {
          client.readHeld(rest);
        }
        rest.release();
      }
      client.flushTouched();
    }
  }

  private void authenticated(AuthService.Result r) {
    pending = false;
    cancelTimer();
    client.parser().connectFirst(false);
    user = r.user();
    client.grants().set(r.permissions(), false);
    if (r.account() != null && server.accounts().get(r.account()) != null) {
      client.account(server.accounts().get(r.account()));
    }
    userMaxSubscriptions = r.maxSubscriptions();
    if (r.expiresAtSeconds() > 0) {
      long in = r.expiresAtSeconds() * 1000 - System.currentTimeMillis();
      expiryTimer = client.eventLoop().schedule(this::expired, Math.max(0, in), TimeUnit.MILLISECONDS);
    }
    int maxPayload = server.options().maxPayload();
    int accountMaxPayload = client.account().limits().maxPayload();
    if (accountMaxPayload > 0) {
      maxPayload = Math.min(maxPayload, accountMaxPayload);
    }
    if (r.maxPayload() > 0) {
      maxPayload = (int) Math.min(maxPayload, r.maxPayload());
    }
    if (maxPayload != server.options().maxPayload()) {
      client.parser().limits(server.options().maxControlLine(), maxPayload);
    }
  }

  /** The user token expired while connected: out, as nats-server does. */
  private void expired() {
    expiryTimer = null;
    if (!client.isClosed()) {
      client.logDebug("User Authentication Expired");
      client.errorAndClose("User Authentication Expired", ClosedReason.AUTHENTICATION_EXPIRED);
    }
  }

  private void violation() {
    server.authErrors.increment();
    String u = client.connectOptions().user();
    client.logError((u != null ? "\"" + u + "\" - " : "") + "authentication error");
    client.parser().close();
    client.errorAndClose("Authorization Violation", ClosedReason.AUTHENTICATION_VIOLATION);
  }

  /** Counts this connection in its account; refuses it past the account's max_connections. */
  private boolean takeAccountSlot() {
    if (inAccount) {
      return true;
    }
    if (!client.account().addConnection()) {
      client.logError("maximum account active connections exceeded");
      client.parser().close();
      client.errorAndClose("maximum account active connections exceeded",
          ClosedReason.MAX_ACCOUNT_CONNECTIONS_EXCEEDED);
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
      client.parser().close();
      client.errorAndClose("invalid client protocol", ClosedReason.BAD_CLIENT_PROTOCOL_VERSION);
      return;
    }
    if (parsed.noResponders() && !client.takesHeaders()) {
      client.parser().close();
      client.errorAndClose("no responders requires headers support", ClosedReason.NO_RESPONDERS_REQUIRES_HEADERS);
      return;
    }
    client.ok();
    // The system account hears of clients of named accounts (nats-server 2.10 leaves $G out).
    if (!announced && client.account() != server.globalAccount()) {
      announced = true;
      server.system().clientConnected(client.info(false, 0));
    }
  }

  /** Its account's token was replaced or deleted. */
  void claimsChanged(boolean deleted) {
    if (client.isClosed()) {
      return;
    }
    if (deleted) {
      client.logDebug("Account Authentication Expired");
      client.errorAndClose("Account Authentication Expired", ClosedReason.AUTHENTICATION_EXPIRED);
      return;
    }
    var operator = service().operator();
    if (operator != null && operator.revoked(client.connectOptions())) {
      client.logDebug("User Authentication Revoked");
      client.errorAndClose("User Authentication Revoked", ClosedReason.AUTHENTICATION_REVOKED);
      return;
    }
    recheck();
  }

  /**
   * After a reload, as nats-server does: a client whose credentials no longer pass (or that now
   * lands in another account) is refused and closed; one whose permissions changed keeps only
   * the subscriptions they still allow.
   */
  void recheck() {
    if (client.isClosed() || !client.connectReceived() || pending) {
      return;
    }
    AuthService auth = service();
    if (!auth.required()) {
      client.permissionsChanged(null);
      return;
    }
    if (auth.decidedByCallout(client.connectOptions())) {
      return; // its service authorized it once; a reload does not ask again
    }
    auth.authenticate(client.connectOptions(), nonce, mappedCertificate(), client.remoteHost(), client.remotePort(),
        client.id()).onComplete(ar -> client.eventLoop().execute(() -> {
          if (client.isClosed()) {
            return;
          }
          AuthService.Result r = ar.succeeded() ? ar.result() : REFUSED;
          String accountName = r.account() == null ? server.globalAccount().name() : r.account();
          if (!r.ok() || !accountName.equals(client.account().name())) {
            violation();
            return;
          }
          user = r.user();
          client.permissionsChanged(r.permissions());
        }));
  }

  /** The connection closed: timers, held bytes, the account slot, the DISCONNECT event. */
  void close() {
    if (expiryTimer != null) {
      expiryTimer.cancel(false); // a token may expire in a year: do not hold the connection till then
      expiryTimer = null;
    }
    if (announced) {
      server.system().clientDisconnected(client.info(false, System.currentTimeMillis()));
    }
    if (inAccount) {
      inAccount = false;
      client.account().removeConnection();
    }
    cancelTimer();
    if (held != null) {
      held.release();
      held = null;
    }
  }
}
