package io.natsvx.client;

import io.natsvx.account.Account;
import io.natsvx.conn.ConnectionInfo;
import io.natsvx.protocol.Args;
import io.natsvx.subject.MatchResult;
import io.natsvx.subject.Subjects;
import io.natsvx.subject.Subscription;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * One client's subscriptions by sid: SUB and UNSUB with nats-server's checks and texts (limits,
 * permissions, subject validity, UNSUB max), their place in the account's index, and their end.
 * The client's loop only, but {@link #reachedMax}.
 */
final class ClientSubscriptions {

  private final ClientConnection client;
  private final HashMap<String, Subscription> bySid = new HashMap<>();
  private final Args args = new Args();

  ClientSubscriptions(ClientConnection client) {
    this.client = client;
  }

  int count() {
    return bySid.size();
  }

  /** SUB {@code subject [queue] sid}. */
  void sub(byte[] line, int off, int len) {
    int n = args.split(line, off, len);
    if (n != 2 && n != 3) {
      client.parseError("processSub", line, off, len);
      return;
    }
    String subject = args.get(0);
    String queue = n == 3 ? args.get(1) : null;
    String sid = args.get(n - 1);
    client.traceIn("SUB " + subject + (queue == null ? "" : " " + queue) + " " + sid);
    Account account = client.account();
    int max = client.server().options().maxSubscriptions();
    int accountMax = account.limits().maxSubscriptions();
    long userMax = client.auth().userMaxSubscriptions();
    if ((max > 0 && bySid.size() >= max) || (accountMax > 0 && account.subjects().count() >= accountMax)
        || (userMax >= 0 && bySid.size() >= userMax)) {
      client.logError("maximum subscriptions exceeded");
      client.error("maximum subscriptions exceeded");
      return;
    }
    if (bySid.containsKey(sid)) {
      client.ok();
      return;
    }
    ClientPermissions grants = client.grants();
    if (!grants.canSubscribe(subject, queue)) {
      client.logError("Subscription Violation - " + client.userForLog() + ", Subject \"" + subject
          + "\"" + (queue == null ? "" : ", Queue: \"" + queue + "\"") + ", SID " + sid);
      client.error("Permissions Violation for Subscription to \"" + subject + "\""
          + (queue == null ? "" : " using queue \"" + queue + "\""));
      return;
    }
    if (!Subjects.isValidSubject(subject)) {
      client.error("Invalid Subject");
      return;
    }
    Subscription sub = new Subscription(client, subject, queue, sid);
    if (grants.needsDeliveryCheck(subject)) {
      sub.checkDelivery();
    }
    bySid.put(sid, sub);
    account.subscribe(sub);
    client.ok();
  }

  /** UNSUB {@code sid [max]}. */
  void unsub(byte[] line, int off, int len) {
    client.traceIn("UNSUB " + new String(line, off, len, java.nio.charset.StandardCharsets.UTF_8));
    int n = args.split(line, off, len);
    if (n != 1 && n != 2) {
      client.parseError("processUnsub", line, off, len);
      return;
    }
    Subscription sub = bySid.get(args.get(0));
    if (sub != null && !sub.limit(n == 2 ? args.size(1) : -1)) {
      remove(sub);
    }
    client.ok();
  }

  /** A delivery reached the subscription's UNSUB max; may run on any loop. */
  void reachedMax(Subscription sub) {
    if (client.eventLoop().inEventLoop()) {
      remove(sub);
    } else {
      client.eventLoop().execute(() -> remove(sub));
    }
  }

  void remove(Subscription sub) {
    if (bySid.get(sub.sid()) != sub) {
      return;
    }
    bySid.remove(sub.sid());
    sub.close();
    client.account().unsubscribe(sub);
  }

  /** Drops what the permissions now in force no longer allow, saying so as nats-server does. */
  void keepAllowed(ClientPermissions grants) {
    for (Subscription sub : new ArrayList<>(bySid.values())) {
      if (!grants.canSubscribe(sub.subject(), sub.queue())) {
        remove(sub);
        client.error("Permissions Violation for Subscription to \"" + sub.subject() + "\" (sid \"" + sub.sid() + "\")");
      }
    }
  }

  /** The client's own subscription that a reply subject reaches (for no-responders), or null. */
  Subscription forReply(String reply) {
    MatchResult r = client.account().subjects().match(reply);
    for (Subscription s : r.plain()) {
      if (s.owner() == client) {
        return s;
      }
    }
    return null;
  }

  List<ConnectionInfo.Sub> describe(long cid) {
    List<ConnectionInfo.Sub> list = new ArrayList<>(bySid.size());
    String account = client.account().name();
    for (Subscription s : bySid.values()) {
      list.add(new ConnectionInfo.Sub(account, s.subject(), s.queue(), s.sid(), s.delivered(), s.max(), cid));
    }
    return list;
  }

  /** The client closed: every subscription goes, in one pass over the index. */
  void closeAll() {
    if (bySid.isEmpty()) {
      return;
    }
    for (Subscription s : bySid.values()) {
      s.close();
    }
    client.account().unsubscribeAll(bySid.values());
    bySid.clear();
  }
}
