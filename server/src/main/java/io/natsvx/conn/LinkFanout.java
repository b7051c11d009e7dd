package io.natsvx.conn;

import java.util.Arrays;

/**
 * The links one message must cross, each once, with the queue groups this server picked each
 * link's side for (nats-server's processMsgResults): gathered while the local deliveries are
 * made, then one forward per link. One per producer, reused; event-loop confined.
 */
public final class LinkFanout {

  private Link[] links = new Link[4];
  private String[][] queues = new String[4][];
  private int[] queueCounts = new int[4];
  private int n;

  public boolean isEmpty() {
    return n == 0;
  }

  /** The message goes to {@code link}, for queue group {@code queue} when not null. */
  void add(Link link, String queue) {
    int i = slot(link);
    if (queue == null) {
      return;
    }
    String[] q = queues[i];
    if (q == null) {
      q = queues[i] = new String[2];
    } else if (queueCounts[i] == q.length) {
      q = queues[i] = Arrays.copyOf(q, q.length * 2);
    }
    q[queueCounts[i]++] = queue;
  }

  private int slot(Link link) {
    for (int i = 0; i < n; i++) {
      if (links[i] == link) {
        return i;
      }
    }
    if (n == links.length) {
      links = Arrays.copyOf(links, n * 2);
      queues = Arrays.copyOf(queues, n * 2);
      queueCounts = Arrays.copyOf(queueCounts, n * 2);
    }
    queueCounts[n] = 0;
    links[n] = link;
    return n++;
  }

  /** Forwards the message to every link gathered, then forgets them; true when one took it. */
  boolean send(Producer producer, byte[] account, MsgFrame frame) {
    boolean any = false;
    for (int i = 0; i < n; i++) {
      Link link = links[i];
      links[i] = null;
      any |= link.forward(producer, account, frame, queues[i], queueCounts[i]);
    }
    n = 0;
    return any;
  }
}
