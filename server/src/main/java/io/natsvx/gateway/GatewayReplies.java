package io.natsvx.gateway;

import io.natsvx.account.Account;
import io.natsvx.conn.MsgFrame;
import io.natsvx.protocol.PubArgs;
import io.natsvx.subject.Subjects;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Routed replies (nats-server's {@code _GR_.<cluster hash>.<server hash>.<reply>}): a request
 * whose reply matches a subscription made in the last two seconds crosses with its reply
 * prefixed so, because the far cluster may not have heard of that subscription yet; the answer
 * then comes straight back to this cluster, which takes the prefix off. Readers on any loop;
 * subscriptions are noted on the gateway verticle's.
 */
final class GatewayReplies {

  static final String PREFIX = "_GR_.";
  /** nats-server's gwHashLen. */
  static final int HASH_LEN = 6;
  /** Where the reply starts after the prefix and both hashes (nats-server's gwSubjectOffset). */
  static final int SUBJECT_OFFSET = MsgFrame.ROUTED_REPLY_PREFIX;
  /** nats-server's defaultGatewayRecentSubExpiration. */
  static final long RECENT_NANOS = 2_000_000_000L;


  private record Recent(String subject, long expires) {}

  private final byte[] prefix;
  private final byte[] clusterHash;
  private final byte[] serverHash;
  private final Map<String, List<Recent>> recent = new ConcurrentHashMap<>();
  private volatile boolean any;

  GatewayReplies(String gatewayName, String serverId) {
    this.clusterHash = hash(gatewayName).getBytes(StandardCharsets.US_ASCII);
    this.serverHash = hash(serverId).getBytes(StandardCharsets.US_ASCII);
    this.prefix = (PREFIX + hash(gatewayName) + "." + hash(serverId) + ".").getBytes(StandardCharsets.US_ASCII);
  }

  static String hash(String name) {
    return io.natsvx.internal.NameHash.of(name);
  }

  /** The subject every reply routed to the cluster named {@code gatewayName} starts with, as a wildcard. */
  static String routedTo(String gatewayName) {
    return PREFIX + hash(gatewayName) + ".>";
  }

  /** A subscription was made in {@code account}: replies to it are routed for the next two seconds. */
  void subscribed(String account, String subject) {
    recent.computeIfAbsent(account, a -> new CopyOnWriteArrayList<>()).add(new Recent(subject,
        System.nanoTime() + RECENT_NANOS));
    any = true;
  }

  /** Forgets subscriptions older than two seconds. */
  void expire() {
    long now = System.nanoTime();
    recent.values().forEach(l -> l.removeIf(r -> r.expires() - now <= 0));
    recent.values().removeIf(List::isEmpty);
    any = !recent.isEmpty();
  }

  /** What goes before {@code frame}'s reply as it crosses in {@code account}: this server's prefix or nothing. */
  byte[] prefixFor(byte[] account, MsgFrame frame) {
    if (!any) {
      return null;
    }
    List<Recent> l = recent.get(new String(account, StandardCharsets.UTF_8));
    if (l == null || l.isEmpty()) {
      return null;
    }
    String reply = new String(frame.linkReplyBytes(), frame.linkReplyOff(), frame.linkReplyLen(),
        StandardCharsets.UTF_8);
    long now = System.nanoTime();
    for (Recent r : l) {
      if (r.expires() - now > 0 && Subjects.matches(r.subject(), reply)) {
        return prefix;
      }
    }
    return null;
  }

  /**
   * A routed reply came in (nats-server's handleGatewayReply): one for another cluster is
   * dropped; one for another server of this cluster goes to it over their route, whole; one for
   * this server (or one whose route is gone) is delivered under the reply it stands for.
   */
  void deliverRouted(GatewayConnection link, Account account, PubArgs pa, ByteBuf payload, int index,
      io.natsvx.server.ClusterView cluster) {
    int h = pa.subjectOff + PREFIX.length();
    if (!java.util.Arrays.equals(pa.line, h, h + HASH_LEN, clusterHash, 0, HASH_LEN)) {
      return;
    }
    int s = h + HASH_LEN + 1;
    if (cluster != null && !java.util.Arrays.equals(pa.line, s, s + HASH_LEN, serverHash, 0, HASH_LEN)) {
      io.natsvx.conn.Link route = cluster.routeByHash(new String(pa.line, s, HASH_LEN, StandardCharsets.US_ASCII));
      if (route != null && link.relay(route, account, pa, payload, index)) {
        return;
      }
    }
    pa.subjectOff += SUBJECT_OFFSET;
    pa.subjectLen -= SUBJECT_OFFSET;
    link.deliver(account, pa, payload, index);
  }
}
