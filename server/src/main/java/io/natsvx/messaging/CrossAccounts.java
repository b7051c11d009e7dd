package io.natsvx.messaging;

import io.natsvx.account.Account;
import io.natsvx.account.ResponseRoute;
import io.natsvx.account.ServiceImport;
import io.natsvx.account.StreamImport;
import io.natsvx.conn.Dispatch;
import io.natsvx.conn.MsgFrame;
import io.natsvx.conn.Producer;
import io.natsvx.subject.MatchResult;
import io.natsvx.subject.SubjectKey;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * What a message's account shares with others (nats-server's service and stream imports): a
 * response routed back to the account that asked, the streams other accounts import from this
 * one (for this server's subscribers and leaf nodes: every server crosses what it gets), and,
 * where the message was published (a client's, a leaf node's), the services this one imports:
 * the request goes to the exporter, on any server, with a reply subject that routes its answer
 * back. One per producer, on its loop.
 */
public final class CrossAccounts {

  private final Producer producer;
  private final MsgFrame frame = new MsgFrame();

  public CrossAccounts(Producer producer) {
    this.producer = producer;
  }

  /**
   * Delivers a message of {@code account} on {@code subject} ({@code reply} null for none;
   * {@code headerSize} and {@code size} as in its HPUB/PUB) wherever it crosses; {@code
   * published} where it was published (service imports apply). True if anyone got it.
   */
  public boolean deliver(Account account, String subject, String reply, int headerSize, int size, ByteBuf payload,
      int index, boolean published) {
    boolean delivered = false;
    if (account.mayBeResponse(subject)) {
      ResponseRoute route = account.takeResponse(subject);
      if (route != null) {
        delivered = deliverIn(route.requester(), route.reply(), null, headerSize, size, payload, index, false);
      }
    }
    for (StreamImport si : account.streamImporters()) {
      String mapped = si.map(subject);
      if (mapped != null) {
        delivered |= deliverIn(si.importer(), mapped, reply, headerSize, size, payload, index, false);
      }
    }
    if (!published) {
      return delivered;
    }
    for (ServiceImport svc : account.serviceImports()) {
      String mapped = svc.map(subject);
      if (mapped != null) {
        String routed = reply == null ? null
            : svc.exporter().routeResponse(account, reply, svc.responseType(), svc.responseThreshold().toNanos());
        delivered |= deliverIn(svc.exporter(), mapped, routed, headerSize, size, payload, index, true);
      }
    }
    return delivered;
  }

  /** Delivers the payload into another account, on its subject there; {@code toLinks} as in {@link Dispatch}. */
  private boolean deliverIn(Account target, String subject, String reply, int headerSize, int size, ByteBuf payload,
      int index, boolean toLinks) {
    SubjectKey key = SubjectKey.of(subject);
    MatchResult r = target.subjects().match(key);
    if (r.isEmpty()) {
      return false;
    }
    byte[] s = subject.getBytes(StandardCharsets.UTF_8);
    byte[] rep = reply == null ? null : reply.getBytes(StandardCharsets.UTF_8);
    frame.set(s, 0, s.length, rep, rep == null ? -1 : 0, rep == null ? 0 : rep.length, headerSize, size, payload, index);
    return Dispatch.deliver(producer, target.nameBytes(), r, frame, key, toLinks, null);
  }
}
