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
 * What every link to other servers shares (routes now; gateways and leaf nodes next): the far
 * side's interest as subscriptions of this connection ({@link RemoteInterest}), and the forward
 * of a message in the link's dialect ({@link LinkHead}). Kinds add their handshake and their
 * interest protocol. Event-loop confined.
 */
public abstract class LinkConnection extends Connection implements Link {

  private final RemoteInterest remote = new RemoteInterest(this);
  private final LinkHead head;
  /** Whether the message line names the account (routes, gateways) or not (leaf nodes). */
  private final boolean namesAccount;

  protected LinkConnection(ConnectionHost host, ChannelHandlerContext ctx, String op, String headersOp,
      boolean namesAccount) {
    super(host, ctx);
    this.head = new LinkHead(op, headersOp);
    this.namesAccount = namesAccount;
    // max_pending cuts clients only (nats-server); a backed-up link still pauses its producers.
    outbound.maxPending(Long.MAX_VALUE);
  }

  @Override
  public final boolean forward(Producer producer, byte[] account, MsgFrame frame, String[] queues, int queueCount) {
    if (isClosed()) {
      return false;
    }
    head.frame(namesAccount ? account : null, frame, queues, queueCount);
    int r = producer.deliverFramed(this, head.bytes(), head.length(), frame.payload(), frame.payloadIndex(),
        frame.size()) & Outbound.RESULT;
    return r == Outbound.OK || r == Outbound.STALLED;
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

  /** The far side subscribed. */
  protected final void remoteSubscribed(Account account, String subject, String queue) {
    remote.add(account, subject, queue);
  }

  /** The far side unsubscribed. */
  protected final void remoteUnsubscribed(Account account, String subject, String queue) {
    remote.remove(account, subject, queue);
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

  /** Drops the far side's interest; kinds call it from their cleanup. */
  protected final void dropRemoteInterest(java.util.function.Function<String, Account> accounts) {
    remote.clear(accounts);
  }
}
