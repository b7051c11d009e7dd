package io.natsvx.jetstream.stream;

import io.natsvx.jetstream.wire.JsApiException;
import io.natsvx.jetstream.wire.JsError;
import io.natsvx.jetstream.wire.JsonFields;
import io.natsvx.subject.Subjects;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A stream another stream copies: its {@code mirror} or one of its {@code sources}
 * (nats-server's StreamSource): the origin's name, where to start, which subjects and how to
 * rename them, and for an origin in another account or domain, the API prefix its requests go
 * to and the prefix its deliveries come back on. Immutable.
 */
public record StreamOrigin(String name, long optStartSeq, String optStartTime, String filterSubject,
    List<SubjectTransform> transforms, String apiPrefix, String deliverPrefix) {

  public StreamOrigin {
    transforms = List.copyOf(transforms);
  }

  static StreamOrigin parse(JsonObject o) {
    String name = JsonFields.string(o, "name", "");
    if (name.isEmpty()) {
      throw invalid("sourced stream name is invalid");
    }
    long optStartSeq = JsonFields.number(o, "opt_start_seq", 0);
    String optStartTime = JsonFields.string(o, "opt_start_time", "");
    String filter = JsonFields.string(o, "filter_subject", "");
    if (!filter.isEmpty() && !Subjects.isValidSubject(filter)) {
      throw invalid("source filter subject is invalid");
    }
    List<SubjectTransform> transforms = new ArrayList<>();
    if (o.getValue("subject_transforms") instanceof JsonArray a) {
      for (Object t : a) {
        if (t instanceof JsonObject tj) {
          String src = JsonFields.string(tj, "src", "");
          SubjectTransform st = SubjectTransform.of(tj);
          transforms.add(st != null ? st : new SubjectTransform(src, ""));
        }
      }
    }
    if (!filter.isEmpty() && !transforms.isEmpty()) {
      throw JsError.SOURCE_MULTIPLE_FILTERS.exception();
    }
    String api = "";
    String deliver = "";
    if (o.getValue("external") instanceof JsonObject ext) {
      api = JsonFields.string(ext, "api", "");
      deliver = JsonFields.string(ext, "deliver", "");
    }
    return new StreamOrigin(name, optStartSeq, optStartTime, filter, transforms, api, deliver);
  }

  /** The subjects taken from the origin: its filter, the transforms' sources, or all (empty). */
  public List<String> filters() {
    if (!filterSubject.isEmpty()) {
      return List.of(filterSubject);
    }
    List<String> out = new ArrayList<>();
    for (SubjectTransform t : transforms) {
      out.add(t.src().isEmpty() ? ">" : t.src());
    }
    return out.equals(List.of(">")) ? List.of() : out;
  }

  /** The subject a copied message is stored under. */
  public String rename(String subject) {
    for (SubjectTransform t : transforms) {
      if (t.src().isEmpty() || Subjects.matches(t.src(), subject)) {
        return t.dest().isEmpty() ? subject : t.apply(subject);
      }
    }
    return subject;
  }

  public boolean external() {
    return !apiPrefix.isEmpty();
  }

  /**
   * The name the copied messages' {@code Nats-Stream-Source} header carries: the origin's name,
   * and for an external one a hash of its API prefix, so two origins of one name stay apart.
   */
  public String indexName() {
    if (!external()) {
      return name;
    }
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(apiPrefix.getBytes(StandardCharsets.UTF_8));
      return name + ":" + java.util.HexFormat.of().formatHex(d, 0, 4);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  JsonObject toJson() {
    JsonObject o = new JsonObject().put("name", name);
    if (optStartSeq > 0) {
      o.put("opt_start_seq", optStartSeq);
    }
    if (!optStartTime.isEmpty()) {
      o.put("opt_start_time", optStartTime);
    }
    if (!filterSubject.isEmpty()) {
      o.put("filter_subject", filterSubject);
    }
    if (!transforms.isEmpty()) {
      JsonArray a = new JsonArray();
      transforms.forEach(t -> a.add(new JsonObject().put("src", t.src()).put("dest", t.dest())));
      o.put("subject_transforms", a);
    }
    if (external()) {
      o.put("external", new JsonObject().put("api", apiPrefix).put("deliver", deliverPrefix));
    }
    return o;
  }

  private static JsApiException invalid(String why) {
    return JsError.STREAM_INVALID_CONFIG.exception(why);
  }
}
