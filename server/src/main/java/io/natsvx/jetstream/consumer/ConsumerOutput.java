package io.natsvx.jetstream.consumer;

import io.natsvx.account.Account;
import io.natsvx.jetstream.store.StoredMessage;
import io.natsvx.messaging.InternalPublisher;
import java.nio.charset.StandardCharsets;

/**
 * What one pump of a consumer sends, in nats-server's shapes: stored messages (headers only when
 * configured), status messages, idle heartbeats and flow-control requests. Batched, and handed to
 * each client at once on {@link #send()}. Confined to the consumer's pump.
 */
final class ConsumerOutput {

  private static final byte[] NO_DATA = new byte[0];
  private static final byte[] FLOW_CONTROL_REQUEST =
      "NATS/1.0 100 FlowControl Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final Account account;
  private final boolean headersOnly;
  private final InternalPublisher.Batch batch = new InternalPublisher.Batch();

  ConsumerOutput(Account account, boolean headersOnly) {
    this.account = account;
    this.headersOnly = headersOnly;
  }

  /**
   * A stored message to {@code to} on its own subject.
   *
   * @return the bytes it takes, as flow control counts them
   */
  long message(StoredMessage m, String to, String reply) {
    byte[] headers = m.headers();
    byte[] data = m.data();
    if (headersOnly) {
      String base = headers.length > 0 ? new String(headers, 0, headers.length - 2, StandardCharsets.UTF_8)
          : "NATS/1.0\r\n";
      headers = (base + "Nats-Msg-Size: " + data.length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
      data = NO_DATA;
    }
    batch.add(account, to, m.subject(), reply, headers.length > 0 ? headers : null, data);
    return to.length() + reply.length() + headers.length + data.length;
  }

  void flowControlRequest(String to, String reply) {
    batch.add(account, to, to, reply, FLOW_CONTROL_REQUEST, NO_DATA);
  }

  /** A push consumer's heartbeat, with the last sequences and the flow-control reply it waits on, if any. */
  void idleHeartbeat(String to, long lastConsumer, long lastStream, String stalledOn) {
    status(to, "100 Idle Heartbeat", "Nats-Last-Consumer: " + lastConsumer + "\r\nNats-Last-Stream: " + lastStream
        + (stalledOn == null ? "" : "\r\nNats-Consumer-Stalled: " + stalledOn));
  }

  /** A status message: {@code NATS/1.0 <status>} and more header lines, or none. */
  void status(String to, String status, String extraHeaders) {
    String block = "NATS/1.0 " + status + "\r\n" + (extraHeaders == null ? "" : extraHeaders + "\r\n") + "\r\n";
    batch.add(account, to, to, null, block.getBytes(StandardCharsets.UTF_8), NO_DATA);
  }

  /** Messages added since the last send. */
  int size() {
    return batch.size();
  }

  void send() {
    batch.send();
  }
}
