package io.natsvx.client;

import io.natsvx.account.Account;
import io.natsvx.conn.Dispatch;
import io.natsvx.conn.MsgFrame;
import io.natsvx.conn.Outbound;
import io.natsvx.protocol.PubArgs;
import io.natsvx.subject.MatchResult;
import io.natsvx.subject.SubjectKey;
import io.natsvx.subject.Subjects;
import io.natsvx.subject.Subscription;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Where one client's publishes go: nats-server's checks in its order (pedantic subject,
 * permissions, reserved subjects and replies, +OK), then one match in the account's index and
 * {@link Dispatch}, then what the account shares with others (responses, stream and service
 * imports), then no-responders. The client's loop only.
 */
final class ClientPublisher {

  /** Prefixes the server reserves: routed gateway replies, service-import replies, JetStream acks (2.10). */
  private static final byte[] GATEWAY_REPLY_PREFIX = "_GR_.".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SERVICE_REPLY_PREFIX = "_R_.".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] JS_ACK_PREFIX = "$JS.ACK.".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NO_RESPONDERS_HDR = "NATS/1.0 503\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final ByteBuf NO_RESPONDERS_PAYLOAD =
      Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(NO_RESPONDERS_HDR).asReadOnly());

  private final ClientConnection client;
  private final SubjectKey probe = new SubjectKey();
  private final MsgFrame frame = new MsgFrame();
  /** For deliveries into other accounts; made on first use (most connections never need it). */
  private io.natsvx.messaging.CrossAccounts cross;

  ClientPublisher(ClientConnection client) {
    this.client = client;
  }

  void publish(PubArgs pa, ByteBuf payload, int index) {
    var opts = client.connectOptions();
    if (opts.pedantic() && !Subjects.isValidLiteralSubject(pa.line, pa.subjectOff, pa.subjectLen)) {
      client.error("Invalid Publish Subject");
    }
    probe.set(pa.line, pa.subjectOff, pa.subjectLen);
    if (startsWith(pa.line, pa.subjectOff, pa.subjectLen, GATEWAY_REPLY_PREFIX) || !client.grants().mayPublish(probe)) {
      String subject = probe.subject();
      client.logError("Publish Violation - " + client.userForLog() + ", Subject \"" + subject + "\"");
      client.error("Permissions Violation for Publish to \"" + subject + "\"");
      return;
    }
    if (pa.replyOff >= 0 && (startsWith(pa.line, pa.replyOff, pa.replyLen, GATEWAY_REPLY_PREFIX)
        || startsWith(pa.line, pa.replyOff, pa.replyLen, SERVICE_REPLY_PREFIX)
        || startsWith(pa.line, pa.replyOff, pa.replyLen, JS_ACK_PREFIX))) {
      String reply = pa.reply();
      client.logError("Publish Violation - " + client.userForLog() + ", Reply \"" + reply + "\"");
      client.error("Permissions Violation for Publish with Reply of \"" + reply + "\"");
      return;
    }
    client.ok();
    Account account = client.account();
    byte[] routed = client.routedReplies().routedFor(pa.line, pa.subjectOff, pa.subjectLen);
    if (routed != null) {
      // An answer to a request from another cluster goes straight back there.
      probe.set(routed, 0, routed.length);
      frame.set(routed, 0, routed.length, pa.line, pa.replyOff, pa.replyLen, pa.headerSize, pa.size, payload, index);
    } else {
      frame.set(pa, payload, index);
    }
    MatchResult result = account.subjects().match(probe);
    boolean delivered = !result.isEmpty()
        && Dispatch.deliver(client, account.nameBytes(), result, frame, probe, true, null);
    if (account.crossesAccounts()) {
      if (cross == null) {
        cross = new io.natsvx.messaging.CrossAccounts(client);
      }
      delivered |= cross.deliver(account, probe.subject(), pa.reply(), pa.headerSize, pa.size, payload, index, true);
    }
    if (!delivered && pa.replyOff >= 0 && opts.noResponders()) {
      noResponders(pa);
    }
  }

  /** HMSG {@code <reply> <sid> 16 16} with a bare 503 status header, as nats-server sends it. */
  private void noResponders(PubArgs pa) {
    Subscription own = client.subscriptions().forReply(pa.reply());
    if (own == null) {
      return;
    }
    frame.set(pa.line, pa.replyOff, pa.replyLen, null, -1, 0, NO_RESPONDERS_HDR.length, NO_RESPONDERS_HDR.length,
        NO_RESPONDERS_PAYLOAD, 0);
    if ((client.deliver(client, frame, own, false) & Outbound.LAST) != 0) {
      client.subscriptions().reachedMax(own);
    }
  }

  /** Longer than the prefix and starting with it, as nats-server tests these prefixes. */
  private static boolean startsWith(byte[] b, int off, int len, byte[] prefix) {
    return len > prefix.length && Arrays.equals(b, off, off + prefix.length, prefix, 0, prefix.length);
  }
}
