package io.natsvx.jetstream.consumer;

import io.natsvx.config.GoDuration;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * A pull consumer's waiting list, as nats-server's consumer.go answers
 * {@code $JS.API.CONSUMER.MSG.NEXT}: requests are checked against the consumer's limits (409),
 * served in arrival order up to their batch and max_bytes, end with 408 when they expire or
 * 404/408 when {@code no_wait} finds nothing more, and get their idle heartbeats. Confined to the
 * consumer's pump.
 */
final class PullRequests {

  /** Where status messages go: a reply subject, a status line and more header lines, or null. */
  interface Statuses {
    void status(String to, String status, String extraHeaders);
  }

  /** A pull request waiting for messages. */
  static final class Request {
    private final String reply;
    private long batch;
    private final long maxBytes;
    private long bytesLeft;
    private final long expires; // System.nanoTime(), 0: never
    private final boolean noWait;
    private final long heartbeat;
    private long lastHeartbeat;
    private int delivered;

    private Request(String reply, long batch, long maxBytes, long expires, boolean noWait, long heartbeat, long now) {
      this.reply = reply;
      this.batch = batch;
      this.maxBytes = maxBytes;
      this.bytesLeft = maxBytes > 0 ? maxBytes : Long.MAX_VALUE;
      this.expires = expires;
      this.noWait = noWait;
      this.heartbeat = heartbeat;
      this.lastHeartbeat = now;
    }

    String reply() {
      return reply;
    }

    boolean fits(long size) {
      return size <= bytesLeft;
    }

    boolean gotAny() {
      return delivered > 0;
    }

    /** Counts one message sent for it; true when its batch is complete. */
    boolean took(long size) {
      delivered++;
      batch--;
      bytesLeft -= size;
      return batch <= 0;
    }

    private String left() {
      return "Nats-Pending-Messages: " + batch + "\r\nNats-Pending-Bytes: " + maxBytes;
    }
  }

  private final ConsumerConfig config;
  private final Statuses out;
  private final ArrayDeque<Request> waiting = new ArrayDeque<>();

  PullRequests(ConsumerConfig config, Statuses out) {
    this.config = config;
    this.out = out;
  }

  /** A request on the next-message subject: JSON, a bare batch size or empty (one). */
  void add(String reply, byte[] body, long now) {
    long batch = 1;
    long expires = 0;
    boolean noWait = false;
    long maxBytes = 0;
    long heartbeat = 0;
    String text = new String(body, StandardCharsets.UTF_8).trim();
    if (text.startsWith("{")) {
      try {
        JsonObject r = new JsonObject(text);
        batch = r.getLong("batch", 1L);
        expires = r.getLong("expires", 0L);
        noWait = r.getBoolean("no_wait", false);
        maxBytes = r.getLong("max_bytes", 0L);
        heartbeat = r.getLong("idle_heartbeat", 0L);
      } catch (RuntimeException e) {
        out.status(reply, "400 Bad Request", null);
        return;
      }
    } else if (!text.isEmpty()) {
      batch = Acks.parseLong(text);
    }
    if (batch <= 0) {
      batch = 1;
    }
    if (config.maxBatch() > 0 && batch > config.maxBatch()) {
      out.status(reply, "409 Exceeded MaxRequestBatch of " + config.maxBatch(), null);
    } else if (config.maxExpiresNanos() > 0 && expires > config.maxExpiresNanos()) {
      out.status(reply, "409 Exceeded MaxRequestExpires of "
          + GoDuration.format(Duration.ofNanos(config.maxExpiresNanos())), null);
    } else if (config.maxBytes() > 0 && maxBytes > config.maxBytes()) {
      out.status(reply, "409 Exceeded MaxRequestMaxBytes of " + config.maxBytes(), null);
    } else if (waiting.size() >= config.maxWaiting()) {
      out.status(reply, "409 Exceeded MaxWaiting", null);
    } else {
      waiting.add(new Request(reply, batch, maxBytes, expires > 0 ? now + expires : 0, noWait, heartbeat, now));
    }
  }

  /** The oldest request, or null. */
  Request first() {
    return waiting.peek();
  }

  /** The oldest request is done. */
  void removeFirst() {
    waiting.poll();
  }

  /** Ends the oldest request because its max_bytes cannot take the next message. */
  void removeFirstTooSmall() {
    Request r = waiting.poll();
    if (r != null && !r.gotAny()) {
      out.status(r.reply, "409 Message Size Exceeds MaxBytes", null);
    }
  }

  void expire(long now) {
    Iterator<Request> it = waiting.iterator();
    while (it.hasNext()) {
      Request r = it.next();
      if (r.expires > 0 && now >= r.expires) {
        it.remove();
        out.status(r.reply, "408 Request Timeout", r.left());
      }
    }
  }

  /** A no_wait request ends once nothing more is there: 404 when it got nothing, 408 when some. */
  void finishNoWait() {
    Iterator<Request> it = waiting.iterator();
    while (it.hasNext()) {
      Request r = it.next();
      if (r.noWait) {
        it.remove();
        if (r.gotAny()) {
          out.status(r.reply, "408 Request Timeout", r.left());
        } else {
          out.status(r.reply, "404 No Messages", null);
        }
      }
    }
  }

  void heartbeats(long now) {
    for (Request r : waiting) {
      if (r.heartbeat > 0 && now - r.lastHeartbeat >= r.heartbeat) {
        r.lastHeartbeat = now;
        out.status(r.reply, "100 Idle Heartbeat", null);
      }
    }
  }

  /** The next expiry or heartbeat of a request, or Long.MAX_VALUE. */
  long nextDeadline() {
    long next = Long.MAX_VALUE;
    for (Request r : waiting) {
      if (r.expires > 0) {
        next = Math.min(next, r.expires);
      }
      if (r.heartbeat > 0) {
        next = Math.min(next, r.lastHeartbeat + r.heartbeat);
      }
    }
    return next;
  }

  /** Drops every request; when the consumer is deleted, each gets 409 Consumer Deleted. */
  void clear(boolean deleted) {
    if (deleted) {
      for (Request r : waiting) {
        out.status(r.reply, "409 Consumer Deleted", null);
      }
    }
    waiting.clear();
  }

  boolean isEmpty() {
    return waiting.isEmpty();
  }

  int size() {
    return waiting.size();
  }
}
