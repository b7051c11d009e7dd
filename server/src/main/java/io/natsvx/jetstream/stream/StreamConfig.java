package io.natsvx.jetstream.stream;

import io.natsvx.jetstream.wire.JsApiException;
import io.natsvx.jetstream.wire.JsError;
import io.natsvx.jetstream.wire.JsonFields;
import io.natsvx.subject.Subjects;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A stream's configuration as the API carries it (nats-server's StreamConfig, at the 2.10
 * level): read from a request with nats-server's defaults and checks (checkStreamCfg), and
 * written back field for field. Immutable.
 */
public record StreamConfig(String name, String description, List<String> subjects, String retention,
    long maxConsumers, long maxMsgs, long maxBytes, long maxAgeNanos, long maxMsgsPerSubject, long maxMsgSize,
    String discard, String storage, int replicas, boolean noAck, long duplicateWindowNanos, boolean allowDirect,
    boolean mirrorDirect, boolean discardNewPerSubject, boolean sealed, boolean denyDelete, boolean denyPurge,
    boolean allowRollup, long firstSeq, String compression, JsonObject metadata, SubjectTransform subjectTransform,
    RePublish republish, StreamOrigin mirror, List<StreamOrigin> sources) {

  private static final long DEFAULT_DUPLICATE_WINDOW = 120_000_000_000L;
  private static final long MIN_WINDOW = 100_000_000L;

  public StreamConfig {
    subjects = List.copyOf(subjects);
    sources = List.copyOf(sources);
    metadata = metadata == null ? null : metadata.copy();
  }

  public boolean memory() {
    return storage.equals("memory");
  }

  public boolean discardNew() {
    return discard.equals("new");
  }

  /** Reads a request's config; {@code nameFromSubject} must match its name when it gives one. */
  public static StreamConfig parse(JsonObject o, String nameFromSubject) {
    String name = string(o, "name", "");
    if (nameFromSubject != null && !name.isEmpty() && !name.equals(nameFromSubject)) {
      throw JsError.STREAM_MISMATCH.exception();
    }
    if (name.isEmpty()) {
      name = nameFromSubject == null ? "" : nameFromSubject;
    }
    if (!validName(name)) {
      throw invalid("stream name is required and can not contain '.', '*', '>', '\\\\', '/'");
    }
    if (name.length() > 255) {
      throw invalid("stream name is too long, maximum allowed is 255");
    }
    StreamOrigin mirror = o.getValue("mirror") instanceof JsonObject m ? StreamOrigin.parse(m) : null;
    List<StreamOrigin> sources = new ArrayList<>();
    if (o.getValue("sources") instanceof JsonArray a) {
      for (Object v : a) {
        if (v instanceof JsonObject so) {
          StreamOrigin origin = StreamOrigin.parse(so);
          if (sources.stream().anyMatch(other -> other.indexName().equals(origin.indexName())
              && other.filters().equals(origin.filters()))) {
            throw invalid("duplicate source configuration detected");
          }
          sources.add(origin);
        }
      }
    }
    if (mirror != null) {
      if (o.getValue("subjects") instanceof JsonArray a && !a.isEmpty()) {
        throw JsError.MIRROR_WITH_SUBJECTS.exception();
      }
      if (!sources.isEmpty()) {
        throw JsError.MIRROR_WITH_SOURCES.exception();
      }
      if (mirror.optStartSeq() > 0 && !mirror.optStartTime().isEmpty()) {
        throw JsError.MIRROR_WITH_START_SEQ_AND_TIME.exception();
      }
    }
    String retention = choice(o, "retention", "limits", "limits", "interest", "workqueue");
    String discard = choice(o, "discard", "old", "old", "new");
    String storage = choice(o, "storage", "file", "file", "memory");
    String compression = choice(o, "compression", "none", "none", "s2");
    int replicas = (int) number(o, "num_replicas", 0);
    if (replicas == 0) {
      replicas = 1;
    }
    if (replicas > 5) {
      throw invalid("maximum replicas is 5");
    }
    if (replicas < 0) {
      throw invalid("replicas count cannot be negative");
    }
    if (replicas > 1) {
      throw JsError.STREAM_REPLICAS_NOT_SUPPORTED.exception();
    }
    long maxAge = number(o, "max_age", 0);
    if (maxAge < 0) {
      throw invalid("max age can not be negative");
    }
    if (maxAge != 0 && maxAge < MIN_WINDOW) {
      throw invalid("max age needs to be >= 100ms");
    }
    long duplicates = number(o, "duplicate_window", 0);
    if (duplicates == 0) {
      duplicates = maxAge != 0 && maxAge < DEFAULT_DUPLICATE_WINDOW ? maxAge : DEFAULT_DUPLICATE_WINDOW;
    }
    if (duplicates < 0) {
      throw invalid("duplicates window can not be negative");
    }
    if (maxAge != 0 && duplicates > maxAge) {
      throw invalid("duplicates window can not be larger then max age");
    }
    if (duplicates < MIN_WINDOW) {
      throw invalid("duplicates window needs to be >= 100ms");
    }
    boolean denyPurge = bool(o, "deny_purge");
    boolean allowRollup = bool(o, "allow_rollup_hdrs");
    if (denyPurge && allowRollup) {
      throw invalid("roll-ups require the purge permission");
    }
    boolean discardNewPer = bool(o, "discard_new_per_subject");
    long maxMsgsPer = unlimited(number(o, "max_msgs_per_subject", 0));
    if (discardNewPer && !discard.equals("new")) {
      throw invalid("discard new per subject requires discard new policy to be set");
    }
    if (discardNewPer && maxMsgsPer <= 0) {
      throw invalid("discard new per subject requires max msgs per subject > 0");
    }
    List<String> subjects = subjects(o, mirror == null && sources.isEmpty() ? name : null);
    SubjectTransform transform = SubjectTransform.parse(o);
    JsonObject metadata = o.getValue("metadata") instanceof JsonObject m ? m : null;
    return new StreamConfig(name, string(o, "description", ""), subjects, retention,
        unlimited(number(o, "max_consumers", 0)), unlimited(number(o, "max_msgs", 0)),
        unlimited(number(o, "max_bytes", 0)), maxAge, maxMsgsPer, unlimited(number(o, "max_msg_size", 0)),
        discard, storage, replicas, bool(o, "no_ack"), duplicates, bool(o, "allow_direct"),
        bool(o, "mirror_direct"), discardNewPer, bool(o, "sealed"), bool(o, "deny_delete"), denyPurge, allowRollup,
        number(o, "first_seq", 0), compression, metadata, transform, RePublish.parse(o, subjects, transform), mirror,
        sources);
  }

  private static List<String> subjects(JsonObject o, String name) {
    List<String> out = new ArrayList<>();
    if (o.getValue("subjects") instanceof JsonArray a) {
      for (Object s : a) {
        if (!(s instanceof String subject) || !Subjects.isValidSubject(subject)) {
          throw invalid("invalid subject");
        }
        if (out.contains(subject)) {
          throw invalid("duplicate subjects detected");
        }
        if (subject.startsWith("$JS.API") || subject.equals(">") || subject.startsWith("_INBOX.")) {
          throw invalid(subject.equals(">") || subject.startsWith("$JS.API")
              ? "subjects that overlap with jetstream api require no-ack to be true"
              : "subjects that overlap with inboxes are not allowed");
        }
        out.add(subject);
      }
    }
    if (out.isEmpty() && name != null) {
      out.add(name); // a stream without subjects takes its name, unless it copies other streams
    }
    return out;
  }

  /** nats-server's isValidAssetName: no wildcards, dots, separators or whitespace. */
  public static boolean validName(String name) {
    if (name == null || name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '.' || c == '*' || c == '>' || c == '/' || c == '\\' || Character.isWhitespace(c)) {
        return false;
      }
    }
    return true;
  }

  /** The JSON nats-server writes for this config. */
  public JsonObject toJson() {
    JsonObject o = new JsonObject().put("name", name);
    if (!description.isEmpty()) {
      o.put("description", description);
    }
    o.put("subjects", new JsonArray(new ArrayList<>(subjects)))
        .put("retention", retention)
        .put("max_consumers", maxConsumers)
        .put("max_msgs", maxMsgs)
        .put("max_bytes", maxBytes)
        .put("max_age", maxAgeNanos)
        .put("max_msgs_per_subject", maxMsgsPerSubject)
        .put("max_msg_size", maxMsgSize)
        .put("discard", discard)
        .put("storage", storage)
        .put("num_replicas", replicas);
    if (noAck) {
      o.put("no_ack", true);
    }
    o.put("duplicate_window", duplicateWindowNanos)
        .put("compression", compression);
    if (firstSeq > 0) {
      o.put("first_seq", firstSeq);
    }
    if (subjectTransform != null) {
      o.put("subject_transform", subjectTransform.toJson());
    }
    if (republish != null) {
      o.put("republish", republish.toJson());
    }
    if (mirror != null) {
      o.put("mirror", mirror.toJson());
    }
    if (!sources.isEmpty()) {
      JsonArray a = new JsonArray();
      sources.forEach(so -> a.add(so.toJson()));
      o.put("sources", a);
    }
    o.put("allow_direct", allowDirect)
        .put("mirror_direct", mirrorDirect);
    if (discardNewPerSubject) {
      o.put("discard_new_per_subject", true);
    }
    o.put("sealed", sealed)
        .put("deny_delete", denyDelete)
        .put("deny_purge", denyPurge)
        .put("allow_rollup_hdrs", allowRollup)
        .put("consumer_limits", new JsonObject());
    if (metadata != null && !metadata.isEmpty()) {
      o.put("metadata", metadata.copy());
    }
    return o;
  }

  /** What an update may not change (nats-server's checkStreamCfg for updates): each an invalid config, 10052. */
  public void checkUpdate(StreamConfig next) {
    if (maxConsumers != next.maxConsumers) {
      throw invalid("stream configuration update can not change MaxConsumers");
    }
    if (!storage.equals(next.storage)) {
      throw invalid("stream configuration update can not change storage type");
    }
    if (!retention.equals(next.retention)) {
      throw invalid("stream configuration update can not change retention policy");
    }
    if (sealed && !next.sealed) {
      throw invalid("stream configuration update can not unseal a sealed stream");
    }
    if (denyDelete && !next.denyDelete) {
      throw invalid("stream configuration update can not cancel deny message deletes");
    }
    if (denyPurge && !next.denyPurge) {
      throw invalid("stream configuration update can not cancel deny purge");
    }
    if (!java.util.Objects.equals(mirror, next.mirror)) {
      throw JsError.STREAM_MIRROR_NOT_UPDATABLE.exception();
    }
    if (!java.util.Objects.equals(republish, next.republish)) {
      throw invalid("stream configuration update can not change RePublish");
    }
  }

  private static JsApiException invalid(String why) {
    return JsError.STREAM_INVALID_CONFIG.exception(why);
  }

  private static long unlimited(long v) {
    return v == 0 || v < -1 ? -1 : v;
  }

  private static String string(JsonObject o, String key, String dflt) {
    return JsonFields.string(o, key, dflt);
  }

  private static boolean bool(JsonObject o, String key) {
    return JsonFields.bool(o, key);
  }

  private static long number(JsonObject o, String key, long dflt) {
    return JsonFields.number(o, key, dflt);
  }

  private static String choice(JsonObject o, String key, String dflt, String... allowed) {
    return JsonFields.choice(o, key, dflt, StreamConfig::invalid, allowed);
  }
}
