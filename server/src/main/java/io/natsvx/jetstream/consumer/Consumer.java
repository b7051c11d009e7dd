package io.natsvx.jetstream.consumer;

import io.natsvx.account.Account;
import io.natsvx.messaging.InternalPublisher;
import io.natsvx.jetstream.store.StoredMessage;
import io.natsvx.jetstream.store.StreamState;
import io.natsvx.jetstream.store.StreamStore;
import io.natsvx.jetstream.stream.Stream;
import io.natsvx.messaging.InternalSink;
import io.natsvx.subject.Subjects;
import io.natsvx.subject.Subscription;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One consumer of a stream, push or pull, as nats-server's consumer.go behaves to clients: it
 * delivers stored messages with {@code $JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<ts>.<pending>}
 * replies, tracks what is pending acknowledgement, redelivers after {@code ack_wait} (or the
 * backoff) up to {@code max_deliver}, answers pull requests on
 * {@code $JS.API.CONSUMER.MSG.NEXT.<stream>.<consumer>} (with 404, 408 and 409 statuses) and
 * sends idle heartbeats. Events (acks, pull requests, new messages, timers) arrive on event
 * loops and are queued; one pump at a time handles them on a worker, where the store is read.
 * A durable consumer of a file stream keeps its state with the stream after each pump that
 * changed it, in one atomic write, so its ack floor never goes back.
 */
public final class Consumer implements InternalSink {

  /** Something for the pump to handle. */
  private sealed interface Event permits AckEvent, NextEvent, FlowAnswer, Tick {}

  private record AckEvent(String subject, String reply, byte[] body) implements Event {}

  private record NextEvent(String reply, byte[] body) implements Event {}

  private record FlowAnswer(String subject) implements Event {}

  private record Tick() implements Event {}

  /** A delivered message not yet acknowledged. */
  private static final class Pending {
    long consumerSeq;
    int deliveries;
    long deadline; // System.nanoTime() when it is due again
    final long timestampNanos;

    Pending(long consumerSeq, int deliveries, long deadline, long timestampNanos) {
      this.consumerSeq = consumerSeq;
      this.deliveries = deliveries;
      this.deadline = deadline;
      this.timestampNanos = timestampNanos;
    }
  }

  /** A pull request waiting for messages. */
  private static final class Waiting {
    final String reply;
    long batch;
    final long maxBytes;
    long bytesLeft;
    final long expires; // System.nanoTime(), 0: never
    final boolean noWait;
    final long heartbeat;
    long lastHeartbeat;
    int delivered;

    Waiting(String reply, long batch, long maxBytes, long expires, boolean noWait, long heartbeat) {
      this.reply = reply;
      this.batch = batch;
      this.maxBytes = maxBytes;
      this.bytesLeft = maxBytes > 0 ? maxBytes : Long.MAX_VALUE;
      this.expires = expires;
      this.noWait = noWait;
      this.heartbeat = heartbeat;
      this.lastHeartbeat = System.nanoTime();
    }
  }

  private static final long EPHEMERAL_INACTIVE = 5_000_000_000L;
  private static final long SAVE_DELAY_NANOS = 50_000_000L;
  private static long nextId = -3_000_000;

  private final long id;
  private final Vertx vertx;
  private final Account account;
  private final Stream stream;
  private final ConsumerConfig config;
  private final String name;
  private final long createdNanos;
  private final Runnable onInactive;
  private final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean pumping = new AtomicBoolean();
  private final List<Subscription> subscriptions = new ArrayList<>();

  // Pump-only state (also read under this object's monitor by info()).
  private long nextSeq;
  private final ArrayDeque<Long> initial = new ArrayDeque<>();
  /** New messages read ahead in one go (one filter or none), delivered from here first. */
  private final ArrayDeque<StoredMessage> ahead = new ArrayDeque<>();
  private static final int READ_AHEAD = 256;
  private long deliveredConsumer;
  private long deliveredStream;
  private long floorConsumer;
  private long floorStream;
  private long numRedelivered;
  private final TreeMap<Long, Pending> pending = new TreeMap<>();
  private final List<Long> released = new ArrayList<>();
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  private long lastActivity = System.nanoTime();
  private long lastDelivery = System.nanoTime();
  private boolean dirty;
  private long lastSave;
  /** Matching messages from nextSeq up to countedTo: num_pending, kept as deliveries go. */
  private long numPending;
  private long countedTo = -1;
  private long removalMark;
  private boolean stopped;
  private long timer = -1;
  /** Pump runs so far: idle consumers must not spin (read by tests). */
  private long pumps;
  private long timerAt;
  /** What one pump sends, handed to each client at once when it ends. */
  private InternalPublisher.Batch out = new InternalPublisher.Batch();
  /** Replies confirming acknowledgements, sent once the pump has let go of the messages. Pump only. */
  private final InternalPublisher.Batch confirms = new InternalPublisher.Batch();
  /** Push flow control, when configured. */
  private final FlowControl flow;
  /** Replay timing and rate limit; set when the consumer starts. */
  private DeliveryPace pace;
  /** A message taken for delivery that its pace holds back until {@code heldUntil}. */
  private StoredMessage held;
  private long heldUntil;

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
    this.flow = config.flowControl() && !config.pull() ? new FlowControl(stream.name(), config.name()) : null;
  }

  /** A new consumer, starting where its deliver policy says. Worker only (reads the store). */
  public static Consumer create(Vertx vertx, Account account, Stream stream, ConsumerConfig config,
      long createdNanos, Runnable onInactive) {
    Consumer c = new Consumer(vertx, account, stream, config, createdNanos, onInactive);
    c.position();
    c.dirty = true;
    return c;
  }

  /** A durable consumer brought back from its saved JSON. */
  public static Consumer restore(Vertx vertx, Account account, Stream stream, JsonObject saved,
      Runnable onInactive) {
    ConsumerConfig config = ConsumerConfig.parse(saved.getJsonObject("config"), stream.config());
    Consumer c = new Consumer(vertx, account, stream, config, saved.getLong("created", 0L), onInactive);
    JsonObject s = saved.getJsonObject("state", new JsonObject());
    c.nextSeq = s.getLong("next", 1L);
    c.deliveredConsumer = s.getLong("dc", 0L);
    c.deliveredStream = s.getLong("ds", 0L);
    c.floorConsumer = s.getLong("fc", 0L);
    c.floorStream = s.getLong("fs", 0L);
    c.numRedelivered = s.getLong("redelivered", 0L);
    long now = System.nanoTime();
    JsonArray p = s.getJsonArray("pending", new JsonArray());
    for (int i = 0; i < p.size(); i++) {
      JsonArray e = p.getJsonArray(i);
      // due again one ack_wait after the restart, as if just delivered
      c.pending.put(e.getLong(0), new Pending(e.getLong(1), e.getInteger(2), now + c.ackWait(e.getInteger(2)),
          e.getLong(3)));
    }
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
    String ack = "$JS.ACK." + stream.name() + "." + name + ".>";
    subscribe(ack);
    if (config.pull()) {
      subscribe("$JS.API.CONSUMER.MSG.NEXT." + stream.name() + "." + name);
    }
    if (flow != null) {
      subscribe(flow.answers());
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
      if (!deleted && dirty && durable() && !stream.config().memory()) {
        try {
          stream.store().saveConsumer(name, save().encode()); // a clean stop keeps the latest acks
        } catch (RuntimeException e) {
          // the store is going away too; what was saved before stands
        }
      }
      stopped = true;
      if (deleted) {
        for (Waiting w : waiting) {
          status(w.reply, "409 Consumer Deleted", null);
        }
        out.send();
      }
      waiting.clear();
    }
    subscriptions.forEach(s -> account.unsubscribe(s));
    subscriptions.clear();
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** The stream stored more: look for work. */
  public void signal() {
    events.add(new Tick());
    schedule();
  }

  @Override
  public void receive(String subject, String reply, byte[] payload) {
    events.add(subject.startsWith("$JS.ACK.") ? new AckEvent(subject, reply, payload)
        : subject.startsWith("$JS.FC.") ? new FlowAnswer(subject) : new NextEvent(reply, payload));
    schedule();
  }

  private void schedule() {
    if (pumping.compareAndSet(false, true)) {
      vertx.executeBlocking(() -> {
        pump();
        return null;
      }, false);
    }
  }

  private void pump() {
    do {
      try {
        synchronized (this) {
          if (!stopped) {
            pumpOnce();
          } else {
            events.clear();
          }
        }
        releaseAcknowledged();
        confirms.send(); // after a work queue has dropped what they confirm
      } finally {
        pumping.set(false);
      }
    } while (!events.isEmpty() && pumping.compareAndSet(false, true));
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
      } else if (e instanceof FlowAnswer f && flow != null) {
        flow.answered(f.subject());
      }
    }
    long now = System.nanoTime();
    expireWaiting(now);
    deliver(now);
    finishNoWait();
    heartbeats(now);
    // Deliveries alone need not be kept (after a restart they are delivered again); acks are
    // kept at once when a client waits for the confirmation, else within SAVE_DELAY, in one write.
    if (dirty && durable() && !stream.config().memory()) {
      if (!syncReplies.isEmpty() || now - lastSave >= SAVE_DELAY_NANOS) {
        stream.store().saveConsumer(name, save().encode());
        dirty = false;
        lastSave = now;
      }
    }
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

  // ---- acks ----

  private void ack(AckEvent a, List<String> syncReplies) {
    String[] t = a.subject().split("\\.");
    if (t.length < 9) {
      return;
    }
    int base = t.length >= 12 ? 4 : 2; // v2 adds domain and account hash
    long sseq = parse(t[base + 3]);
    String body = new String(a.body(), StandardCharsets.UTF_8).trim();
    boolean replied = a.reply() != null && !a.reply().isEmpty();
    if (body.isEmpty() || body.startsWith("+ACK")) {
      acked(sseq);
    } else if (body.startsWith("-NAK")) {
      Pending p = pending.get(sseq);
      if (p != null) {
        long delay = 0;
        String rest = body.substring(4).trim();
        if (rest.startsWith("{")) {
          try {
            delay = new JsonObject(rest).getLong("delay", 0L);
          } catch (RuntimeException ignored) {
            // a malformed delay is no delay, as in nats-server
          }
        }
        p.deadline = System.nanoTime() + Math.max(0, delay);
      }
    } else if (body.startsWith("+WPI")) {
      Pending p = pending.get(sseq);
      if (p != null) {
        p.deadline = System.nanoTime() + ackWait(p.deliveries);
      }
    } else if (body.startsWith("+TERM")) {
      if (pending.remove(sseq) != null) {
        moveFloor();
        removeFromWorkQueue(sseq);
      }
    } else if (body.startsWith("+NXT")) {
      acked(sseq);
      if (config.pull() && replied) {
        next(a.reply(), body.substring(4).trim().getBytes(StandardCharsets.UTF_8));
      }
      return;
    }
    if (replied) {
      syncReplies.add(a.reply());
    }
  }

  private void acked(long sseq) {
    if (config.ackNone()) {
      return;
    }
    boolean any;
    if (config.ackAll()) {
      any = false;
      Iterator<Map.Entry<Long, Pending>> it = pending.headMap(sseq, true).entrySet().iterator();
      while (it.hasNext()) {
        long s = it.next().getKey();
        it.remove();
        removeFromWorkQueue(s);
        any = true;
      }
    } else {
      any = pending.remove(sseq) != null;
      if (any) {
        removeFromWorkQueue(sseq);
      }
    }
    if (any) {
      moveFloor();
    }
  }

  /** The ack floor: just below the oldest pending message, or what was delivered when none is. */
  private void moveFloor() {
    if (pending.isEmpty()) {
      floorStream = Math.max(floorStream, deliveredStream);
      floorConsumer = Math.max(floorConsumer, deliveredConsumer);
    } else {
      Map.Entry<Long, Pending> oldest = pending.firstEntry();
      floorStream = Math.max(floorStream, oldest.getKey() - 1);
      floorConsumer = Math.max(floorConsumer, oldest.getValue().consumerSeq - 1);
    }
    dirty = true;
  }

  /** Acknowledged for good: a work queue or interest stream may drop it, once the pump lets go of its lock. */
  private void removeFromWorkQueue(long sseq) {
    if (!stream.config().retention().equals("limits")) {
      released.add(sseq);
    }
  }

  /** Outside this consumer's lock: interest checks ask the other consumers, which lock themselves. */
  private void releaseAcknowledged() {
    List<Long> done;
    synchronized (this) {
      if (released.isEmpty()) {
        return;
      }
      done = new ArrayList<>(released);
      released.clear();
    }
    for (long sseq : done) {
      if (stream.config().retention().equals("workqueue")) {
        stream.store().remove(sseq, false);
      } else {
        stream.removeIfNoInterest(sseq);
      }
    }
  }

  /** Interest retention: whether this consumer still needs the message. */
  public synchronized boolean needs(long sseq, String subject) {
    if (!matches(subject)) {
      return false;
    }
    return sseq > floorStream && (sseq >= nextSeq || pending.containsKey(sseq) || held != null && held.seq() == sseq);
  }

  // ---- pull requests ----

  private void next(String reply, byte[] body) {
    if (reply == null || reply.isEmpty()) {
      return;
    }
    lastActivity = System.nanoTime();
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
        status(reply, "400 Bad Request", null);
        return;
      }
    } else if (!text.isEmpty()) {
      batch = parse(text);
    }
    if (batch <= 0) {
      batch = 1;
    }
    if (config.maxBatch() > 0 && batch > config.maxBatch()) {
      status(reply, "409 Exceeded MaxRequestBatch of " + config.maxBatch(), null);
      return;
    }
    if (config.maxExpiresNanos() > 0 && expires > config.maxExpiresNanos()) {
      status(reply, "409 Exceeded MaxRequestExpires of " + io.natsvx.config.GoDuration.format(
          java.time.Duration.ofNanos(config.maxExpiresNanos())), null);
      return;
    }
    if (config.maxBytes() > 0 && maxBytes > config.maxBytes()) {
      status(reply, "409 Exceeded MaxRequestMaxBytes of " + config.maxBytes(), null);
      return;
    }
    if (waiting.size() >= config.maxWaiting()) {
      status(reply, "409 Exceeded MaxWaiting", null);
      return;
    }
    long now = System.nanoTime();
    waiting.add(new Waiting(reply, batch, maxBytes, expires > 0 ? now + expires : 0, noWait, heartbeat));
  }

  private void expireWaiting(long now) {
    Iterator<Waiting> it = waiting.iterator();
    while (it.hasNext()) {
      Waiting w = it.next();
      if (w.expires > 0 && now >= w.expires) {
        it.remove();
        status(w.reply, "408 Request Timeout", "Nats-Pending-Messages: " + w.batch + "\r\nNats-Pending-Bytes: "
            + w.maxBytes);
      }
    }
  }

  /** A no_wait request ends once nothing more is there: 404 when it got nothing, 408 when some. */
  private void finishNoWait() {
    Iterator<Waiting> it = waiting.iterator();
    while (it.hasNext()) {
      Waiting w = it.next();
      if (w.noWait) {
        it.remove();
        if (w.delivered == 0) {
          status(w.reply, "404 No Messages", null);
        } else {
          status(w.reply, "408 Request Timeout", "Nats-Pending-Messages: " + w.batch + "\r\nNats-Pending-Bytes: "
              + w.maxBytes);
        }
      }
    }
  }

  // ---- delivery ----

  private void deliver(long now) {
    boolean pushBound = !config.pull() && InternalPublisher.hasInterest(account, config.deliverSubject());
    refreshPending();
    while (true) {
      String to;
      Waiting w = null;
      if (config.pull()) {
        w = waiting.peek();
        if (w == null) {
          return;
        }
        to = w.reply;
      } else {
        if (!pushBound) {
          return;
        }
        lastActivity = now;
        to = config.deliverSubject();
        if (flow != null && flow.blocked()) {
          return;
        }
      }
      if (!config.ackNone() && config.maxAckPending() > 0 && pending.size() >= config.maxAckPending()) {
        Long due = dueRedelivery(now);
        if (due == null) {
          return;
        }
      }
      StoredMessage m = nextMessage(now);
      if (m == null) {
        return;
      }
      long size = m.size();
      if (pace != null && pace.paced()) {
        long wait = pace.delay(m.seq(), m.timestampNanos(), size, now);
        if (wait > 0) {
          held = m;
          heldUntil = now + wait;
          return;
        }
      }
      if (w != null && size > w.bytesLeft) {
        // the request's max_bytes is used up: it ends here, with a status if it got nothing
        waiting.poll();
        if (w.delivered == 0) {
          status(w.reply, "409 Message Size Exceeds MaxBytes", null);
        }
        unread(m);
        continue;
      }
      send(m, to, now);
      if (out.size() >= READ_AHEAD) {
        out.send(); // the client writes while the next ones are read
      }
      if (w != null) {
        w.delivered++;
        w.batch--;
        w.bytesLeft -= size;
        if (w.batch <= 0) {
          waiting.poll();
        }
      }
    }
  }

  /** A message taken for delivery that could not go: it is the next again. */
  private void unread(StoredMessage m) {
    Pending p = pending.get(m.seq());
    if (p != null) {
      p.deadline = 0;
    } else if (m.seq() < nextSeq) {
      nextSeq = m.seq();
      ahead.clear();
      countedTo = -1; // counted again from the new place
    }
  }

  /** The next message to deliver: a due redelivery first, then the stream's next matching one. */
  private StoredMessage nextMessage(long now) {
    if (held != null) {
      StoredMessage m = held;
      held = null;
      if (stream.store().contains(m.seq())) {
        return m;
      }
    }
    Long due = dueRedelivery(now);
    while (due != null) {
      StoredMessage m = stream.store().load(due);
      if (m != null) {
        return m;
      }
      pending.remove(due); // gone from the stream meanwhile
      moveFloor();
      due = dueRedelivery(now);
    }
    if (!config.ackNone() && config.maxAckPending() > 0 && pending.size() >= config.maxAckPending()) {
      return null;
    }
    while (!initial.isEmpty()) {
      StoredMessage m = stream.store().load(initial.poll());
      if (m != null) {
        return m;
      }
    }
    StoredMessage best = null;
    List<String> filters = config.filters();
    if (filters.size() <= 1) {
      if (ahead.isEmpty()) {
        ahead.addAll(stream.store().loadBatch(nextSeq, filters.isEmpty() ? null : filters.get(0), READ_AHEAD));
      }
      while (!ahead.isEmpty()) {
        StoredMessage m = ahead.poll();
        if (stream.store().contains(m.seq())) { // not deleted since it was read
          taken(m);
          return m;
        }
      }
      return null;
    } else {
      for (String f : filters) {
        StoredMessage m = stream.store().loadNext(nextSeq, f);
        if (m != null && (best == null || m.seq() < best.seq())) {
          best = m;
        }
      }
    }
    if (best != null) {
      taken(best);
    }
    return best;
  }

  /** The oldest pending message whose time is up and that may be delivered again; maxed ones are dropped. */
  private Long dueRedelivery(long now) {
    if (config.ackNone()) {
      return null;
    }
    Iterator<Map.Entry<Long, Pending>> it = pending.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Long, Pending> e = it.next();
      Pending p = e.getValue();
      if (p.deadline > now) {
        continue;
      }
      if (config.maxDeliver() > 0 && p.deliveries >= config.maxDeliver()) {
        it.remove();
        moveFloor();
        continue;
      }
      return e.getKey();
    }
    return null;
  }

  private void send(StoredMessage m, String to, long now) {
    Pending p = pending.get(m.seq());
    int deliveries;
    long cseq = ++deliveredConsumer;
    if (p != null) {
      p.deliveries++;
      deliveries = p.deliveries;
      p.consumerSeq = cseq;
      p.deadline = System.nanoTime() + ackWait(deliveries); // from the send, not the pump's start
      numRedelivered++;
    } else {
      deliveries = 1;
      if (!config.ackNone()) {
        pending.put(m.seq(), new Pending(cseq, 1, System.nanoTime() + ackWait(1), m.timestampNanos()));
      }
    }
    deliveredStream = Math.max(deliveredStream, m.seq());
    if (config.ackNone()) {
      floorStream = deliveredStream;
      floorConsumer = deliveredConsumer;
      dirty = true; // without acks, delivery is what moves the floor
    }
    long left = numPending + initial.size();
    String reply = "$JS.ACK." + stream.name() + "." + name + "." + deliveries + "." + m.seq() + "." + cseq + "."
        + m.timestampNanos() + "." + left;
    byte[] headers = m.headers();
    byte[] data = m.data();
    if (config.headersOnly()) {
      String base = headers.length > 0 ? new String(headers, 0, headers.length - 2, StandardCharsets.UTF_8)
          : "NATS/1.0\r\n";
      headers = (base + "Nats-Msg-Size: " + data.length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
      data = new byte[0];
    }
    out.add(account, to, m.subject(), reply, headers.length > 0 ? headers : null, data);
    lastDelivery = now;
    if (flow != null && flow.sent(to.length() + reply.length() + headers.length + data.length)) {
      out.add(account, to, to, flow.request(), FLOW_CONTROL_REQUEST, new byte[0]);
    }
  }

  private static final byte[] FLOW_CONTROL_REQUEST =
      "NATS/1.0 100 FlowControl Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  /** The next new message goes out: nextSeq moves past it, and it is no longer pending. */
  private void taken(StoredMessage m) {
    if (m.seq() > countedTo) {
      refreshPending(); // stored after the last count
    }
    nextSeq = m.seq() + 1;
    numPending = Math.max(0, numPending - 1);
  }

  /**
   * Brings num_pending up to the stream's end: counts what was stored since the last count, or
   * everything ahead again when a removal may have hit what was counted.
   */
  private void refreshPending() {
    StreamStore store = stream.store();
    long mark = store.removalMark();
    long last = store.state().lastSeq();
    if (countedTo < 0 || store.removedSince(removalMark, nextSeq, countedTo)) {
      numPending = countMatching(nextSeq, last);
    } else if (last > countedTo) {
      numPending += countMatching(countedTo + 1, last);
    }
    countedTo = Math.max(last, nextSeq - 1);
    removalMark = mark;
  }

  private long countMatching(long from, long to) {
    if (from > to) {
      return 0;
    }
    List<String> filters = config.filters();
    if (filters.isEmpty()) {
      return stream.store().count(from, to, null);
    }
    long n = 0;
    for (String f : filters) { // filters do not overlap
      n += stream.store().count(from, to, f);
    }
    return n;
  }

  private void heartbeats(long now) {
    if (!config.pull() && config.heartbeatNanos() > 0 && now - lastDelivery >= config.heartbeatNanos()) {
      lastDelivery = now;
      String stalled = flow == null || flow.stalledOn() == null ? "" : "Nats-Consumer-Stalled: " + flow.stalledOn()
          + "\r\n";
      out.add(account, config.deliverSubject(), config.deliverSubject(), null,
          ("NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: " + deliveredConsumer + "\r\nNats-Last-Stream: "
              + deliveredStream + "\r\n" + stalled + "\r\n").getBytes(StandardCharsets.UTF_8), new byte[0]);
    }
    for (Waiting w : waiting) {
      if (w.heartbeat > 0 && now - w.lastHeartbeat >= w.heartbeat) {
        w.lastHeartbeat = now;
        status(w.reply, "100 Idle Heartbeat", null);
      }
    }
  }

  private void status(String to, String status, String extraHeaders) {
    String block = "NATS/1.0 " + status + "\r\n" + (extraHeaders == null ? "" : extraHeaders + "\r\n") + "\r\n";
    out.add(account, to, to, null, block.getBytes(StandardCharsets.UTF_8), new byte[0]);
  }

  private boolean isInactive(long now) {
    if (durable()) {
      return false;
    }
    long threshold = config.inactiveThresholdNanos() > 0 ? config.inactiveThresholdNanos() : EPHEMERAL_INACTIVE;
    if (config.pull()) {
      return waiting.isEmpty() && now - lastActivity > threshold;
    }
    return !InternalPublisher.hasInterest(account, config.deliverSubject()) && now - lastActivity > threshold;
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
    if (config.pull()) {
      return !waiting.isEmpty();
    }
    return (flow == null || !flow.blocked()) && InternalPublisher.hasInterest(account, config.deliverSubject());
  }

  /** Wakes the pump at the next thing due: a redelivery, a request's expiry, a heartbeat, inactivity. */
  private void rearm(long now) {
    long next = held != null ? heldUntil : Long.MAX_VALUE;
    if (canDeliver()) {
      for (Pending p : pending.values()) {
        next = Math.min(next, p.deadline);
      }
    }
    for (Waiting w : waiting) {
      if (w.expires > 0) {
        next = Math.min(next, w.expires);
      }
      if (w.heartbeat > 0) {
        next = Math.min(next, w.lastHeartbeat + w.heartbeat);
      }
    }
    if (!config.pull() && config.heartbeatNanos() > 0) {
      next = Math.min(next, lastDelivery + config.heartbeatNanos());
    }
    if (!config.pull() && !InternalPublisher.hasInterest(account, config.deliverSubject())) {
      next = Math.min(next, now + 250_000_000L); // look for a subscriber to push to
    }
    if (!durable()) {
      next = Math.min(next, now + (config.inactiveThresholdNanos() > 0 ? config.inactiveThresholdNanos()
          : EPHEMERAL_INACTIVE));
    }
    if (dirty && durable() && !stream.config().memory()) {
      // a memory stream's consumer is never written, so nothing is due for it
      next = Math.min(next, lastSave + SAVE_DELAY_NANOS);
    }
    if (next == Long.MAX_VALUE) {
      return;
    }
    long delayMillis = Math.max(1, (next - now + 999_999) / 1_000_000);
    if (timer >= 0 && timerAt <= next) {
      return;
    }
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    timerAt = next;
    timer = vertx.setTimer(delayMillis, t -> {
      synchronized (this) {
        timer = -1;
      }
      signal();
    });
  }

  private long ackWait(int deliveries) {
    List<Long> backoff = config.backoff();
    if (!backoff.isEmpty()) {
      return backoff.get(Math.max(0, Math.min(deliveries, backoff.size()) - 1));
    }
    return config.ackWaitNanos();
  }

  private boolean matches(String subject) {
    List<String> filters = config.filters();
    if (filters.isEmpty()) {
      return true;
    }
    for (String f : filters) {
      if (Subjects.matches(f, subject)) {
        return true;
      }
    }
    return false;
  }

  /** Where delivery starts, per the deliver policy. */
  private void position() {
    StreamStore store = stream.store();
    StreamState state = store.state();
    long first = Math.max(1, state.firstSeq());
    switch (config.deliverPolicy()) {
      case "last" -> {
        long last = 0;
        for (String f : config.filters().isEmpty() ? List.<String>of() : config.filters()) {
          StoredMessage m = lastMatching(f);
          last = Math.max(last, m == null ? 0 : m.seq());
        }
        nextSeq = config.filters().isEmpty() ? Math.max(first, state.lastSeq()) : (last == 0 ? state.lastSeq() + 1 : last);
      }
      case "new" -> nextSeq = state.lastSeq() + 1;
      case "by_start_sequence" -> nextSeq = Math.max(1, config.optStartSeq());
      case "by_start_time" -> {
        long start = java.time.Instant.parse(config.optStartTime()).toEpochMilli() * 1_000_000L;
        nextSeq = state.lastSeq() + 1;
        for (StoredMessage m = store.loadNext(first, null); m != null; m = store.loadNext(m.seq() + 1, null)) {
          if (m.timestampNanos() >= start) {
            nextSeq = m.seq();
            break;
          }
        }
      }
      case "last_per_subject" -> {
        java.util.TreeSet<Long> lasts = new java.util.TreeSet<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (StoredMessage m = store.loadNext(first, null); m != null; m = store.loadNext(m.seq() + 1, null)) {
          if (matches(m.subject()) && seen.add(m.subject())) {
            lasts.add(store.loadLast(m.subject()).seq());
          }
        }
        initial.addAll(lasts);
        nextSeq = state.lastSeq() + 1;
      }
      default -> nextSeq = first;
    }
    deliveredStream = Math.max(0, (initial.isEmpty() ? nextSeq : initial.peek()) - 1);
    floorStream = deliveredStream;
  }

  private StoredMessage lastMatching(String filter) {
    if (!filter.contains("*") && !filter.contains(">")) {
      return stream.store().loadLast(filter);
    }
    StoredMessage last = null;
    for (StoredMessage m = stream.store().loadNext(1, filter); m != null; m = stream.store().loadNext(m.seq() + 1, filter)) {
      last = m;
    }
    return last;
  }

  private JsonObject save() {
    JsonArray p = new JsonArray();
    pending.forEach((sseq, e) -> p.add(new JsonArray().add(sseq).add(e.consumerSeq).add(e.deliveries)
        .add(e.timestampNanos)));
    return new JsonObject().put("config", config.toJson()).put("created", createdNanos)
        .put("state", new JsonObject().put("next", nextSeq).put("dc", deliveredConsumer).put("ds", deliveredStream)
            .put("fc", floorConsumer).put("fs", floorStream).put("redelivered", numRedelivered).put("pending", p));
  }

  /** Its config, place and pending messages, as saved (for an update that keeps them). */
  public synchronized JsonObject snapshot() {
    return save();
  }

  /** Saves the consumer now (its creation). Worker only. */
  public synchronized void persist() {
    if (durable() && !stream.config().memory()) {
      stream.store().saveConsumer(name, save().encode());
      dirty = false;
    }
  }

  /** nats-server's ConsumerInfo. Worker only. */
  public synchronized JsonObject info() {
    refreshPending();
    JsonObject info = new JsonObject()
        .put("stream_name", stream.name())
        .put("name", name)
        .put("created", Stream.time(createdNanos))
        .put("config", config.toJson())
        .put("delivered", new JsonObject().put("consumer_seq", deliveredConsumer).put("stream_seq", deliveredStream))
        .put("ack_floor", new JsonObject().put("consumer_seq", floorConsumer).put("stream_seq", floorStream))
        .put("num_ack_pending", pending.size())
        .put("num_redelivered", numRedelivered)
        .put("num_waiting", waiting.size())
        .put("num_pending", numPending + initial.size());
    if (!config.pull() && InternalPublisher.hasInterest(account, config.deliverSubject())) {
      info.put("push_bound", true);
    }
    java.time.Instant now = java.time.Instant.now();
    return info.put("ts", Stream.time(now.getEpochSecond() * 1_000_000_000L + now.getNano()));
  }

  private static long parse(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
