package io.natsvx.jetstream.consumer;

import io.natsvx.jetstream.wire.JsApiException;
import io.natsvx.jetstream.stream.SubjectOverlap;
import io.natsvx.jetstream.wire.JsError;
import io.natsvx.jetstream.wire.JsonFields;
import io.natsvx.jetstream.stream.StreamConfig;
import io.natsvx.subject.Subjects;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A consumer's configuration as the API carries it (nats-server's ConsumerConfig, 2.10 level),
 * read with nats-server's defaults (setConsumerConfigDefaults) and checks (checkConsumerCfg),
 * written back with its omissions. Immutable.
 */
public record ConsumerConfig(String durable, String name, String description, String deliverPolicy, long optStartSeq,
    String optStartTime, String ackPolicy, long ackWaitNanos, long maxDeliver, List<Long> backoff,
    String filterSubject, List<String> filterSubjects, String replayPolicy, long rateLimitBps, String sampleFreq,
    long maxWaiting, long maxAckPending, boolean flowControl, boolean headersOnly, long maxBatch, long maxExpiresNanos,
    long maxBytes, String deliverSubject, String deliverGroup, long heartbeatNanos, long inactiveThresholdNanos,
    int replicas, boolean memStorage, JsonObject metadata, boolean direct) {

  private static final long DEFAULT_ACK_WAIT = 30_000_000_000L;
  private static final long MIN_HEARTBEAT = 100_000_000L;

  public ConsumerConfig {
    backoff = List.copyOf(backoff);
    filterSubjects = List.copyOf(filterSubjects);
    metadata = metadata == null ? null : metadata.copy();
  }

  /**
   * A stream's own consumer of another stream (a mirror's or a source's, nats-server's Direct):
   * not listed, not counted against limits, free of the work-queue rules.
   */
  public boolean internal() {
    return direct;
  }

  public boolean pull() {
    return deliverSubject.isEmpty();
  }

  public boolean ackNone() {
    return ackPolicy.equals("none");
  }

  public boolean ackAll() {
    return ackPolicy.equals("all");
  }

  /** The subjects it takes: its filters, or everything in the stream. */
  public List<String> filters() {
    if (!filterSubjects.isEmpty()) {
      return filterSubjects;
    }
    return filterSubject.isEmpty() ? List.of() : List.of(filterSubject);
  }

  public ConsumerConfig withName(String n) {
    return new ConsumerConfig(durable, n, description, deliverPolicy, optStartSeq, optStartTime, ackPolicy,
        ackWaitNanos, maxDeliver, backoff, filterSubject, filterSubjects, replayPolicy, rateLimitBps, sampleFreq,
        maxWaiting, maxAckPending, flowControl, headersOnly, maxBatch, maxExpiresNanos, maxBytes, deliverSubject,
        deliverGroup, heartbeatNanos, inactiveThresholdNanos, replicas, memStorage, metadata, direct);
  }

  /**
   * Why {@code next} may not replace this config (nats-server's checkNewConsumerConfig), or null.
   * {@code deliverSubjectBound}: a client listens on the current deliver subject.
   */
  public String refuseUpdate(ConsumerConfig next, boolean deliverSubjectBound) {
    if (!deliverPolicy.equals(next.deliverPolicy)) {
      return "deliver policy can not be updated";
    }
    if (memStorage != next.memStorage) {
      return "storage type can not be updated";
    }
    if (optStartSeq != next.optStartSeq) {
      return "start sequence can not be updated";
    }
    if (!optStartTime.equals(next.optStartTime)) {
      return "start time can not be updated";
    }
    if (!ackPolicy.equals(next.ackPolicy)) {
      return "ack policy can not be updated";
    }
    if (!replayPolicy.equals(next.replayPolicy)) {
      return "replay policy can not be updated";
    }
    if (heartbeatNanos != next.heartbeatNanos) {
      return "heart beats can not be updated";
    }
    if (flowControl != next.flowControl) {
      return "flow control can not be updated";
    }
    if (!deliverSubject.equals(next.deliverSubject)) {
      if (deliverSubject.isEmpty()) {
        return "can not update pull consumer to push based";
      }
      if (next.deliverSubject.isEmpty()) {
        return "can not update push consumer to pull based";
      }
      if (deliverSubjectBound) {
        return "";
      }
    }
    if (maxWaiting != next.maxWaiting) {
      return "max waiting can not be updated";
    }
    return null;
  }

  public static ConsumerConfig parse(JsonObject o, StreamConfig stream) {
    String durable = string(o, "durable_name");
    String name = string(o, "name");
    if (!durable.isEmpty() && !name.isEmpty() && !durable.equals(name)) {
      throw JsError.CONSUMER_CREATE_DURABLE_AND_NAME_MISMATCH.exception();
    }
    if (!name.isEmpty() && !StreamConfig.validName(name)) {
      throw JsError.STREAM_INVALID_CONFIG.exception("consumer name can not contain '.', '*', '>', '\\\\', '/'");
    }
    if (!durable.isEmpty() && !StreamConfig.validName(durable)) {
      throw JsError.STREAM_INVALID_CONFIG.exception("consumer durable name can not contain '.', '*', '>', '\\\\', '/'");
    }
    String deliverSubject = string(o, "deliver_subject");
    boolean pull = deliverSubject.isEmpty();
    if (!pull && !Subjects.isValidLiteralSubject(deliverSubject)) {
      throw JsError.CONSUMER_DELIVER_TO_WILDCARDS.exception();
    }
    String deliverPolicy = choice(o, "deliver_policy", "all", "all", "last", "new", "by_start_sequence",
        "by_start_time", "last_per_subject");
    long optStartSeq = number(o, "opt_start_seq", 0);
    String optStartTime = string(o, "opt_start_time");
    if (deliverPolicy.equals("by_start_sequence") && optStartSeq == 0) {
      throw policy("consumer delivery policy is deliver by start sequence, but optional start sequence is not set");
    }
    if (!deliverPolicy.equals("by_start_sequence") && optStartSeq != 0) {
      throw policy("consumer delivery policy is not deliver by start sequence, but optional start sequence is set");
    }
    if (deliverPolicy.equals("by_start_time") && optStartTime.isEmpty()) {
      throw policy("consumer delivery policy is deliver by start time, but optional start time is not set");
    }
    String ackPolicy = choice(o, "ack_policy", "none", "none", "all", "explicit");
    if (stream.retention().equals("workqueue") && !ackPolicy.equals("explicit")) {
      throw JsError.CONSUMER_WQ_REQUIRES_EXPLICIT_ACK.exception();
    }
    if (stream.retention().equals("workqueue") && !deliverPolicy.equals("all")) {
      throw JsError.CONSUMER_WQ_NOT_DELIVER_ALL.exception();
    }
    long ackWait = number(o, "ack_wait", 0);
    if (ackWait == 0 && !ackPolicy.equals("none")) {
      ackWait = DEFAULT_ACK_WAIT;
    }
    List<Long> backoff = new ArrayList<>();
    if (o.getValue("backoff") instanceof JsonArray a) {
      for (Object v : a) {
        if (v instanceof Number n) {
          backoff.add(n.longValue());
        }
      }
    }
    long maxDeliver = number(o, "max_deliver", 0);
    if (maxDeliver == 0 || maxDeliver < -1) {
      maxDeliver = -1;
    }
    if (!backoff.isEmpty()) {
      if (maxDeliver != -1 && maxDeliver <= backoff.size()) {
        throw JsError.CONSUMER_MAX_DELIVER_BACKOFF.exception();
      }
      ackWait = backoff.get(0);
    }
    long maxWaiting = Math.max(0, number(o, "max_waiting", 0));
    if (!pull && maxWaiting > 0) {
      throw JsError.CONSUMER_PUSH_MAX_WAITING.exception();
    }
    if (pull && maxWaiting == 0) {
      maxWaiting = 512;
    }
    long maxAckPending = number(o, "max_ack_pending", 0);
    if (maxAckPending < -1) {
      maxAckPending = -1;
    }
    if (maxAckPending == 0 && !ackPolicy.equals("none")) {
      maxAckPending = 1000;
    }
    long heartbeat = Math.max(0, number(o, "idle_heartbeat", 0));
    boolean flowControl = bool(o, "flow_control");
    if (pull && heartbeat > 0) {
      throw JsError.CONSUMER_HEARTBEAT_REQUIRES_PUSH.exception();
    }
    if (pull && flowControl) {
      throw JsError.CONSUMER_FLOW_CONTROL_REQUIRES_PUSH.exception();
    }
    if (heartbeat > 0 && heartbeat < MIN_HEARTBEAT) {
      throw JsError.CONSUMER_SMALL_HEARTBEAT.exception();
    }
    if (flowControl && heartbeat == 0) {
      throw JsError.CONSUMER_FLOW_CONTROL_NEEDS_HEARTBEATS.exception();
    }
    String filterSubject = string(o, "filter_subject");
    List<String> filterSubjects = new ArrayList<>();
    if (o.getValue("filter_subjects") instanceof JsonArray a) {
      for (Object v : a) {
        if (!(v instanceof String s) || s.isEmpty()) {
          throw JsError.CONSUMER_EMPTY_FILTER.exception();
        }
        filterSubjects.add(s);
      }
    }
    if (!filterSubject.isEmpty() && !filterSubjects.isEmpty()) {
      throw JsError.CONSUMER_DUPLICATE_FILTER_SUBJECTS.exception();
    }
    for (int i = 0; i < filterSubjects.size(); i++) {
      for (int j = 0; j < filterSubjects.size(); j++) {
        if (i != j && Subjects.isSubsetMatch(filterSubjects.get(i), filterSubjects.get(j))) {
          throw JsError.CONSUMER_OVERLAPPING_FILTERS.exception();
        }
      }
    }
    List<String> filters = !filterSubjects.isEmpty() ? filterSubjects
        : filterSubject.isEmpty() ? List.of() : List.of(filterSubject);
    for (String f : filters) {
      // a copy's subjects are its origins' (which may be in another account): not checked here
      boolean copies = stream.mirror() != null || !stream.sources().isEmpty();
      boolean within = copies || stream.subjects().stream().anyMatch(s -> SubjectOverlap.overlap(s, f));
      if (!Subjects.isValidSubject(f) || !within) {
        throw JsError.CONSUMER_FILTER_NOT_SUBSET.exception();
      }
    }
    JsonObject metadata = o.getValue("metadata") instanceof JsonObject m ? m : null;
    return new ConsumerConfig(durable, name.isEmpty() ? durable : name, string(o, "description"), deliverPolicy,
        optStartSeq, optStartTime, ackPolicy, ackWait, maxDeliver, backoff, filterSubject, filterSubjects,
        choice(o, "replay_policy", "instant", "instant", "original"), number(o, "rate_limit_bps", 0),
        string(o, "sample_freq"), maxWaiting, maxAckPending, flowControl, bool(o, "headers_only"),
        Math.max(0, number(o, "max_batch", 0)), Math.max(0, number(o, "max_expires", 0)),
        Math.max(0, number(o, "max_bytes", 0)), deliverSubject, string(o, "deliver_group"), heartbeat,
        Math.max(0, number(o, "inactive_threshold", 0)), (int) number(o, "num_replicas", 0),
        bool(o, "mem_storage"), metadata, bool(o, "direct"));
  }

  /** The JSON nats-server writes (omitempty as it does). */
  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    putIf(o, "durable_name", durable);
    putIf(o, "name", name);
    putIf(o, "description", description);
    o.put("deliver_policy", deliverPolicy);
    if (optStartSeq > 0) {
      o.put("opt_start_seq", optStartSeq);
    }
    putIf(o, "opt_start_time", optStartTime);
    o.put("ack_policy", ackPolicy);
    if (ackWaitNanos > 0) {
      o.put("ack_wait", ackWaitNanos);
    }
    if (maxDeliver != 0) {
      o.put("max_deliver", maxDeliver);
    }
    if (!backoff.isEmpty()) {
      o.put("backoff", new JsonArray(new ArrayList<>(backoff)));
    }
    putIf(o, "filter_subject", filterSubject);
    if (!filterSubjects.isEmpty()) {
      o.put("filter_subjects", new JsonArray(new ArrayList<>(filterSubjects)));
    }
    o.put("replay_policy", replayPolicy);
    if (rateLimitBps > 0) {
      o.put("rate_limit_bps", rateLimitBps);
    }
    putIf(o, "sample_freq", sampleFreq);
    if (maxWaiting > 0) {
      o.put("max_waiting", maxWaiting);
    }
    if (maxAckPending != 0) {
      o.put("max_ack_pending", maxAckPending);
    }
    if (flowControl) {
      o.put("flow_control", true);
    }
    if (headersOnly) {
      o.put("headers_only", true);
    }
    if (maxBatch > 0) {
      o.put("max_batch", maxBatch);
    }
    if (maxExpiresNanos > 0) {
      o.put("max_expires", maxExpiresNanos);
    }
    if (maxBytes > 0) {
      o.put("max_bytes", maxBytes);
    }
    putIf(o, "deliver_subject", deliverSubject);
    putIf(o, "deliver_group", deliverGroup);
    if (heartbeatNanos > 0) {
      o.put("idle_heartbeat", heartbeatNanos);
    }
    if (inactiveThresholdNanos > 0) {
      o.put("inactive_threshold", inactiveThresholdNanos);
    }
    o.put("num_replicas", replicas);
    if (direct) {
      o.put("direct", true);
    }
    if (memStorage) {
      o.put("mem_storage", true);
    }
    if (metadata != null && !metadata.isEmpty()) {
      o.put("metadata", metadata.copy());
    }
    return o;
  }

  private static void putIf(JsonObject o, String key, String value) {
    if (value != null && !value.isEmpty()) {
      o.put(key, value);
    }
  }

  private static JsApiException policy(String why) {
    return JsError.CONSUMER_INVALID_POLICY.exception(why);
  }

  private static String string(JsonObject o, String key) {
    return JsonFields.string(o, key, "");
  }

  private static boolean bool(JsonObject o, String key) {
    return JsonFields.bool(o, key);
  }

  private static long number(JsonObject o, String key, long dflt) {
    return JsonFields.number(o, key, dflt);
  }

  private static String choice(JsonObject o, String key, String dflt, String... allowed) {
    return JsonFields.choice(o, key, dflt, ConsumerConfig::policy, allowed);
  }
}
