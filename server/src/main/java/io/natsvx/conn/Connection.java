package io.natsvx.conn;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import io.natsvx.subject.Subscription;
import java.util.ArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * What every connection kind shares: the socket, the outbound buffer and its flushing, the
 * targets touched by the current read (flushed once when the read completes), pings, slow
 * consumer handling and the close. Kinds add their protocol in {@link #onRead}. Event-loop
 * confined except where a method says otherwise.
 */
public abstract class Connection extends Producer implements Receiver {

  private static final byte[] PING = "PING\r\n".getBytes(StandardCharsets.US_ASCII);
  /** How long a producer pauses at most for a backed-up target, as nats-server's stall. */
  private static final long STALL_MAX_MILLIS = 5;

  protected final ConnectionHost host;
  protected final long id;
  protected final ChannelHandlerContext ctx;
  protected final Channel channel;
  private final Transport transport;
  protected final Outbound outbound;
  protected final String remoteHost;
  protected final int remotePort;
  protected final long startMillis = System.currentTimeMillis();
  protected final long startNanos = System.nanoTime();
  protected final String logPrefix;

  private final ArrayList<ByteBuf> writeBatch = new ArrayList<>();
  final Runnable flushTask = this::flush;
  private final Runnable resumeTask = this::resumeReading;
  private boolean closed;
  private volatile boolean closing;
  private ClosedReason closedReason;
  private boolean paused;
  private ScheduledFuture<?> pingTimer;
  private ScheduledFuture<?> writeDeadlineTimer;
  private int pingsOut;
  private long pingSentNanos;
  /** Round-trip time, nanoseconds: first from connect to CONNECT, then from our PINGs. */
  protected long rttNanos;
  private long writes;
  /** inMsgs/inBytes already added to the server's totals (added once per read, not per message). */
  private long reportedInMsgs;
  private long reportedInBytes;
  protected long inMsgs;
  protected long inBytes;
  protected long lastActivity = startMillis;

  protected Connection(ConnectionHost host, ChannelHandlerContext ctx) {
    this(host, ctx, Transport.TCP);
  }

  protected Connection(ConnectionHost host, ChannelHandlerContext ctx, Transport transport) {
    super(ctx.channel().eventLoop(), host.loopSlot(ctx.channel().eventLoop()));
    this.host = host;
    this.transport = transport;
    this.id = host.nextConnectionId();
    this.ctx = ctx;
    this.channel = ctx.channel();
    this.outbound = new Outbound(host.options().maxPending(), channel.unsafe().outboundBuffer(), loopSlot,
        host.loopSlots());
    SocketAddress remote = channel.remoteAddress();
    if (remote instanceof InetSocketAddress inet) {
      remoteHost = inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
      remotePort = inet.getPort();
    } else {
      remoteHost = String.valueOf(remote);
      remotePort = 0;
    }
    logPrefix = remoteHost + ":" + remotePort + " - " + kind().tag() + ":" + id + " - ";
  }

  /** Parses and handles one read. */
  protected abstract void handleRead(ByteBuf buf);

  /** Drops this connection's subscriptions and whatever the kind holds; called once on close. */
  protected abstract void cleanup();

  @Override
  public long id() {
    return id;
  }

  /** The server this connection runs in. */
  public ConnectionHost host() { return host; }
  public String remoteHost() { return remoteHost; }
  public int remotePort() { return remotePort; }
  public long startMillis() { return startMillis; }
  public long inMsgs() { return inMsgs; }
  public long inBytes() { return inBytes; }
  /** Batches handed to the socket so far (one write each); read it on this connection's loop. */
  public long writes() { return writes; }
  public Outbound outbound() { return outbound; }
  public boolean isClosed() { return closed; }
  public ClosedReason closedReason() { return closedReason; }

  /** What kind of connection this is, for monitoring's counts and lists. */
  public abstract ConnectionKind kind();

  // ---- what the server tells every connection (each kind acts on what concerns it) --------

  /** Reloaded options are in force; on this connection's loop. */
  public void optionsReloaded() {
  }

  /** The cluster's client URLs changed; on this connection's loop. */
  public void clusterUrlsChanged() {
  }

  /** The server entered lame-duck mode; on this connection's loop. */
  public void lameDuck() {
  }

  /** Account {@code name}'s token was replaced, or deleted; on this connection's loop. */
  public void accountClaimsChanged(String name, boolean deleted) {
  }

  /** Whether this connection's bytes go in WebSocket frames. */
  public final boolean webSocket() {
    return transport.webSocket();
  }

  /** Runs {@code task} on this connection's loop; false when the loop is gone with the server. */
  public final boolean onLoop(java.util.function.Consumer<Connection> task) {
    try {
      loop.execute(() -> task.accept(this));
      return true;
    } catch (RejectedExecutionException shuttingDown) {
      return false;
    }
  }

  final void onRead(ByteBuf buf) {
    if (closed) {
      return;
    }
    lastActivity = System.currentTimeMillis();
    try {
      handleRead(buf);
    } catch (RuntimeException e) {
      host.log().error(logPrefix + "internal error: " + e);
      closeConnection(ClosedReason.PROTOCOL_VIOLATION);
    }
  }

  final void onReadComplete() {
    reportIn();
    flushTouched();
  }

  private void reportIn() {
    if (inMsgs != reportedInMsgs) {
      host.countIn(inMsgs - reportedInMsgs, inBytes - reportedInBytes);
      reportedInMsgs = inMsgs;
      reportedInBytes = inBytes;
    }
  }

  final void onInactive() {
    closeConnection(ClosedReason.CLIENT_CLOSED);
  }

  final void onException(Throwable cause) {
    host.log().debug(logPrefix + "read error: " + cause.getMessage());
    closeConnection(ClosedReason.READ_ERROR);
  }

  final void onWritabilityChanged(boolean writable) {
    if (writable && writeDeadlineTimer != null) {
      writeDeadlineTimer.cancel(false);
      writeDeadlineTimer = null;
    }
  }

  // ---- sending ---------------------------------------------------------------------------

  /** Queues protocol bytes for this connection; flushed when the current read completes. */
  protected final void send(byte[] proto) {
    traceOut(proto);
    if ((outbound.append(proto) & Outbound.FIRST) != 0) {
      touch(this);
    }
  }

  /** Queues protocol bytes and writes them now (outside a read, e.g. from a timer). */
  protected final void sendNow(byte[] proto) {
    traceOut(proto);
    if (outbound.append(proto) != Outbound.CLOSED) {
      flush();
    }
  }

  private void traceOut(byte[] proto) {
    if (host.log().isTrace()) {
      String text = new String(proto, StandardCharsets.UTF_8).stripTrailing();
      host.log().trace(logPrefix + "->> [" + text + "]");
    }
  }

  @Override
  protected final void stalled(Connection target) {
    if (target != this) {
      pauseReading();
    }
  }

  /** Writes what the outbound holds; owner's loop only. */
  final void flush() {
    if (closed) {
      outbound.take(writeBatch); // releases what was handed over after the close
      writeBatch.clear();
      return;
    }
    ArrayList<ByteBuf> batch = writeBatch;
    int bytes = outbound.take(batch);
    outbound.reportOut(host);
    if (bytes == 0) {
      return;
    }
    int n = batch.size();
    for (int i = 0; i < n - 1; i++) {
      ctx.write(batch.get(i), ctx.voidPromise());
    }
    ctx.writeAndFlush(batch.get(n - 1), ctx.voidPromise());
    writes++;
    batch.clear();
    if (!channel.isWritable() && writeDeadlineTimer == null) {
      long deadline = host.options().writeDeadline().toMillis();
      writeDeadlineTimer = loop.schedule(this::writeDeadlineExceeded, deadline, TimeUnit.MILLISECONDS);
    }
  }

  private void writeDeadlineExceeded() {
    writeDeadlineTimer = null;
    if (closed || channel.isWritable()) {
      return;
    }
    host.countSlowConsumer();
    host.log().info(logPrefix + "Slow Consumer Detected: WriteDeadline of "
        + host.options().writeDeadline().toMillis() + "ms exceeded with " + outbound.pending() + " total bytes pending");
    closeConnection(ClosedReason.SLOW_CONSUMER_WRITE_DEADLINE);
  }

  /** Past max_pending: cut the connection. Safe from any thread. */
  final void slowConsumer() {
    if (closing) {
      return;
    }
    closing = true;
    loop.execute(() -> {
      if (closed) {
        return;
      }
      host.countSlowConsumer();
      host.log().info(logPrefix + "Slow Consumer Detected: MaxPending of " + host.options().maxPending() + " Exceeded");
      closeConnection(ClosedReason.SLOW_CONSUMER_PENDING_BYTES);
    });
  }

  private void pauseReading() {
    if (!paused) {
      paused = true;
      channel.config().setAutoRead(false);
      loop.schedule(resumeTask, STALL_MAX_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  private void resumeReading() {
    if (paused) {
      paused = false;
      if (!closed) {
        channel.config().setAutoRead(true);
      }
    }
  }

  // ---- TLS -------------------------------------------------------------------------------

  /** The client's certificate once a TLS handshake asked for one; null otherwise. */
  protected java.security.cert.X509Certificate peerCertificate;

  /** The far side's certificate after a TLS handshake; null without one. On this connection's loop. */
  public java.security.cert.X509Certificate peerCertificate() {
    return peerCertificate;
  }

  /**
   * Starts TLS on this socket; {@code onHandshake} runs on this loop once it succeeds. A failed
   * or slow handshake closes the connection, as nats-server does, without an -ERR.
   */
  protected final void startTls(io.netty.handler.ssl.SslContext sslContext, long timeoutMillis, Runnable onHandshake) {
    startTls(sslContext, null, 0, timeoutMillis, onHandshake);
  }

  /** The same as the dialling side: {@code peerHost} is the name the peer's certificate must carry. */
  protected final void startTls(io.netty.handler.ssl.SslContext sslContext, String peerHost, int peerPort,
      long timeoutMillis, Runnable onHandshake) {
    io.netty.handler.ssl.SslHandler ssl = SocketAdapter.addTls(ctx, sslContext, peerHost, peerPort);
    ScheduledFuture<?> timer = loop.schedule(() -> {
      if (!ssl.handshakeFuture().isDone() && !closed) {
        host.log().error(logPrefix + "TLS handshake timeout");
        closeConnection(ClosedReason.TLS_HANDSHAKE_ERROR);
      }
    }, timeoutMillis, TimeUnit.MILLISECONDS);
    ssl.handshakeFuture().addListener(f -> {
      timer.cancel(false);
      if (closed) {
        return;
      }
      if (!f.isSuccess()) {
        host.log().error(logPrefix + "TLS handshake error: " + f.cause().getMessage());
        closeConnection(ClosedReason.TLS_HANDSHAKE_ERROR);
        return;
      }
      try {
        java.security.cert.Certificate[] peer = ssl.engine().getSession().getPeerCertificates();
        if (peer.length > 0 && peer[0] instanceof java.security.cert.X509Certificate x509) {
          peerCertificate = x509;
        }
      } catch (javax.net.ssl.SSLPeerUnverifiedException noClientCertificate) {
        // fine unless verify asked for one, which the handshake itself enforces
      }
      host.log().debug(logPrefix + "TLS handshake complete");
      onHandshake.run();
    });
  }

  // ---- keepalive -------------------------------------------------------------------------

  /** Starts the server's PINGs: the first soon after connect, then every ping_interval. */
  protected final void startPings(long firstDelayMillis) {
    pingTimer = loop.schedule(this::pingTick, firstDelayMillis, TimeUnit.MILLISECONDS);
  }

  private void pingTick() {
    if (closed) {
      return;
    }
    if (pingsOut + 1 > host.options().pingMax()) {
      sendErrorAndClose("Stale Connection", ClosedReason.STALE_CONNECTION);
      return;
    }
    pingsOut++;
    pingSentNanos = System.nanoTime();
    sendNow(PING);
    pingTimer = loop.schedule(this::pingTick, host.options().pingInterval().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A PONG came in. */
  protected final void pongReceived() {
    pingsOut = 0;
    if (pingSentNanos != 0) {
      rttNanos = System.nanoTime() - pingSentNanos;
      pingSentNanos = 0;
    }
  }

  /**
   * What monitoring shows of this connection; {@code stop} is 0 while open. On this
   * connection's loop.
   */
  public ConnectionInfo info(boolean withSubs, long stop) {
    return new ConnectionInfo(id, kind().title(), remoteHost, remotePort, startMillis, lastActivity, stop,
        stop > 0 && closedReason != null ? closedReason.text() : null, rttNanos, closed ? 0 : outbound.pending(),
        inMsgs, outbound.msgs(), inBytes, outbound.bytes(), subscriptionCount(), null, null, null, null,
        withSubs ? java.util.List.of() : null, null, "nats");
  }

  /** Subscriptions this connection holds. */
  public int subscriptionCount() {
    return 0;
  }

  // ---- closing ---------------------------------------------------------------------------

  protected static byte[] errProto(String text) {
    return ("-ERR '" + text + "'\r\n").getBytes(StandardCharsets.UTF_8);
  }

  /** Sends {@code -ERR 'text'} and keeps the connection. */
  protected final void sendError(String text) {
    send(errProto(text));
  }

  /** Sends {@code -ERR 'text'}, writes it out, then closes. */
  protected final void sendErrorAndClose(String text, ClosedReason reason) {
    sendNow(errProto(text));
    closeConnection(reason);
  }

  /** Closes from any thread. */
  public final void closeAsync(ClosedReason reason) {
    if (loop.inEventLoop()) {
      closeConnection(reason);
    } else {
      loop.execute(() -> closeConnection(reason));
    }
  }

  /** Closes once: flushes queued protocol bytes, releases buffers, drops subscriptions. */
  public final void closeConnection(ClosedReason reason) {
    if (closed) {
      return;
    }
    if (reason != ClosedReason.SLOW_CONSUMER_PENDING_BYTES && reason != ClosedReason.SLOW_CONSUMER_WRITE_DEADLINE) {
      flush(); // what was queued before the close (an -ERR) still goes out
    }
    closed = true;
    closing = true;
    closedReason = reason;
    ConnectionInfo last = info(true, System.currentTimeMillis());
    if (pingTimer != null) {
      pingTimer.cancel(false);
    }
    if (writeDeadlineTimer != null) {
      writeDeadlineTimer.cancel(false);
    }
    reportIn();
    // What this connection delivered before failing still goes out to its subscribers.
    untouch(this);
    flushTouched();
    outbound.reportOut(host);
    outbound.close();
    transport.closing(reason);
    try {
      cleanup();
    } finally {
      retire(last);
      // Through our own context, so the close goes straight to the socket: Vert.x's handler
      // behind us would first wait for the queued bytes to drain, which a slow consumer never does.
      ctx.close();
    }
    host.log().debug(logPrefix + kind().title() + " connection closed: " + reason.text());
  }

  /** Leaves the registries once closed; {@code last} is what monitoring keeps of it. */
  protected void retire(ConnectionInfo last) {
    host.retire(this, last);
  }
}
