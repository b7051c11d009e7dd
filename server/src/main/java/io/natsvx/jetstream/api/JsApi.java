package io.natsvx.jetstream.api;

import io.natsvx.jetstream.wire.JsApiException;
import io.natsvx.jetstream.wire.JsError;
import io.natsvx.jetstream.wire.JsonFields;
import io.natsvx.server.ServerContext;
import io.natsvx.messaging.InternalPublisher;
import io.natsvx.jetstream.JetStream;
import io.natsvx.jetstream.JsAccount;
import io.natsvx.jetstream.consumer.Consumer;
import io.natsvx.jetstream.consumer.ConsumerConfig;
import io.natsvx.jetstream.store.StoredMessage;
import io.natsvx.jetstream.store.StreamStore;
import io.natsvx.jetstream.stream.Stream;
import io.natsvx.jetstream.stream.StreamConfig;
import io.natsvx.messaging.InternalSink;
import io.natsvx.subject.Subjects;
import io.natsvx.subject.Subscription;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * One account's {@code $JS.API}: the stream requests nats-server answers, with its JSON, types
 * and errors. Each subject is subscribed on its own, so a request natsvx does not answer yet gets
 * "no responders" rather than silence. Requests come on publishers' event loops and are answered
 * from a worker. Thread-safe.
 */
public final class JsApi implements InternalSink {

  private static final String PREFIX = "$JS.API.";
  private static final List<String> SUBJECTS = List.of("INFO", "STREAM.CREATE.*", "STREAM.UPDATE.*",
      "STREAM.NAMES", "STREAM.LIST", "STREAM.INFO.*", "STREAM.DELETE.*", "STREAM.PURGE.*", "STREAM.SNAPSHOT.*",
      "STREAM.RESTORE.*", "STREAM.MSG.GET.*",
      "STREAM.MSG.DELETE.*", "CONSUMER.CREATE.*", "CONSUMER.CREATE.*.*", "CONSUMER.CREATE.*.*.>",
      "CONSUMER.DURABLE.CREATE.*.*", "CONSUMER.INFO.*.*", "CONSUMER.DELETE.*.*", "CONSUMER.NAMES.*",
      "CONSUMER.LIST.*", "STREAM.LEADER.STEPDOWN.*", "CONSUMER.LEADER.STEPDOWN.*.*");
  private static final java.util.Set<String> PAGED = java.util.Set.of("stream_info_response",
      "stream_names_response", "stream_list_response", "consumer_names_response", "consumer_list_response");
  private static final int NAMES_LIMIT = 1024;
  private static final int SUBJECT_DETAILS_LIMIT = 100_000;
  private static final int LIST_LIMIT = 256;

  private static long nextId = -2_000_000;

  private final long id;
  private final ServerContext server;
  private final JetStream jetStream;
  private final JsAccount account;
  private final List<Subscription> subscriptions = new ArrayList<>();

  public JsApi(ServerContext server, JetStream jetStream, JsAccount account) {
    synchronized (JsApi.class) {
      this.id = nextId--;
    }
    this.server = server;
    this.jetStream = jetStream;
    this.account = account;
    this.snapshots = new Snapshots(server.vertx(), account);
  }

  private final Snapshots snapshots;
  /** What an answer starts once it is sent (a snapshot's chunks), per worker thread answering. */
  private static final ThreadLocal<List<Runnable>> AFTER = ThreadLocal.withInitial(ArrayList::new);

  @Override
  public long id() {
    return id;
  }

  public void start() {
    String domain = jetStream.options().domain();
    for (String s : SUBJECTS) {
      subscribe(PREFIX + s);
      if (domain != null && !domain.isEmpty()) {
        // nats-server's domain mapping: $JS.<domain>.API.> is this JetStream's API wherever asked from
        subscribe("$JS." + domain + ".API." + s);
      }
    }
  }

  private void subscribe(String subject) {
    Subscription sub = new Subscription(this, subject, null, "jsapi");
    account.account().subscribe(sub);
    subscriptions.add(sub);
  }

  public void stop() {
    subscriptions.forEach(s -> account.account().unsubscribe(s));
    subscriptions.clear();
  }

  /** Streams' own feeds (mirrors, sources) talk to it from inside the server. */
  @Override
  public boolean hearsServer() {
    return true;
  }

  @Override
  public void receive(String subject, String reply, byte[] payload) {
    if (reply == null || reply.isEmpty()) {
      return;
    }
    server.vertx().executeBlocking(() -> {
      JsonObject json = answer(subject, payload);
      InternalPublisher.publish(account.account(), reply, null, null, json.encode().getBytes(StandardCharsets.UTF_8));
      List<Runnable> after = AFTER.get();
      after.forEach(Runnable::run);
      after.clear();
      return null;
    }, false);
  }

  /** The response for one request: its type, and either the result or {@code error}. Worker only. */
  JsonObject answer(String subject, byte[] payload) {
    String op = subject.startsWith(PREFIX) ? subject.substring(PREFIX.length())
        : subject.substring(subject.indexOf(".API.") + ".API.".length()); // $JS.<domain>.API.<op>
    String[] t = op.split("\\.");
    String type = type(t);
    account.apiTotal().incrementAndGet();
    JsonObject out = new JsonObject().put("type", "io.nats.jetstream.api.v1." + type);
    if (PAGED.contains(type)) {
      // nats-server embeds its paging in these answers, errors included
      out.put("total", 0).put("offset", 0).put("limit", 0);
    }
    try {
      JsonObject request = request(payload);
      JsonObject result = switch (t[0].equals("INFO") ? "INFO" : t[0] + "." + t[1]) {
        case "INFO" -> accountInfo();
        case "STREAM.CREATE" -> create(t[2], request);
        case "STREAM.UPDATE" -> update(t[2], request);
        case "STREAM.NAMES" -> names(request);
        case "STREAM.LIST" -> list(request);
        case "STREAM.INFO" -> info(stream(t[2]), request);
        case "STREAM.DELETE" -> delete(t[2]);
        case "STREAM.PURGE" -> purge(stream(t[2]), request);
        case "STREAM.SNAPSHOT" -> snapshots.snapshot(stream(t[2]), request, AFTER.get());
        case "STREAM.RESTORE" -> snapshots.restore(t[2], request);
        case "STREAM.MSG" -> t[2].equals("GET") ? get(stream(t[3]), request) : deleteMsg(stream(t[3]), request);
        case "STREAM.LEADER", "CONSUMER.LEADER" -> {
          // one server leads everything: there is no one to step down to, as nats-server says
          if (t[0].equals("STREAM")) {
            stream(t[3]);
          } else {
            consumer(stream(t[3]), t[4]);
          }
          throw JsError.CLUSTER_NOT_ACTIVE.exception();
        }
        case "CONSUMER.CREATE" -> createConsumer(t, request, false);
        case "CONSUMER.DURABLE" -> createConsumer(t, request, true);
        case "CONSUMER.INFO" -> consumer(stream(t[2]), t[3]).info();
        case "CONSUMER.DELETE" -> {
          account.deleteConsumer(stream(t[2]), t[3]);
          yield new JsonObject().put("success", true);
        }
        case "CONSUMER.NAMES" -> consumerNames(stream(t[2]), request);
        case "CONSUMER.LIST" -> consumerList(stream(t[2]), request);
        default -> throw JsError.BAD_REQUEST.exception();
      };
      return out.mergeIn(result);
    } catch (JsApiException e) {
      account.apiErrors().incrementAndGet();
      return out.put("error", e.json());
    }
  }

  private static String type(String[] t) {
    if (t[0].equals("INFO")) {
      return "account_info_response";
    }
    if (t[1].equals("LEADER")) {
      return t[0].equals("STREAM") ? "stream_leader_stepdown_response" : "consumer_leader_stepdown_response";
    }
    if (t[0].equals("CONSUMER")) {
      return switch (t[1]) {
        case "CREATE", "DURABLE" -> "consumer_create_response";
        case "INFO" -> "consumer_info_response";
        case "DELETE" -> "consumer_delete_response";
        case "NAMES" -> "consumer_names_response";
        default -> "consumer_list_response";
      };
    }
    return switch (t[1]) {
      case "CREATE" -> "stream_create_response";
      case "UPDATE" -> "stream_update_response";
      case "NAMES" -> "stream_names_response";
      case "LIST" -> "stream_list_response";
      case "INFO" -> "stream_info_response";
      case "DELETE" -> "stream_delete_response";
      case "PURGE" -> "stream_purge_response";
      case "SNAPSHOT" -> "stream_snapshot_response";
      case "RESTORE" -> "stream_restore_response";
      default -> t[2].equals("GET") ? "stream_msg_get_response" : "stream_msg_delete_response";
    };
  }

  private static JsonObject request(byte[] payload) {
    String text = new String(payload, StandardCharsets.UTF_8).trim();
    if (text.isEmpty()) {
      return new JsonObject();
    }
    try {
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw JsError.INVALID_JSON.exception(e.getMessage());
    }
  }

  private Stream stream(String name) {
    Stream s = account.stream(name);
    if (s == null) {
      throw JsError.STREAM_NOT_FOUND.exception();
    }
    return s;
  }

  private JsonObject accountInfo() {
    long memory = 0;
    long storage = 0;
    List<Stream> streams = account.streams();
    for (Stream s : streams) {
      long bytes = s.store().state().bytes();
      if (s.config().memory()) {
        memory += bytes;
      } else {
        storage += bytes;
      }
    }
    var l = account.limits();
    JsonObject info = new JsonObject()
        .put("memory", memory)
        .put("storage", storage)
        .put("reserved_memory", 0)
        .put("reserved_storage", 0)
        .put("streams", streams.size())
        .put("consumers", account.consumerCount())
        .put("limits", new JsonObject()
            .put("max_memory", l.maxMemory())
            .put("max_storage", l.maxFile())
            .put("max_streams", l.maxStreams())
            .put("max_consumers", l.maxConsumers())
            .put("max_ack_pending", -1)
            .put("memory_max_stream_bytes", -1)
            .put("storage_max_stream_bytes", -1)
            .put("max_bytes_required", false));
    String domain = jetStream.options().domain();
    if (domain != null && !domain.isEmpty()) {
      info.put("domain", domain);
    }
    return info.put("api", new JsonObject().put("total", account.apiTotal().get())
        .put("errors", account.apiErrors().get()));
  }

  private JsonObject create(String name, JsonObject request) {
    StreamConfig config = StreamConfig.parse(request, name);
    boolean existed = account.stream(config.name()) != null;
    Stream s = account.create(config);
    JsonObject info = info(s, new JsonObject());
    if (!existed) {
      info.put("did_create", true);
    }
    return info;
  }

  private JsonObject update(String name, JsonObject request) {
    return info(account.update(StreamConfig.parse(request, name)), new JsonObject());
  }

  /**
   * nats-server's stream info answer: with {@code deleted_details} the deleted sequences, with
   * {@code subjects_filter} the messages per matching subject, paged by {@code offset}.
   */
  private JsonObject info(Stream s, JsonObject request) {
    JsonObject info = s.info(s.consumerCount());
    JsonObject state = info.getJsonObject("state");
    if (JsonFields.bool(request, "deleted_details")) {
      List<Long> deleted = s.store().deleted();
      if (!deleted.isEmpty()) {
        state.put("deleted", new JsonArray(new ArrayList<>(deleted)));
      }
    }
    String filter = JsonFields.string(request, "subjects_filter", "");
    if (!filter.isEmpty()) {
      Map<String, Long> totals = s.store().subjectTotals(filter);
      if (!totals.isEmpty()) {
        int offset = (int) Math.min(totals.size(), Math.max(0, JsonFields.number(request, "offset", 0)));
        JsonObject subjects = new JsonObject();
        totals.entrySet().stream().skip(offset).limit(SUBJECT_DETAILS_LIMIT)
            .forEach(e -> subjects.put(e.getKey(), e.getValue()));
        state.put("subjects", subjects);
        info.put("total", totals.size()).put("offset", offset).put("limit", SUBJECT_DETAILS_LIMIT);
      }
    }
    return info;
  }

  private Consumer consumer(Stream s, String name) {
    Consumer c = account.consumers(s).get(name);
    if (c == null) {
      throw JsError.CONSUMER_NOT_FOUND.exception();
    }
    return c;
  }

  /**
   * {@code CONSUMER.CREATE.<stream>[.<consumer>[.<filter>]]} (2.10) and
   * {@code CONSUMER.DURABLE.CREATE.<stream>.<durable>} (older clients), with nats-server's
   * checks of names and filters against the subject.
   */
  private JsonObject createConsumer(String[] t, JsonObject request, boolean legacyDurable) {
    String streamName = legacyDurable ? t[3] : t[2];
    String inSubject = legacyDurable ? t[4] : t.length > 3 ? t[3] : "";
    String filterInSubject = !legacyDurable && t.length > 4
        ? String.join(".", java.util.Arrays.copyOfRange(t, 4, t.length)) : "";
    Stream s = stream(streamName);
    String requested = request.getString("stream_name", "");
    if (!requested.isEmpty() && !requested.equals(streamName)) {
      throw JsError.STREAM_MISMATCH.exception();
    }
    JsonObject cfg = request.getJsonObject("config", new JsonObject()).copy();
    String durable = cfg.getString("durable_name", "");
    String name = cfg.getString("name", "");
    if (legacyDurable) {
      if (durable.isEmpty()) {
        throw JsError.CONSUMER_DURABLE_NAME_NOT_SET.exception();
      }
      if (!durable.equals(inSubject)) {
        throw JsError.CONSUMER_DURABLE_NAME_NOT_MATCH_SUBJECT.exception();
      }
    } else if (inSubject.isEmpty() && !durable.isEmpty()) {
      // the older ephemeral form; durables have their own subjects
      throw JsError.CONSUMER_EPHEMERAL_WITH_DURABLE_NAME.exception();
    } else if (!inSubject.isEmpty()) {
      if ((!durable.isEmpty() && !durable.equals(inSubject)) || (!name.isEmpty() && !name.equals(inSubject))) {
        throw JsError.CONSUMER_DURABLE_NAME_NOT_MATCH_SUBJECT.exception();
      }
      if (durable.isEmpty()) {
        cfg.put("name", inSubject);
      }
      if (!filterInSubject.isEmpty() && !filterInSubject.equals(cfg.getString("filter_subject", filterInSubject))) {
        throw JsError.CONSUMER_CREATE_FILTER_SUBJECT_MISMATCH.exception();
      }
      if (!filterInSubject.isEmpty()) {
        cfg.put("filter_subject", filterInSubject);
      }
    }
    ConsumerConfig config = ConsumerConfig.parse(cfg, s.config());
    return account.createConsumer(s, config, request.getString("action", "")).info();
  }

  private JsonObject consumerNames(Stream s, JsonObject request) {
    return page(new ArrayList<>(account.consumers(s).listed()), request, NAMES_LIMIT, "consumers", Consumer::name);
  }

  private JsonObject consumerList(Stream s, JsonObject request) {
    return page(new ArrayList<>(account.consumers(s).listed()), request, LIST_LIMIT, "consumers", Consumer::info);
  }


  private JsonObject delete(String name) {
    account.delete(name);
    return new JsonObject().put("success", true);
  }

  /** Streams whose subjects a request's {@code subject} filter matches (all without one), by name. */
  private List<Stream> filtered(JsonObject request) {
    String filter = request.getString("subject", "");
    List<Stream> out = new ArrayList<>();
    for (Stream s : account.streams()) {
      if (filter.isEmpty() || s.config().subjects().stream().anyMatch(subj -> Subjects.matches(filter, subj)
          || Subjects.matches(subj, filter))) {
        out.add(s);
      }
    }
    return out;
  }

  private JsonObject names(JsonObject request) {
    return page(filtered(request), request, NAMES_LIMIT, "streams", Stream::name);
  }

  private JsonObject list(JsonObject request) {
    return page(filtered(request), request, LIST_LIMIT, "streams", s -> s.info(s.consumerCount()));
  }

  /** nats-server's paged answers: {@code total}, {@code offset}, {@code limit} and one page of items. */
  private static <T> JsonObject page(List<T> all, JsonObject request, int limit, String key,
      java.util.function.Function<T, Object> item) {
    int offset = Math.max(0, request.getInteger("offset", 0));
    JsonArray items = new JsonArray();
    for (int i = offset; i < all.size() && items.size() < limit; i++) {
      items.add(item.apply(all.get(i)));
    }
    return new JsonObject().put("total", all.size()).put("offset", offset).put("limit", limit).put(key, items);
  }

  private JsonObject purge(Stream s, JsonObject request) {
    if (s.config().sealed()) {
      throw JsError.STREAM_SEALED.exception();
    }
    if (s.config().denyPurge()) {
      throw JsError.STREAM_PURGE_FAILED.exception("stream purge not permitted");
    }
    long seq = request.getLong("seq", 0L);
    long keep = request.getLong("keep", 0L);
    if (seq > 0 && keep > 0) {
      throw JsError.BAD_REQUEST.exception();
    }
    String filter = request.getString("filter", "");
    long purged = s.store().purge(filter.isEmpty() ? null : filter, seq, keep);
    return new JsonObject().put("success", true).put("purged", purged);
  }

  private JsonObject get(Stream s, JsonObject request) {
    StreamStore store = s.store();
    long seq = request.getLong("seq", 0L);
    String last = request.getString("last_by_subj", "");
    String next = request.getString("next_by_subj", "");
    StoredMessage m;
    if (!last.isEmpty()) {
      m = store.loadLast(last);
    } else if (!next.isEmpty()) {
      m = store.loadNext(Math.max(seq, 1), next);
    } else {
      m = seq > 0 ? store.load(seq) : null;
    }
    if (m == null) {
      throw JsError.NO_MESSAGE_FOUND.exception();
    }
    JsonObject message = new JsonObject().put("subject", m.subject()).put("seq", m.seq());
    if (m.headers().length > 0) {
      message.put("hdrs", Base64.getEncoder().encodeToString(m.headers()));
    }
    if (m.data().length > 0) {
      message.put("data", Base64.getEncoder().encodeToString(m.data()));
    }
    return new JsonObject().put("message", message.put("time", Stream.time(m.timestampNanos())));
  }

  private JsonObject deleteMsg(Stream s, JsonObject request) {
    if (s.config().sealed()) {
      throw JsError.STREAM_SEALED.exception();
    }
    if (s.config().denyDelete()) {
      throw JsError.STREAM_MSG_DELETE_FAILED.exception("message delete not permitted");
    }
    long seq = request.getLong("seq", 0L);
    if (!s.store().remove(seq, !request.getBoolean("no_erase", false))) {
      throw JsError.SEQUENCE_NOT_FOUND.exception(Long.toString(seq));
    }
    return new JsonObject().put("success", true);
  }
}
