package io.natsvx.link;

import io.natsvx.account.Account;
import io.natsvx.conn.Connection;
import io.natsvx.conn.ConnectionHost;
import io.natsvx.conn.Link;
import io.natsvx.conn.MsgFrame;
import io.natsvx.conn.Outbound;
import io.natsvx.conn.Producer;
import io.natsvx.subject.Subscription;
import io.netty.channel.ChannelHandlerContext;
import java.util.List;
import java.util.Map;

/**
 * What every link to other servers shares (routes, gateways and leaf nodes): the far
 * side's interest as subscriptions of this connection ({@link RemoteInterest}), and the forward
 * of a message in the link's dialect ({@link LinkHead}). Kinds add their handshake and their
 * interest protocol. Event-loop confined.
 */
public abstract class LinkConnection extends Connection implements Link, io.natsvx.conn.Dispatch.QueueFilter {

  private final RemoteInterest remote = new RemoteInterest(this);
  private final LinkHead head;
  /** Whether the message line names the account (routes, gateways) or not (leaf nodes). */
  private final boolean namesAccount;

  protected LinkConnection(ConnectionHost host, ChannelHandlerContext ctx, String op, String headersOp,
      boolean namesAccount) {
    this(host, ctx, io.natsvx.conn.Transport.TCP, op, headersOp, namesAccount);
  }

  protected LinkConnection(ConnectionHost host, ChannelHandlerContext ctx, io.natsvx.conn.Transport transport,
      String op, String headersOp, boolean namesAccount) {
    super(host, ctx, transport);
    this.head = new LinkHead(op, headersOp);
    this.namesAccount = namesAccount;
    // max_pending cuts clients only (nats-server); a backed-up link still pauses its producers.
    outbound.maxPending(Long.MAX_VALUE);
  }

  @Override
  public final boolean forward(Producer producer, byte[] account, MsgFrame frame, String[] queues, int queueCount) {
    if (isClosed() || !mayCross(account, frame)) {
      return false;
    }
    head.frame(namesAccount ? account : null, frame, queues, queueCount,
        frame.hasReply() ? replyPrefix(account, frame) : null, originFor(producer));
    int r = producer.deliverFramed(this, head.bytes(), head.length(), frame.payload(), frame.payloadIndex(),
        frame.size()) & Outbound.RESULT;
    return r == Outbound.OK || r == Outbound.STALLED;
  }

  private final io.natsvx.subject.SubjectKey probe = new io.natsvx.subject.SubjectKey();
  /** The message being delivered: its queue names say which groups this server was picked for. */
  private io.natsvx.protocol.PubArgs inbound;

  /**
   * Delivers a message that came over this link, in {@code account}: to whoever matches here and
   * may hear it, and to the queue groups the sender picked this server for.
   */
  protected final void deliverInbound(Account account, io.natsvx.protocol.PubArgs pa, io.netty.buffer.ByteBuf payload,
      int index) {
    probe.set(pa.line, pa.subjectOff, pa.subjectLen);
    io.natsvx.subject.MatchResult result = account.subjects().match(probe);
    if (!result.isEmpty()) {
      MsgFrame f = inbound(pa, payload, index);
      inbound = pa;
      io.natsvx.conn.Dispatch.deliver(this, account.nameBytes(), result, f, probe, true, this);
      inbound = null;
    }
    if (account.crossesAccounts()) {
      if (cross == null) {
        cross = new io.natsvx.messaging.CrossAccounts(this);
      }
      cross.deliver(account, probe.subject(), pa.reply(), pa.headerSize, pa.size, payload, index, publishedHere());
    }
  }

  private io.natsvx.messaging.CrossAccounts cross;

  /**
   * Whether what comes over this link is published here, as a client's publish is (a leaf
   * node's: service imports apply); a route's or gateway's was published on its server.
   */
  protected boolean publishedHere() {
    return false;
  }

  /** Sends what came over this link on to {@code to} as it came (a routed reply for another server). */
  protected final boolean forwardWhole(Link to, Account account, io.natsvx.protocol.PubArgs pa,
      io.netty.buffer.ByteBuf payload, int index) {
    MsgFrame f = inFrame.set(pa.line, pa.subjectOff, pa.subjectLen, pa.line, pa.replyOff, pa.replyLen, pa.headerSize,
        pa.size, payload, index);
    return to.forward(this, account.nameBytes(), f, null, 0);
  }

  /** Whether the sender picked this server for queue group {@code queue}. */
  @Override
  public final boolean named(String queue) {
    io.natsvx.protocol.PubArgs pa = inbound;
    if (pa == null || pa.queueCount == 0) {
      return false;
    }
    byte[] q = queue.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (int i = 0; i < pa.queueCount; i++) {
      if (java.util.Arrays.equals(pa.line, pa.queueStarts[i], pa.queueEnds[i], q, 0, q.length)) {
        return true;
      }
    }
    return false;
  }

  private static final byte[] JS_ACK = "$JS.ACK.".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private final MsgFrame inFrame = new MsgFrame();

  /**
   * Frames a message that came over this link; a JetStream delivery (a {@code $JS.ACK} reply
   * with the stored subject after '@', as links carry it) is shown with the stored subject.
   */
  private MsgFrame inbound(io.natsvx.protocol.PubArgs pa, io.netty.buffer.ByteBuf payload, int index) {
    int replyOff = pa.replyOff;
    int replyLen = pa.replyLen;
    boolean routed = replyOff >= 0 && MsgFrame.isRoutedReply(pa.line, replyOff, replyLen);
    if (routed) {
      replyOff += MsgFrame.ROUTED_REPLY_PREFIX;
      replyLen -= MsgFrame.ROUTED_REPLY_PREFIX;
    }
    int at = replyOff < 0 ? -1 : jsAckDeliverIndex(pa.line, replyOff, replyLen);
    MsgFrame f = at < 0
        ? inFrame.set(pa.line, pa.subjectOff, pa.subjectLen, pa.line, replyOff, replyLen, pa.headerSize,
            pa.size, payload, index)
        : inFrame.set(pa.line, at + 1, replyOff + replyLen - at - 1, pa.line, replyOff, at - replyOff,
            pa.headerSize, pa.size, payload, index);
    return routed ? f.routed(java.util.Arrays.copyOfRange(pa.line, pa.replyOff, pa.replyOff + pa.replyLen)) : f;
  }

  /**
   * Where the {@code @} of a {@code $JS.ACK.<8 tokens>@<subject>} reply is (nats-server's
   * jsAckDeliverIdx), or -1: stream, consumer and subject tokens may hold '@' themselves.
   */
  static int jsAckDeliverIndex(byte[] b, int off, int len) {
    if (len <= JS_ACK.length || !java.util.Arrays.equals(b, off, off + JS_ACK.length, JS_ACK, 0, JS_ACK.length)) {
      return -1;
    }
    int dots = 0;
    for (int i = off, end = off + len - 1; i < end; i++) {
      if (b[i] == '.') {
        dots++;
      } else if (b[i] == '@' && dots >= 8) {
        return i;
      }
    }
    return -1;
  }

  /** The leaf cluster to name in front of the message (a route's LMSG); null by default. */
  protected byte[] originFor(Producer producer) {
    return null;
  }

  /** What goes before the message's reply on this link (a gateway's routed reply); null by default. */
  protected byte[] replyPrefix(byte[] account, MsgFrame frame) {
    return null;
  }

  /**
   * Whether this message, in {@code account}, may go over the link now (a kind's permissions,
   * its handshake); true by default.
   */
  protected boolean mayCross(byte[] account, MsgFrame frame) {
    return true;
  }

  private boolean flushScheduled;

  /** Queues protocol for the far side outside a read (interest changes, gossip); written once per loop turn. */
  public final void queue(byte[] proto) {
    if (isClosed()) {
      return;
    }
    send(proto);
    if (!flushScheduled) {
      flushScheduled = true;
      loop.execute(() -> {
        flushScheduled = false;
        flushTouched();
      });
    }
  }

  /** The far side subscribed: the other links hear of it as their rules say. */
  protected final void remoteSubscribed(Account account, String subject, String queue) {
    remoteSubscribed(account, subject, queue, null);
  }

  /** The far side subscribed for leaf cluster {@code origin} (null: for itself). */
  protected final void remoteSubscribed(Account account, String subject, String queue, String origin) {
    if (remote.add(account, subject, queue, origin)) {
      host.linkInterest(this, account.name(), subject, queue, true, origin);
    }
  }

  /**
   * Holds a subscription for the far side that no other link hears of (what this server
   * assumes of it, not what it asked for).
   */
  protected final void remoteAssumed(Account account, String subject, boolean added) {
    if (added) {
      remote.add(account, subject, null, null);
    } else {
      remote.remove(account, subject, null);
    }
  }

  /** The far side unsubscribed. */
  protected final void remoteUnsubscribed(Account account, String subject, String queue) {
    RemoteInterest.Held gone = remote.remove(account, subject, queue);
    if (gone != null) {
      host.linkInterest(this, account.name(), subject, queue, false, gone.origin());
    }
  }

  /** Whether the far side subscribes {@code subject} ({@code queue} null for none) in {@code account}. */
  protected final boolean remoteHas(String account, String subject, String queue) {
    return remote.has(account, subject, queue);
  }

  /** Messages this link delivers came from the far side. */
  @Override
  public final Link origin() {
    return this;
  }

  /** The far side's subscriptions by account, for monitoring; on this loop. */
  public final Map<String, List<Subscription>> remoteSubscriptions() {
    return remote.snapshot();
  }

  /** Remote subscriptions held for the far side, in all accounts. */
  @Override
  public final int subscriptionCount() {
    return remote.count();
  }

  /** Drops the far side's interest, telling the other links; kinds call it from their cleanup. */
  protected final void dropRemoteInterest(java.util.function.Function<String, Account> accounts) {
    remote.clear(accounts, (account, held) -> host.linkInterest(this, account, held.sub().subject(),
        held.sub().queue(), false, held.origin()));
  }

  // ---- what every link answers alike -----------------------------------------------------

  private static final byte[] PONG = "PONG\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** The kind's parser, stopped when the link gives up on the stream. */
  protected abstract io.natsvx.protocol.ProtocolParser parser();

  /** What came while reading waited ({@link #readAfter}). */
  private io.netty.buffer.ByteBuf held;

  @Override
  protected final void handleRead(io.netty.buffer.ByteBuf buf) {
    io.natsvx.protocol.ProtocolParser p = parser();
    int stopped = p.parse(buf);
    if (p.isSuspended() && stopped < buf.writerIndex()) {
      held = held == null ? io.netty.buffer.Unpooled.buffer() : held;
      held.writeBytes(buf, stopped, buf.writerIndex() - stopped);
    }
  }

  /**
   * Stops reading until {@code until} completes (an asynchronous auth check, an account's
   * token), then runs {@code then} on this loop and reads on, in order, from where it stopped.
   */
  protected final <T> void readAfter(io.vertx.core.Future<T> until,
      java.util.function.Consumer<io.vertx.core.AsyncResult<T>> then) {
    io.natsvx.protocol.ProtocolParser p = parser();
    p.suspend();
    channel.config().setAutoRead(false);
    until.onComplete(ar -> loop.execute(() -> {
      if (isClosed()) {
        return;
      }
      then.accept(ar);
      p.resume();
      channel.config().setAutoRead(true);
      io.netty.buffer.ByteBuf rest = held;
      held = null;
      if (rest != null) {
        if (!isClosed()) {
          p.parse(rest);
        }
        rest.release();
      }
      flushTouched();
    }));
  }

  private byte[] lastAccountName = new byte[0];
  private Account lastAccount;

  /** The account a message line names (routes, gateways), looked up once while it stays the same; null when unknown. */
  protected final Account accountOf(io.natsvx.protocol.PubArgs pa) {
    if (lastAccount != null && java.util.Arrays.equals(pa.line, pa.accountOff, pa.accountOff + pa.accountLen,
        lastAccountName, 0, lastAccountName.length)) {
      return lastAccount;
    }
    Account a = account(pa.account());
    if (a != null) {
      lastAccount = a;
      lastAccountName = a.nameBytes();
    }
    return a;
  }

  /** The account of this name, for {@link #accountOf}; kinds whose messages name one look it up. */
  protected Account account(String name) {
    return null;
  }

  /** Lets go of what reading held; kinds call it from their cleanup. */
  protected final void releaseHeld() {
    if (held != null) {
      held.release();
      held = null;
    }
  }

  /** Refuses the far side: logged, the reason sent as -ERR, the link closed. */
  protected final void refuse(String text, io.natsvx.conn.ClosedReason reason) {
    refuse(text, text, reason);
  }

  /** The same with a log line of its own (nats-server logs and sends different words at times). */
  protected final void refuse(String logText, String errText, io.natsvx.conn.ClosedReason reason) {
    host.log().error(logPrefix + logText);
    parser().close();
    sendErrorAndClose(errText, reason);
  }

  /** Credentials that do not pass: nats-server's log line and -ERR. */
  protected final void refuseAuthorization() {
    refuse("authentication error", "Authorization Violation", io.natsvx.conn.ClosedReason.AUTHENTICATION_VIOLATION);
  }

  /** No CONNECT in time. */
  protected final void refuseAfterTimeout() {
    refuse("Authentication Timeout", io.natsvx.conn.ClosedReason.AUTHENTICATION_TIMEOUT);
  }

  /** An operation before an authenticating link's CONNECT: refused as nats-server refuses it. */
  public boolean onOperationBeforeConnect() {
    host.log().error(logPrefix + "authentication error");
    sendErrorAndClose("Authorization Violation", io.natsvx.conn.ClosedReason.AUTHENTICATION_VIOLATION);
    return false;
  }

  /** How the kind's parser errors are logged ("Router parser ERROR, ..."): the kind's title by default. */
  protected String parserName() {
    return kind().title();
  }

  public void onProtocolError(io.natsvx.protocol.ProtocolError error, String detail) {
    host.log().error(logPrefix + parserName() + " parser ERROR, " + detail);
    if (error.errText() != null) {
      sendErrorAndClose(error.errText(), io.natsvx.conn.ClosedReason.PROTOCOL_VIOLATION);
    } else {
      closeConnection(io.natsvx.conn.ClosedReason.PROTOCOL_VIOLATION);
    }
  }

  public final void onPing() {
    send(PONG);
  }

  public final void onPong() {
    pongReceived();
  }

  public final void onOk() {
  }

  /** A client's operation on a link: nats-server closes it as a protocol violation. */
  public final void onPub(io.natsvx.protocol.PubArgs pa, io.netty.buffer.ByteBuf payload, int index) {
    protocolViolation("PUB");
  }

  public final void onSub(byte[] args, int off, int len) {
    protocolViolation("SUB");
  }

  public final void onUnsub(byte[] args, int off, int len) {
    protocolViolation("UNSUB");
  }

  protected final void protocolViolation(String op) {
    host.log().error(logPrefix + kind().title() + " parser ERROR unexpected " + op);
    parser().close();
    closeConnection(io.natsvx.conn.ClosedReason.PROTOCOL_VIOLATION);
  }
}
