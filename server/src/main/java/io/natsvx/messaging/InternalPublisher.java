package io.natsvx.messaging;

import io.natsvx.account.Account;
import io.natsvx.conn.Connection;
import io.natsvx.conn.InternalProducer;
import io.natsvx.subject.MatchResult;
import io.natsvx.subject.Subscription;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;

/**
 * The path of the server's own messages (system answers and events, JetStream acks and
 * deliveries, auth callout requests): matched once in the account's index, then delivered by the
 * server's publisher on the loop of a connection that wants them, through the same dispatch as
 * a client's publish, so they reach clients on this server and, over the links, on any other.
 * Thread-safe: call it from any thread.
 */
public final class InternalPublisher {

  private InternalPublisher() {}

  /** {@code headers} is a whole header block ({@code NATS/1.0\r\n...\r\n\r\n}), or null. */
  public static boolean publish(Account account, String subject, String reply, byte[] headers, byte[] payload) {
    return deliver(account, subject, subject, reply, headers, payload);
  }

  /**
   * To the subscribers of {@code to}, but carrying {@code subject} in the MSG line: how JetStream
   * hands a stored message to a consumer's deliver subject or a pull request's inbox. Returns
   * whether anyone may get it.
   */
  public static boolean deliver(Account account, String to, String subject, String reply, byte[] headers,
      byte[] payload) {
    return deliver(account, to, subject, reply, headers, payload, 0);
  }

  private static boolean deliver(Account account, String to, String subject, String reply, byte[] headers,
      byte[] payload, int depth) {
    boolean crossed = cross(account, to, subject, reply, headers, payload, depth);
    return deliverHere(account, to, subject, reply, headers, payload) || crossed;
  }

  /** Imports chained deeper than this are not followed (an import cycle must not loop). */
  private static final int MAX_CROSSINGS = 4;

  /**
   * Where the server's own message crosses into other accounts, as a client's does (see
   * {@link CrossAccounts}): a response back to the account that asked, the streams others import
   * from this one, the services this one imports (a stream's feed asking another account's
   * JetStream API). A JetStream delivery ({@code to} not {@code subject}) keeps its stored subject.
   */
  private static boolean cross(Account account, String to, String subject, String reply, byte[] headers,
      byte[] payload, int depth) {
    if (depth >= MAX_CROSSINGS) {
      return false;
    }
    boolean redirected = !to.equals(subject);
    boolean delivered = false;
    if (account.mayBeResponse(to)) {
      io.natsvx.account.ResponseRoute route = account.takeResponse(to);
      if (route != null) {
        delivered = deliver(route.requester(), route.reply(), route.reply(), null, headers, payload, depth + 1);
      }
    }
    for (io.natsvx.account.StreamImport si : account.streamImporters()) {
      String mapped = si.map(to);
      if (mapped != null) {
        delivered |= deliver(si.importer(), mapped, redirected ? subject : mapped, reply, headers, payload, depth + 1);
      }
    }
    for (io.natsvx.account.ServiceImport svc : account.serviceImports()) {
      String mapped = svc.map(to);
      if (mapped != null) {
        String routed = reply == null ? null
            : svc.exporter().routeResponse(account, reply, svc.responseType(), svc.responseThreshold().toNanos());
        delivered |= deliver(svc.exporter(), mapped, mapped, routed, headers, payload, depth + 1);
      }
    }
    return delivered;
  }

  private static boolean deliverHere(Account account, String to, String subject, String reply, byte[] headers,
      byte[] payload) {
    MatchResult r = account.subjects().match(to);
    boolean heard = toListeningSinks(r, subject, reply, headers, payload);
    Connection c = firstConnection(r);
    if (c == null) {
      return heard;
    }
    run(c, List.of(new InternalProducer.Message(account, r, to, subject, reply, headers, payload)));
    return true;
  }

  /** The sinks among the matches that hear the server's own messages, called here (the dispatch skips them). */
  private static boolean toListeningSinks(MatchResult r, String subject, String reply, byte[] headers,
      byte[] payload) {
    boolean heard = false;
    for (Subscription sub : r.plain()) {
      if (!sub.isClosed() && sub.owner() instanceof InternalSink sink && sink.hearsServer()) {
        sink.receive(subject, reply, headers == null ? new byte[0] : headers, payload);
        heard = true;
      }
    }
    return heard;
  }

  /**
   * Whether a client, a link or a listening sink subscribes {@code to} (a push consumer's
   * deliver subject), here or in an account that imports it.
   */
  public static boolean hasInterest(Account account, String to) {
    return hasInterest(account, to, 0);
  }

  private static boolean hasInterest(Account account, String to, int depth) {
    if (depth < MAX_CROSSINGS) {
      for (io.natsvx.account.StreamImport si : account.streamImporters()) {
        String mapped = si.map(to);
        if (mapped != null && hasInterest(si.importer(), mapped, depth + 1)) {
          return true; // another account imports it and wants it
        }
      }
    }
    MatchResult r = account.subjects().match(to);
    if (firstConnection(r) != null) {
      return true;
    }
    for (Subscription sub : r.plain()) {
      if (!sub.isClosed() && sub.owner() instanceof InternalSink sink && sink.hearsServer()) {
        return true;
      }
    }
    return false;
  }

  /** A connection among the matches: the server's publisher runs on its loop. */
  private static Connection firstConnection(MatchResult r) {
    for (Subscription sub : r.plain()) {
      if (!sub.isClosed() && sub.owner() instanceof Connection c) {
        return c;
      }
    }
    for (Subscription[] group : r.queues()) {
      for (Subscription sub : group) {
        if (!sub.isClosed() && sub.owner() instanceof Connection c) {
          return c;
        }
      }
    }
    return null;
  }

  private static void run(Connection on, List<InternalProducer.Message> messages) {
    EventLoop loop = on.eventLoop();
    InternalProducer producer = on.host().internalProducer(loop);
    try {
      loop.execute(() -> producer.publish(messages));
    } catch (RejectedExecutionException shuttingDown) {
      // the loop is going away with the server, and its connections with it
    }
  }

  /**
   * Messages gathered by one producer (a JetStream writer's acks, a consumer's deliveries) and
   * handed over together: one task per loop and one write per connection, not one per message.
   * Not thread-safe: one producer fills it, then {@link #send} once.
   */
  public static final class Batch {
    private final Map<Connection, List<InternalProducer.Message>> byLoop = new LinkedHashMap<>();
    private final Map<EventLoop, Connection> loops = new LinkedHashMap<>();
    private String lastTo;
    private Account lastAccount;
    private MatchResult lastMatch;
    private Connection lastConnection;
    private int size;

    /** Messages added since the last send. */
    public int size() {
      return size;
    }

    /** As {@link InternalPublisher#deliver}: to {@code to}'s subscribers, carrying {@code subject}. */
    public boolean add(Account account, String to, String subject, String reply, byte[] headers, byte[] payload) {
      // a consumer sends a run of messages to one subject: match it once per batch
      if (account != lastAccount || !to.equals(lastTo)) {
        lastAccount = account;
        lastTo = to;
        lastMatch = account.subjects().match(to);
        Connection c = firstConnection(lastMatch);
        lastConnection = c == null ? null : loops.computeIfAbsent(c.eventLoop(), l -> c);
      }
      boolean heard = toListeningSinks(lastMatch, subject, reply, headers, payload)
          | cross(account, to, subject, reply, headers, payload, 0);
      if (lastConnection == null) {
        return heard;
      }
      byLoop.computeIfAbsent(lastConnection, k -> new ArrayList<>())
          .add(new InternalProducer.Message(account, lastMatch, to, subject, reply, headers, payload));
      size++;
      return true;
    }

    public void send() {
      byLoop.forEach(InternalPublisher::run);
      byLoop.clear();
      loops.clear();
      size = 0;
      lastTo = null;
      lastAccount = null;
      lastMatch = null;
      lastConnection = null;
    }
  }
}
