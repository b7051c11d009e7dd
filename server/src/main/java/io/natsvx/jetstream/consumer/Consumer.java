package io.natsvx.jetstream.consumer;

import io.natsvx.account.Account;
import io.natsvx.jetstream.store.StoredMessage;
import io.natsvx.jetstream.stream.Stream;
import io.natsvx.messaging.InternalPublisher;
import io.natsvx.messaging.InternalSink;
import io.natsvx.subject.Subscription;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One consumer of a stream, push or pull, as nats-server's consumer.go behaves to clients: it
 * delivers stored messages with {@code $JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<ts>.<pending>}
 * replies, redelivers what is not acknowledged ({@link Acks}), answers pull requests
 * ({@link PullRequests}) and sends idle heartbeats; {@link StreamCursor} knows where in the
 * stream it is. Events (acks, pull requests, new messages, timers) arrive on event loops and are
 * queued; one pump at a time ({@link Pump}) handles them on a worker, where the store is read.
 * A durable consumer of a file stream keeps its state with the stream ({@link ConsumerState}),
 * so its ack floor never goes back.
 */
public final class Consumer implements InternalSink {

  /** Something for the pump to handle. */
  private sealed interface Event permits AckEvent, NextEvent, FlowAnswer, Tick {}

  private record AckEvent(String subject, String reply, byte[] body) implements Event {}

  private record NextEvent(String reply, byte[] body) implements Event {}

  private record FlowAnswer(String subject) implements Event {}

  private record Tick() implements Event {}

  private static final long EPHEMERAL_INACTIVE = 5_000_000_000L;
  private static long nextId = -3_000_000;

  private final long id;
  private final Vertx vertx;
  private final Account account;
  private final Stream stream;
  private final ConsumerConfig config;
  private final String name;
  private final long createdNanos;
  private final Runnable onInactive;
  private final Pump<Event> events;
  private final List<Subscription> subscriptions = new ArrayList<>();

  // Pump-only state (also read under this object's monitor by info()).
  private final StreamCursor cursor;
  private final Acks acks;
  private final PullRequests requests;
  /** Where a push consumer delivers; null for pull. */
  private final PushTarget push;
  private final ConsumerState state;
  /** Replay timing and rate limit; unpaced until the consumer starts. */
  private DeliveryPace pace = new DeliveryPace(0, 0, 1, System.nanoTime());
  private long lastActivity = System.nanoTime();
  private boolean stopped;
  private final WakeTimer wakeTimer;
  /** Pump runs so far: idle consumers must not spin (read by tests). */
  private long pumps;
  /** What one pump sends, handed to each client at once when it ends. */
  private final ConsumerOutput out;
  /** Replies confirming acknowledgements, sent once the pump has let go of the messages. Pump only. */
  private final InternalPublisher.Batch confirms = new InternalPublisher.Batch();

  private Consumer(Vertx vertx, Account account, Stream stream, ConsumerConfig config, long createdNanos,
      Runnable onInactive) {
    synchronized (Consumer.class) {
      this.id = nextId--;
    }
    this.vertx = vertx;
    this.account = account;
    this.stream = stream;
    this.config = config;
    this.name = config.name();
    this.createdNanos = createdNanos;
    this.onInactive = onInactive;
    this.cursor = new StreamCursor(stream.store(), config);
    this.acks = new Acks(config, stream.config().retention().equals("limits"));
    this.out = new ConsumerOutput(account, config.headersOnly());
    this.requests = new PullRequests(config, out::status);
    this.push = config.pull() ? null : new PushTarget(account, stream.name(), config);
    this.state = new ConsumerState(stream, config, createdNanos, cursor, acks);
    this.events = new Pump<>(vertx, this::pump);
    this.wakeTimer = new WakeTimer(vertx, this::signal);
  }

  /** A new consumer, starting where its deliver policy says. Worker only (reads the store). */
  public static Consumer create(Vertx vertx, Account account, Stream stream, ConsumerConfig config,
      long createdNanos, Runnable onInactive) {
    Consumer c = new Consumer(vertx, account, stream, config, createdNanos, onInactive);
    c.acks.startAfter(c.cursor.position());
    c.state.created();
    return c;
  }

  /** A durable consumer brought back from its saved JSON. */
  public static Consumer restore(Vertx vertx, Account account, Stream stream, JsonObject saved,
      Runnable onInactive) {
    ConsumerConfig config = ConsumerConfig.parse(saved.getJsonObject("config"), stream.config());
    Consumer c = new Consumer(vertx, account, stream, config, saved.getLong("created", 0L), onInactive);
    c.state.restore(saved); // pending messages are due one ack_wait after the restart, as if just delivered
    return c;
  }

  @Override
  public long id() {
    return id;
  }

  public String name() {
    return name;
  }

  public ConsumerConfig config() {
    return config;
  }

  public boolean durable() {
    return !config.durable().isEmpty();
  }

  /** Subscribes its ack subject (and for pull, its next-message subject). */
  public void start() {
    synchronized (this) {
      long burst = stream.config().maxMsgSize() > 0 ? stream.config().maxMsgSize()
          : account.limits().maxPayload() > 0 ? account.limits().maxPayload() : 1024 * 1024;
      long replayUntil = config.replayPolicy().equals("original") ? stream.store().state().lastSeq() : 0;
      pace = new DeliveryPace(replayUntil, config.rateLimitBps(), burst, System.nanoTime());
    }
    subscribe("$JS.ACK." + stream.name() + "." + name + ".>");
    if (config.pull()) {
      subscribe("$JS.API.CONSUMER.MSG.NEXT." + stream.name() + "." + name);
      if (stream.domain() != null) {
        // asked for from elsewhere (a hub, a leaf node) by the domain's name
        subscribe("$JS." + stream.domain() + ".API.CONSUMER.MSG.NEXT." + stream.name() + "." + name);
      }
    }
    if (push != null && push.flowAnswers() != null) {
      subscribe(push.flowAnswers());
    }
    signal();
  }

  private void subscribe(String subject) {
    Subscription s = new Subscription(this, subject, null, "consumer:" + name);
    account.subscribe(s);
    subscriptions.add(s);
  }

  /** Unsubscribes and stops the timers; pending pull requests get 409 Consumer Deleted. */
  public void stop(boolean deleted) {
    synchronized (this) {
      if (!deleted) {
        state.saveOnStop(); // a clean stop keeps the latest acks
      }
      stopped = true;
      requests.clear(deleted);
      out.send();
    }
    subscriptions.forEach(s -> account.unsubscribe(s));
    subscriptions.clear();
    wakeTimer.cancel();
  }

  /** The stream stored more: look for work. */
  public void signal() {
    events.add(new Tick());
  }

  /** Streams' own feeds (mirrors, sources) talk to it from inside the server. */
  @Override
  public boolean hearsServer() {
    return true;
  }

  @Override
  public void receive(String subject, String reply, byte[] payload) {
    events.add(subject.startsWith("$JS.ACK.") ? new AckEvent(subject, reply, payload)
        : subject.startsWith("$JS.FC.") ? new FlowAnswer(subject) : new NextEvent(reply, payload));
  }

  private void pump() {
    synchronized (this) {
      if (!stopped) {
        pumpOnce();
      } else {
        events.clear();
      }
    }
    releaseAcknowledged();
    confirms.send(); // after a work queue has dropped what they confirm
  }

  private void pumpOnce() {
    pumps++;
    Event e;
    List<String> syncReplies = new ArrayList<>();
    while ((e = events.poll()) != null) {
      if (e instanceof AckEvent a) {
        ack(a, syncReplies);
      } else if (e instanceof NextEvent n) {
        next(n.reply(), n.body());
      } else if (e instanceof FlowAnswer f && push != null) {
        push.flowAnswered(f.subject());
      }
    }
    long now = System.nanoTime();
    requests.expire(now);
    deliver(now);
    requests.finishNoWait();
    heartbeats(now);
    state.saveIfDue(!syncReplies.isEmpty(), now);
    // acknowledgements are confirmed only once they are kept
    for (String r : syncReplies) {
      confirms.add(account, r, r, null, null, new byte[0]);
    }
    out.send();
    if (isInactive(now)) {
      stopped = true;
      // on a worker: removing it takes its lock, which a pump may hold over store reads
      vertx.executeBlocking(() -> {
        onInactive.run();
        return null;
      }, false);
      return;
    }
    rearm(now);
  }

  private void ack(AckEvent a, List<String> syncReplies) {
    boolean replied = a.reply() != null && !a.reply().isEmpty();
    Acks.Answer answer = acks.ack(a.subject(), a.body(), System.nanoTime());
    if (answer == Acks.Answer.NEXT) {
      if (config.pull() && replied) {
        String body = new String(a.body(), StandardCharsets.UTF_8).trim();
        next(a.reply(), body.substring(4).trim().getBytes(StandardCharsets.UTF_8));
      }
    } else if (answer == Acks.Answer.CONFIRM && replied) {
      syncReplies.add(a.reply());
    }
  }

  private void next(String reply, byte[] body) {
    if (reply != null && !reply.isEmpty()) {
      lastActivity = System.nanoTime();
      requests.add(reply, body, lastActivity);
    }
  }

  /** Outside this consumer's lock: interest checks ask the other consumers, which lock themselves. */
  private void releaseAcknowledged() {
    List<Long> done = new ArrayList<>();
    synchronized (this) {
      acks.drainReleased(done::add);
    }
    done.forEach(stream::acknowledged);
  }

  /** Interest retention: whether this consumer still needs the message. */
  public synchronized boolean needs(long sseq, String subject) {
    return cursor.matches(subject) && !acks.belowFloor(sseq)
        && (cursor.ahead(sseq) || acks.isPending(sseq) || pace.holds(sseq));
  }

  // ---- delivery ----

  private void deliver(long now) {
    boolean pushBound = push != null && push.bound();
    cursor.refreshPending();
    while (true) {
      String to;
      PullRequests.Request r = null;
      if (config.pull()) {
        r = requests.first();
        if (r == null) {
          return;
        }
        to = r.reply();
      } else {
        if (!pushBound) {
          return;
        }
        lastActivity = now;
        to = push.subject();
        if (!push.flowing()) {
          return;
        }
      }
      if (acks.full() && acks.due(now) == null) {
        return;
      }
      StoredMessage m = nextMessage(now);
      if (m == null) {
        return;
      }
      if (pace.holdBack(m, now)) {
        return;
      }
      long size = m.size();
      if (r != null && !r.fits(size)) {
        // the request's max_bytes is used up: it ends here, with a status if it got nothing
        requests.removeFirstTooSmall();
        unread(m);
        continue;
      }
      send(m, to, now);
      if (out.size() >= StreamCursor.READ_AHEAD) {
        out.send(); // the client writes while the next ones are read
      }
      if (r != null && r.took(size)) {
        requests.removeFirst();
      }
    }
  }

  /** A message taken for delivery that could not go: it is the next again. */
  private void unread(StoredMessage m) {
    if (!acks.retryAtOnce(m.seq())) {
      cursor.unread(m.seq());
    }
  }

  /** The next message to deliver: one held back by its pace, a due redelivery, then a new one. */
  private StoredMessage nextMessage(long now) {
    StoredMessage held = pace.takeHeld();
    if (held != null && stream.store().contains(held.seq())) {
      return held;
    }
    for (Long due = acks.due(now); due != null; due = acks.due(now)) {
      StoredMessage m = stream.store().load(due);
      if (m != null) {
        return m;
      }
      acks.vanished(due); // gone from the stream meanwhile
    }
    return acks.full() ? null : cursor.next();
  }

  private void send(StoredMessage m, String to, long now) {
    int deliveries = acks.sent(m.seq(), m.timestampNanos(), System.nanoTime()); // ack wait from the send
    String reply = "$JS.ACK." + stream.name() + "." + name + "." + deliveries + "." + m.seq() + "."
        + acks.deliveredConsumer() + "." + m.timestampNanos() + "." + cursor.pending();
    long size = out.message(m, to, reply);
    if (push != null) {
      push.sent(size, now, out);
    }
  }

  private void heartbeats(long now) {
    if (push != null) {
      push.heartbeat(now, acks.deliveredConsumer(), acks.deliveredStream(), out);
    }
    requests.heartbeats(now);
  }

  // ---- timers ----

  private long inactiveThreshold() {
    return config.inactiveThresholdNanos() > 0 ? config.inactiveThresholdNanos() : EPHEMERAL_INACTIVE;
  }

  private boolean isInactive(long now) {
    if (durable() || now - lastActivity <= inactiveThreshold()) {
      return false;
    }
    return push == null ? requests.isEmpty() : !push.bound();
  }

  /** How many times the pump ran. */
  public synchronized long pumps() {
    return pumps;
  }

  /**
   * Whether a delivery could go out now: a pull request waits, or a push consumer has a
   * subscriber and flow control lets it. When none can, a redelivery that is due waits for the
   * event that allows one (a request, a subscriber, a flow-control answer), not for a timer.
   */
  private boolean canDeliver() {
    return push == null ? !requests.isEmpty() : push.flowing() && push.bound();
  }

  /** Wakes the pump at the next thing due: a redelivery, a request's expiry, a heartbeat, inactivity. */
  private void rearm(long now) {
    long next = Math.min(pace.nextDeadline(), requests.nextDeadline());
    if (canDeliver()) {
      next = Math.min(next, acks.nextDeadline());
    }
    if (push != null) {
      next = Math.min(next, push.nextDeadline(now));
    }
    if (!durable()) {
      next = Math.min(next, now + inactiveThreshold());
    }
    next = Math.min(next, state.nextDeadline());
    if (next != Long.MAX_VALUE) {
      wakeTimer.at(next, now);
    }
  }

  // ---- state ----

  /** Its config, place and pending messages, as saved (for an update that keeps them). */
  public synchronized JsonObject snapshot() {
    return state.toJson();
  }

  /** Saves the consumer now (its creation). Worker only. */
  public synchronized void persist() {
    state.save();
  }

  /** nats-server's ConsumerInfo. Worker only. */
  public synchronized JsonObject info() {
    cursor.refreshPending();
    JsonObject info = new JsonObject()
        .put("stream_name", stream.name())
        .put("name", name)
        .put("created", Stream.time(createdNanos))
        .put("config", config.toJson());
    acks.info(info);
    info.put("num_waiting", requests.size()).put("num_pending", cursor.pending());
    if (push != null && push.bound()) {
      info.put("push_bound", true);
    }
    Instant now = Instant.now();
    return info.put("ts", Stream.time(now.getEpochSecond() * 1_000_000_000L + now.getNano()));
  }
}
