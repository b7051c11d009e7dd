package io.natsvx.client;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The routed replies a client was shown without their prefix (nats-server's gwReplyMapping):
 * for two seconds, a publish to the reply shown goes out as the whole routed reply, straight
 * back to the cluster that asked. Written on the loops that deliver, read on the client's.
 */
final class RoutedReplies {

  /** nats-server's defaultGatewayRecentSubExpiration. */
  private static final long TTL_NANOS = 2_000_000_000L;
  private static final int PRUNE_AT = 256;

  private record Routed(byte[] subject, long expires) {}

  private final Map<String, Routed> bySubject = new ConcurrentHashMap<>();
  private volatile boolean any;

  /** The client was shown {@code reply}, which stands for {@code routed}. */
  void shown(String reply, byte[] routed) {
    long now = System.nanoTime();
    if (bySubject.size() >= PRUNE_AT) {
      bySubject.values().removeIf(r -> r.expires() - now <= 0);
    }
    bySubject.put(reply, new Routed(routed, now + TTL_NANOS));
    any = true;
  }

  /** The routed reply a publish to this subject stands for; null when none (the usual case, read without a lookup). */
  byte[] routedFor(byte[] b, int off, int len) {
    if (!any) {
      return null;
    }
    Routed r = bySubject.get(new String(b, off, len, StandardCharsets.UTF_8));
    if (r == null) {
      return null;
    }
    if (r.expires() - System.nanoTime() <= 0) {
      bySubject.remove(new String(b, off, len, StandardCharsets.UTF_8), r);
      any = !bySubject.isEmpty();
      return null;
    }
    return r.subject();
  }
}
