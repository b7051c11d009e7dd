package io.natsvx.account;

import io.natsvx.config.AccountOptions.ResponseType;
import io.natsvx.subject.SubjectIndex;
import io.natsvx.subject.Subscription;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An account: a name, its own subscription index, the streams other accounts import from it,
 * the services it imports, and the reply subjects that route service responses back to their
 * requesters. Thread-safe: import lists are swapped whole on (re)configuration.
 */
public final class Account {

  /** The global account every connection lands in when no accounts are configured. */
  public static final String GLOBAL = "$G";

  private final String name;
  /** The name as routes carry it in RS+ and RMSG. */
  private final byte[] nameBytes;
  private final SubjectIndex subjects = new SubjectIndex();
  private volatile List<StreamImport> streamImporters = List.of();
  private volatile List<StreamImport> streamImports = List.of();
  private volatile List<ServiceImport> serviceImports = List.of();
  private final ConcurrentHashMap<String, ResponseRoute> responses = new ConcurrentHashMap<>();
  private final String replyPrefix;
  private final AtomicLong replySeq = new AtomicLong();
  private final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
  private volatile io.natsvx.config.AccountOptions.Limits limits = io.natsvx.config.AccountOptions.Limits.NONE;

  private final InterestSink interest;

  public Account(String name) {
    this(name, InterestSink.NONE);
  }

  /** {@code interest} hears of every subscription of this server's own in this account. */
  public Account(String name, InterestSink interest) {
    this.name = name;
    this.interest = interest;
    this.nameBytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    this.replyPrefix = "_R_." + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36) + ".";
  }

  public String name() {
    return name;
  }

  /** Do not modify: shared. */
  public byte[] nameBytes() {
    return nameBytes;
  }

  public SubjectIndex subjects() {
    return subjects;
  }

  /**
   * Indexes a subscription of this server's own (a client's, or an internal handler's) and tells
   * the links: other servers then send what matches it. A link's remote interest goes straight
   * into {@link #subjects()} instead, and is never told back.
   */
  public void subscribe(Subscription sub) {
    subjects.insert(sub);
    interest.changed(name, sub.subject(), sub.queue(), true);
  }

  /** Takes one of this server's own subscriptions out; false when it was not indexed. */
  public boolean unsubscribe(Subscription sub) {
    if (!subjects.remove(sub)) {
      return false;
    }
    interest.changed(name, sub.subject(), sub.queue(), false);
    return true;
  }

  /** Takes many out at once (a closing connection's). */
  public void unsubscribeAll(Collection<Subscription> subs) {
    subjects.removeAll(subs);
    for (Subscription s : subs) {
      interest.changed(name, s.subject(), s.queue(), false);
    }
  }

  /** Streams of this account that other accounts import. */
  public List<StreamImport> streamImporters() {
    return streamImporters;
  }

  /** What the reply subjects of routed service responses start with ({@code _R_.<id>.}). */
  public String replyPrefix() {
    return replyPrefix;
  }

  private boolean responsesAnnounced;

  /**
   * Whether other accounts import this one's services: then the links hear that responses
   * ({@code _R_.<id>.>}) are wanted here, where they are routed back to the account that asked,
   * wherever the responder is. Under the accounts' lock.
   */
  void announceResponses(boolean exporter) {
    if (exporter != responsesAnnounced) {
      responsesAnnounced = exporter;
      interest.changed(name, replyPrefix + ">", null, exporter);
    }
  }

  /** Streams this account imports from others. */
  public List<StreamImport> streamImports() {
    return streamImports;
  }

  /** Services this account's clients use from other accounts. */
  public List<ServiceImport> serviceImports() {
    return serviceImports;
  }

  public io.natsvx.config.AccountOptions.Limits limits() {
    return limits;
  }

  void limits(io.natsvx.config.AccountOptions.Limits value) {
    limits = value;
  }

  /** Takes a connection slot; false when max_connections is reached. */
  public boolean addConnection() {
    int max = limits.maxConnections();
    while (true) {
      int n = connections.get();
      if (max > 0 && n >= max) {
        return false;
      }
      if (connections.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /** Connections bound to this account now. */
  public int connectionCount() {
    return connections.get();
  }

  public void removeConnection() {
    connections.decrementAndGet();
  }

  void wire(List<StreamImport> importers, List<StreamImport> streams, List<ServiceImport> services) {
    this.streamImporters = List.copyOf(importers);
    this.streamImports = List.copyOf(streams);
    this.serviceImports = List.copyOf(services);
  }

  /** Whether anything crosses to or from other accounts (so publishes must look further). */
  public boolean crossesAccounts() {
    return !streamImporters.isEmpty() || !serviceImports.isEmpty() || !responses.isEmpty();
  }

  /**
   * A fresh reply subject in this (exporting) account that routes one service response back to
   * the requester's own reply subject.
   */
  public String routeResponse(Account requester, String reply, ResponseType type, long ttlNanos) {
    String r = replyPrefix + replySeq.incrementAndGet();
    responses.put(r, new ResponseRoute(requester, reply, type, System.nanoTime() + ttlNanos));
    return r;
  }

  /** The route for a response published here on {@code subject}; singletons are used up. */
  public ResponseRoute takeResponse(String subject) {
    ResponseRoute r = responses.get(subject);
    if (r == null) {
      return null;
    }
    if (System.nanoTime() > r.expiresAtNanos()) {
      responses.remove(subject);
      return null;
    }
    if (r.type() == ResponseType.SINGLETON) {
      responses.remove(subject, r);
    }
    return r;
  }

  /** Drops response routes nobody answered in time. */
  public void expireResponses() {
    long now = System.nanoTime();
    responses.values().removeIf(r -> now > r.expiresAtNanos());
  }

  /** Whether subjects published here may be routed responses (cheap prefix test first). */
  public boolean mayBeResponse(String subject) {
    return !responses.isEmpty() && subject.startsWith("_R_.");
  }
}
