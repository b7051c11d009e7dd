package io.natsvx.route;

import io.natsvx.conn.Connection;
import io.natsvx.conn.Outbound;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * The routes one message must cross, each once, with the queue groups the publisher's server
 * picked that route's server for (nats-server's processMsgResults): gathered while the local
 * deliveries are made, then one RMSG (HMSG with headers) per route. One per producing connection,
 * reused; event-loop confined.
 */
public final class RouteFanout {

  private static final byte[] RMSG = {'R', 'M', 'S', 'G', ' '};
  private static final byte[] HMSG = {'H', 'M', 'S', 'G', ' '};

  private RouteConnection[] routes = new RouteConnection[4];
  private String[][] queues = new String[4][];
  private int[] queueCounts = new int[4];
  private int n;
  private byte[] head = new byte[256];
  private int len;

  public boolean isEmpty() {
    return n == 0;
  }

  /** The message goes to {@code route} (a plain subscription there matched). */
  public void add(RouteConnection route) {
    slot(route);
  }

  /** The message goes to {@code route} for queue group {@code queue}. */
  public void addQueue(RouteConnection route, String queue) {
    int i = slot(route);
    String[] q = queues[i];
    if (q == null) {
      q = queues[i] = new String[2];
    } else if (queueCounts[i] == q.length) {
      q = queues[i] = Arrays.copyOf(q, q.length * 2);
    }
    q[queueCounts[i]++] = queue;
  }

  private int slot(RouteConnection route) {
    for (int i = 0; i < n; i++) {
      if (routes[i] == route) {
        return i;
      }
    }
    if (n == routes.length) {
      routes = Arrays.copyOf(routes, n * 2);
      queues = Arrays.copyOf(queues, n * 2);
      queueCounts = Arrays.copyOf(queueCounts, n * 2);
    }
    queueCounts[n] = 0;
    routes[n] = route;
    return n++;
  }

  /**
   * Frames and hands the message to every route gathered, then forgets them. {@code replyOff}
   * below 0 means no reply, {@code headerSize} below 0 no headers; {@code size} counts both.
   * Returns true when some route took it.
   */
  public boolean send(Connection producer, byte[] account, byte[] subject, int subjectOff, int subjectLen,
      byte[] reply, int replyOff, int replyLen, int headerSize, int size, ByteBuf payload, int index) {
    boolean any = false;
    for (int i = 0; i < n; i++) {
      RouteConnection route = routes[i];
      routes[i] = null;
      if (route.isClosed()) {
        continue;
      }
      frame(account, subject, subjectOff, subjectLen, reply, replyOff, replyLen, queues[i], queueCounts[i],
          headerSize, size);
      int r = producer.deliverFramed(route, head, len, payload, index, size) & Outbound.RESULT;
      any |= r == Outbound.OK || r == Outbound.STALLED;
    }
    n = 0;
    return any;
  }

  private void frame(byte[] account, byte[] subject, int subjectOff, int subjectLen, byte[] reply, int replyOff,
      int replyLen, String[] q, int qn, int headerSize, int size) {
    len = 0;
    put(headerSize >= 0 ? HMSG : RMSG, 0, 5);
    put(account, 0, account.length);
    putByte(' ');
    put(subject, subjectOff, subjectLen);
    putByte(' ');
    if (qn > 0) {
      if (replyOff >= 0) {
        putByte('+');
        putByte(' ');
        put(reply, replyOff, replyLen);
        putByte(' ');
      } else {
        putByte('|');
        putByte(' ');
      }
      for (int k = 0; k < qn; k++) {
        byte[] qb = q[k].getBytes(java.nio.charset.StandardCharsets.UTF_8);
        put(qb, 0, qb.length);
        putByte(' ');
      }
    } else if (replyOff >= 0) {
      put(reply, replyOff, replyLen);
      putByte(' ');
    }
    if (headerSize >= 0) {
      putDigits(headerSize);
      putByte(' ');
    }
    putDigits(size);
    putByte('\r');
    putByte('\n');
  }

  private void put(byte[] b, int off, int count) {
    ensure(count);
    System.arraycopy(b, off, head, len, count);
    len += count;
  }

  private void putByte(char c) {
    ensure(1);
    head[len++] = (byte) c;
  }

  private void putDigits(int v) {
    String s = Integer.toString(v);
    ensure(s.length());
    for (int i = 0; i < s.length(); i++) {
      head[len++] = (byte) s.charAt(i);
    }
  }

  private void ensure(int more) {
    if (len + more > head.length) {
      head = Arrays.copyOf(head, Math.max(head.length * 2, len + more));
    }
  }
}
