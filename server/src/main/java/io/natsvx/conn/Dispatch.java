package io.natsvx.conn;

import io.natsvx.subject.MatchResult;
import io.natsvx.subject.SubjectKey;
import io.natsvx.subject.Subscription;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Who gets a message, for every producer alike (nats-server's processMsgResults): each matching
 * plain subscription once, each link once whatever matched there (when its rule lets a message from
 * where this one came cross: {@link Link#accepts}), and one member of each queue group: a local
 * member first, a link's member only when no local one took it, so a group gets one delivery
 * across the cluster. Stateless; called on the producer's loop.
 */
public final class Dispatch {

  /** Which queue groups a message may go to: all, or only those a link's sender named. */
  public interface QueueFilter {
    boolean named(String queue);
  }

  private Dispatch() {}

  /**
   * Delivers {@code frame} to {@code result}; {@code toLinks} false for a message crossing into
   * another account: it goes to this server's subscribers and its leaf nodes (whose clients are
   * in that account as much as this server's), not to routes or gateways (the far server crosses
   * it itself). Sends what the links gathered, in {@code account}. True when anyone took it.
   */
  public static boolean deliver(Producer producer, byte[] account, MatchResult result, MsgFrame frame,
      SubjectKey subject, boolean toLinks, QueueFilter queues) {
    boolean delivered = false;
    for (Subscription sub : result.plain()) {
      if (!sub.isClosed() && (toLinks || !sub.isLink() || leaf(sub))
          && ((Receiver) sub.owner()).receive(producer, frame, sub, subject)) {
        delivered = true;
      }
    }
    for (Subscription[] members : result.queues()) {
      if (members.length > 0 && (queues == null || queues.named(members[0].queue()))) {
        delivered |= pickOne(producer, members, frame, subject, toLinks);
      }
    }
    if (producer.hasFanout()) {
      delivered |= producer.fanout().send(producer, account, frame);
    }
    return delivered;
  }

  /**
   * One member of a queue group: local members in random order until one takes it, else an open
   * link member whose rule lets the message cross, a route before a leaf node before a gateway
   * (the far server picks its own member). True when one took it.
   */
  static boolean pickOne(Producer producer, Subscription[] members, MsgFrame frame, SubjectKey subject,
      boolean toLinks) {
    int n = members.length;
    int start = n == 1 ? 0 : ThreadLocalRandom.current().nextInt(n);
    boolean links = false;
    for (int k = 0; k < n; k++) {
      Subscription member = members[(start + k) % n];
      if (member.isClosed()) {
        continue;
      }
      if (member.isLink()) {
        links = true;
      } else if (((Receiver) member.owner()).receive(producer, frame, member, subject)) {
        return true;
      }
    }
    if (!links) {
      return false;
    }
    return toLinks ? viaLink(producer, members, start, frame, subject, 0)
        || viaLink(producer, members, start, frame, subject, 1)
        || viaLink(producer, members, start, frame, subject, 2)
        : viaLink(producer, members, start, frame, subject, 1);
  }

  private static boolean leaf(Subscription sub) {
    return sub.isLink() && rank(((Link) sub.owner()).role()) == 1;
  }

  /**
   * Which links a queue group tries first: a route (this cluster), then a leaf node, then a
   * gateway (another cluster only when none in this one takes it, as nats-server).
   */
  private static int rank(Link.Role role) {
    return role == Link.Role.ROUTE ? 0 : role == Link.Role.GATEWAY ? 2 : 1;
  }

  /** The first open link member of rank {@code rank} from {@code start} on that takes the message. */
  private static boolean viaLink(Producer producer, Subscription[] members, int start, MsgFrame frame,
      SubjectKey subject, int rank) {
    for (int k = 0; k < members.length; k++) {
      Subscription member = members[(start + k) % members.length];
      if (!member.isClosed() && member.isLink() && rank(((Link) member.owner()).role()) == rank
          && ((Receiver) member.owner()).receive(producer, frame, member, subject)) {
        return true;
      }
    }
    return false;
  }
}
