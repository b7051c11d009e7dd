package io.natsvx.jetstream.stream;

import io.natsvx.account.Account;
import io.natsvx.messaging.InternalPublisher;
import io.natsvx.jetstream.store.StoredMessage;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * nats-server's direct get ({@code allow_direct}): {@code $JS.API.DIRECT.GET.<stream>} with
 * {@code {"seq"}}, {@code {"last_by_subj"}} or {@code {"next_by_subj", "seq"}}, and
 * {@code $JS.API.DIRECT.GET.<stream>.<subject>} for the last on a subject. The answer is the
 * message itself with {@code Nats-Stream}, {@code Nats-Subject}, {@code Nats-Sequence} and
 * {@code Nats-Time-Stamp} headers, or a status ({@code 404 Message Not Found},
 * {@code 408 Empty Request|Bad Request|Malformed Request}). Worker only.
 */
final class DirectGet {

  private DirectGet() {}

  /** {@code rest} is what follows the stream's name in the subject: empty, or {@code .<subject>}. */
  static void answer(Stream stream, Account account, String rest, String reply, byte[] payload) {
    StoredMessage m;
    String body = new String(payload, StandardCharsets.UTF_8).trim();
    if (rest.startsWith(".")) {
      m = stream.store().loadLast(rest.substring(1));
    } else {
      if (body.isEmpty()) {
        status(account, reply, "408 Empty Request");
        return;
      }
      JsonObject req;
      try {
        req = new JsonObject(body);
      } catch (RuntimeException e) {
        status(account, reply, "408 Malformed Request");
        return;
      }
      long seq = req.getLong("seq", 0L);
      String last = req.getString("last_by_subj", "");
      String next = req.getString("next_by_subj", "");
      if (seq == 0 && last.isEmpty() && next.isEmpty()) {
        status(account, reply, "408 Empty Request");
        return;
      }
      if ((seq > 0 && !last.isEmpty()) || (!last.isEmpty() && !next.isEmpty())) {
        status(account, reply, "408 Bad Request");
        return;
      }
      m = !last.isEmpty() ? stream.store().loadLast(last)
          : !next.isEmpty() ? stream.store().loadNext(Math.max(1, seq), next)
          : stream.store().load(seq);
    }
    if (m == null) {
      status(account, reply, "404 Message Not Found");
      return;
    }
    String own = "Nats-Stream: " + stream.name() + "\r\nNats-Subject: " + m.subject() + "\r\nNats-Sequence: " + m.seq()
        + "\r\nNats-Time-Stamp: " + Stream.time(m.timestampNanos()) + "\r\n\r\n";
    String headers = m.headers().length > 0
        ? new String(m.headers(), 0, m.headers().length - 2, StandardCharsets.UTF_8) + own
        : "NATS/1.0\r\n" + own;
    InternalPublisher.deliver(account, reply, reply, null, headers.getBytes(StandardCharsets.UTF_8), m.data());
  }

  private static void status(Account account, String reply, String status) {
    InternalPublisher.deliver(account, reply, reply, null,
        ("NATS/1.0 " + status + "\r\n\r\n").getBytes(StandardCharsets.UTF_8), new byte[0]);
  }
}
