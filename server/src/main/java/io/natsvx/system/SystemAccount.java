package io.natsvx.system;

import io.natsvx.server.ServerContext;
import io.natsvx.account.Account;
import io.natsvx.conn.ConnectionInfo;
import io.natsvx.messaging.InternalPublisher;
import io.natsvx.monitor.Connz;
import io.natsvx.monitor.FeatureEndpoints;
import io.natsvx.monitor.GoFormat;
import io.natsvx.monitor.Healthz;
import io.natsvx.monitor.Jsz;
import io.natsvx.monitor.Monitored;
import io.natsvx.monitor.ProcessStats;
import io.natsvx.monitor.Routez;
import io.natsvx.monitor.Subsz;
import io.natsvx.monitor.Varz;
import io.natsvx.messaging.InternalSink;
import io.natsvx.subject.MatchResult;
import io.natsvx.subject.Subscription;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import io.vertx.core.Promise;

/**
 * The server's presence in the system account: answers {@code $SYS.REQ.SERVER.PING[.<X>]} and
 * {@code $SYS.REQ.SERVER.<id>.<X>} with nats-server's JSON, publishes
 * {@code $SYS.SERVER.<id>.STATSZ} every ten seconds and {@code $SYS.ACCOUNT.<acc>.CONNECT |
 * DISCONNECT} events, to clients of the system account; operator mode's account-token requests
 * are {@link ClaimsRequests}'. The server's own requests get their answers on
 * {@code $SYS._INBOX.<server id>.*}. Requests are answered on a worker; the answers go to each
 * subscriber on its own event loop. Thread-safe.
 */
public final class SystemAccount implements InternalSink, io.natsvx.server.SystemServices {

  static final long STATSZ_INTERVAL_MILLIS = 10_000;

  private final ServerContext server;
  private final Vertx vertx;
  private final String httpHost;
  private final int httpPort;
  private final AtomicLong seq = new AtomicLong();
  private final Map<String, Function<JsonObject, Future<JsonObject>>> endpoints;
  private long timer = -1;
  private final ClaimsRequests claims;
  /** Where answers to the server's own requests come: {@code $SYS._INBOX.<server id>.<n>}. */
  private final String inbox;
  private final AtomicLong requests = new AtomicLong();
  private final Map<String, Predicate<byte[]>> pending = new ConcurrentHashMap<>();
  /** The accounts whose inbox subscription for answers exists. */
  private final java.util.Set<Account> answering = ConcurrentHashMap.newKeySet();

  private final Monitored parts;

  public SystemAccount(ServerContext server, Monitored parts, String httpHost, int httpPort) {
    this.server = server;
    this.parts = parts;
    this.vertx = server.vertx();
    this.httpHost = httpHost;
    this.httpPort = httpPort;
    this.inbox = "$SYS._INBOX." + server.serverId() + ".";
    this.claims = new ClaimsRequests(server, this);
    this.endpoints = Map.of(
        "STATSZ", o -> Future.succeededFuture(null),
        "VARZ", o -> Future.succeededFuture(Varz.build(server, parts.jetStream(), httpHost, httpPort,
            server.options().httpBasePath())),
        "CONNZ", o -> Connz.build(server, connzOptions(o)),
        "SUBSZ", o -> Future.succeededFuture(Subsz.build(server,
            new Subsz.Options(o.getBoolean("subscriptions", false), o.getInteger("offset", 0), o.getInteger("limit", 0),
                o.getString("test")))),
        "HEALTHZ", o -> Future.succeededFuture(Healthz.check(server, o.getBoolean("js-enabled-only", false)
            || o.getBoolean("js-server-only", false)).body()),
        "ROUTEZ", o -> Routez.build(server, parts.routes(), o.getBoolean("subscriptions", false),
            o.getBoolean("subscriptions_detail", false)),
        "GATEWAYZ", o -> io.natsvx.monitor.Gatewayz.build(server, parts.gateways(), o.getBoolean("accounts", false),
            o.getString("name"), o.getString("account_name")),
        "LEAFZ", o -> io.natsvx.monitor.Leafz.build(server, parts.leafNodes(), o.getBoolean("subscriptions", false),
            o.getString("account")),
        "ACCOUNTZ", o -> Future.succeededFuture(FeatureEndpoints.accountz(server)),
        "JSZ", o -> Future.succeededFuture(Jsz.build(server, parts.jetStream(), new Jsz.Options(o.getBoolean("accounts", false),
            o.getBoolean("streams", false), o.getBoolean("consumer", false), o.getBoolean("config", false),
            o.getString("account")))));
  }

  /** Subscribes the request subjects in the system account and starts the STATSZ timer. */
  public void start() {
    Account sys = server.accounts().system();
    String direct = "$SYS.REQ.SERVER." + server.serverId() + ".";
    sys.subscribe(new Subscription(this, "$SYS.REQ.SERVER.PING", null, "ping"));
    for (String name : endpoints.keySet()) {
      sys.subscribe(new Subscription(this, "$SYS.REQ.SERVER.PING." + name, null, name));
      sys.subscribe(new Subscription(this, direct + name, null, "direct." + name));
    }
    claims.start();
    timer = vertx.setPeriodic(STATSZ_INTERVAL_MILLIS, t -> statsz("$SYS.SERVER." + server.serverId() + ".STATSZ"));
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    claims.stop();
  }

  @Override
  public void receive(String subject, String reply, byte[] payload) {
    if (subject.startsWith(inbox)) {
      var handler = pending.get(subject);
      if (handler != null && handler.test(payload)) {
        pending.remove(subject);
      }
      return;
    }
    if (reply == null) {
      return;
    }
    String name = subject.equals("$SYS.REQ.SERVER.PING") ? "STATSZ" : subject.substring(subject.lastIndexOf('.') + 1);
    var endpoint = endpoints.get(name);
    if (endpoint == null) {
      return;
    }
    JsonObject options = options(payload);
    // Producers read /proc, stream state and walk connections: on a worker, off the publisher's event loop
    // (what is composed on executeBlocking's future runs back on the loop).
    vertx.executeBlocking(() -> name.equals("STATSZ") ? Future.succeededFuture(statszMessage()) : endpoint.apply(options)
            .map(data -> new JsonObject().put("server", serverInfo()).put("data", data)), false)
        .compose(answer -> answer)
        .onSuccess(json -> publish(server.accounts().system(), reply, json));
  }

  /**
   * Asks the system account's clients: {@code answer} gets each reply until it returns true
   * (then the future succeeds) or {@code timeoutMillis} pass (then it fails).
   */
  public Future<Void> request(String subject, byte[] payload, long timeoutMillis, Predicate<byte[]> answer) {
    return request(server.accounts().system(), subject, null, payload, timeoutMillis, answer);
  }

  /** The same in any account (the auth callout's): the first answer, whatever it holds. */
  @Override
  public Future<byte[]> request(String accountName, String subject, byte[] headers, byte[] payload,
      long timeoutMillis) {
    Account account = server.accounts().get(accountName);
    if (account == null) {
      return Future.failedFuture("no account " + accountName);
    }
    AtomicReference<byte[]> first = new AtomicReference<>();
    return request(account, subject, headers, payload, timeoutMillis, bytes -> {
      first.set(bytes);
      return true;
    }).map(v -> first.get());
  }

  private Future<Void> request(Account account, String subject, byte[] headers, byte[] payload, long timeoutMillis,
      Predicate<byte[]> answer) {
    if (answering.add(account)) {
      account.subscribe(new Subscription(this, inbox + "*", null, "inbox"));
    }
    String reply = inbox + requests.incrementAndGet();
    Promise<Void> done = Promise.promise();
    pending.put(reply, bytes -> {
      if (answer.test(bytes)) {
        done.tryComplete();
        return true;
      }
      return false;
    });
    long timeout = vertx.setTimer(Math.max(1, timeoutMillis), t -> {
      if (pending.remove(reply) != null) {
        done.tryFail("timed out");
      }
    });
    publish(account, subject, reply, headers, payload);
    return done.future().onComplete(v -> vertx.cancelTimer(timeout));
  }

  /** nats-server's account lookup: the first non-empty answer to {@code $SYS.REQ.ACCOUNT.<key>.CLAIMS.LOOKUP}. */
  @Override
  public Future<String> lookupAccount(String accountKey, long timeoutMillis) {
    AtomicReference<String> token = new AtomicReference<>();
    return request("$SYS.REQ.ACCOUNT." + accountKey + ".CLAIMS.LOOKUP", new byte[0], timeoutMillis, bytes -> {
      if (bytes.length == 0) {
        return false;
      }
      token.set(new String(bytes, StandardCharsets.UTF_8).trim());
      return true;
    }).transform(ar -> ar.succeeded() ? Future.succeededFuture(token.get())
        : Future.failedFuture("fetching jwt timed out"));
  }

  private static JsonObject options(byte[] payload) {
    if (payload.length == 0) {
      return new JsonObject();
    }
    try {
      return new JsonObject(new String(payload, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return new JsonObject();
    }
  }

  private static Connz.Options connzOptions(JsonObject o) {
    String state = o.getValue("state") instanceof String st ? st : "open";
    String sort = o.getString("sort", "cid");
    boolean detail = o.getBoolean("subscriptions_detail", false);
    return new Connz.Options(sort.isEmpty() ? "cid" : sort, o.getBoolean("subscriptions", false) && !detail, detail,
        o.getInteger("offset", 0), o.getInteger("limit", 0) <= 0 ? Connz.DEFAULT_LIMIT : o.getInteger("limit"),
        o.getLong("cid", 0L), state.equals("all") ? "any" : state);
  }

  /** nats-server's ServerInfo, the header of every system message. */
  JsonObject serverInfo() {
    return new JsonObject()
        .put("name", server.serverName())
        .put("host", server.options().host())
        .put("id", server.serverId())
        .put("ver", ServerContext.PROTOCOL_VERSION)
        .put("jetstream", false)
        .put("flags", 0)
        .put("seq", seq.incrementAndGet())
        .put("time", GoFormat.now());
  }

  /** nats-server's ServerStatsMsg. */
  JsonObject statszMessage() {
    JsonObject stats = new JsonObject()
        .put("start", GoFormat.time(server.startMillis()))
        .put("mem", ProcessStats.rss())
        .put("cores", Runtime.getRuntime().availableProcessors())
        .put("cpu", ProcessStats.cpuPercent())
        .put("connections", server.connectionCount())
        .put("total_connections", server.totalConnections.sum())
        .put("active_accounts", (int) server.accounts().all().stream().filter(a -> a.connectionCount() > 0).count())
        .put("subscriptions", server.subscriptionCount())
        .put("sent", new JsonObject().put("msgs", server.outMsgs.sum()).put("bytes", server.outBytes.sum()))
        .put("received", new JsonObject().put("msgs", server.inMsgs.sum()).put("bytes", server.inBytes.sum()))
        .put("slow_consumers", server.slowConsumers.sum());
    return new JsonObject().put("server", serverInfo()).put("statsz", stats);
  }

  private void statsz(String subject) {
    if (hasInterest(subject)) {
      vertx.executeBlocking(this::statszMessage, false).onSuccess(m -> publish(server.accounts().system(), subject, m));
    }
  }

  @Override
  public void clientConnected(ConnectionInfo c) {
    event(c, false);
  }

  @Override
  public void clientDisconnected(ConnectionInfo c) {
    event(c, true);
  }

  private void event(ConnectionInfo ci, boolean disconnect) {
    String subject = "$SYS.ACCOUNT." + ci.account() + (disconnect ? ".DISCONNECT" : ".CONNECT");
    if (!hasInterest(subject)) {
      return;
    }
    JsonObject client = Varz.compact(new JsonObject()
        .put("start", GoFormat.time(ci.start()))
        .put("host", ci.ip())
        .put("id", ci.cid())
        .put("acc", ci.account())
        .put("user", ci.user())
        .put("name", ci.name())
        .put("lang", ci.lang())
        .put("ver", ci.version())
        .put("rtt", ci.rttNanos() > 0 ? GoFormat.duration(Duration.ofNanos(ci.rttNanos())) : null)
        .put("server", server.serverName())
        .put("stop", disconnect ? GoFormat.time(ci.stop()) : null)
        .put("kind", "Client")
        .put("client_type", "nats"));
    JsonObject msg = new JsonObject()
        .put("type", disconnect ? "io.nats.server.advisory.v1.client_disconnect" : "io.nats.server.advisory.v1.client_connect")
        .put("id", Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36))
        .put("timestamp", GoFormat.now())
        .put("server", serverInfo())
        .put("client", client);
    if (disconnect) {
      msg.put("sent", new JsonObject().put("msgs", ci.outMsgs()).put("bytes", ci.outBytes()))
          .put("received", new JsonObject().put("msgs", ci.inMsgs()).put("bytes", ci.inBytes()))
          .put("reason", ci.reason() == null ? "Client Closed" : ci.reason());
    }
    publish(server.accounts().system(), subject, msg);
  }

  private boolean hasInterest(String subject) {
    return !server.accounts().system().subjects().match(subject).isEmpty();
  }

  /** Sends a message into an account: to each subscriber, on its own event loop. */
  void publish(Account account, String subject, JsonObject body) {
    publish(account, subject, null, body.encode().getBytes(StandardCharsets.UTF_8));
  }

  /** The same with a reply subject; only clients get it, never the server's own handlers. */
  void publish(Account account, String subject, String reply, byte[] payload) {
    publish(account, subject, reply, null, payload);
  }

  /** With headers ({@code NATS/1.0\r\n...\r\n\r\n}; null for none). */
  void publish(Account account, String subject, String reply, byte[] headers, byte[] payload) {
    InternalPublisher.publish(account, subject, reply, headers, payload);
  }
}
