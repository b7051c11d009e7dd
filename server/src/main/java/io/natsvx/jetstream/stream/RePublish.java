package io.natsvx.jetstream.stream;

import io.natsvx.jetstream.stream.SubjectOverlap;
import io.natsvx.jetstream.wire.JsError;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A stream's {@code republish}: once stored, a message whose subject matches {@code src} is
 * published again on {@code dest} (a subject transform) with Nats-Stream, Nats-Subject,
 * Nats-Sequence, Nats-Time-Stamp and Nats-Last-Sequence headers, or only the headers and
 * Nats-Msg-Size with {@code headers_only}, as nats-server does. Immutable.
 */
public record RePublish(String src, String dest, boolean headersOnly) {

  /** The request's republish, checked against the stream's subjects; null when it has none. */
  static RePublish parse(JsonObject o, List<String> subjects, SubjectTransform transform) {
    if (!(o.getValue("republish") instanceof JsonObject r)) {
      return null;
    }
    String src = r.getValue("src") instanceof String s && !s.isEmpty() ? s : ">";
    String dest = r.getValue("dest") instanceof String d ? d : "";
    boolean headersOnly = r.getValue("headers_only") instanceof Boolean b && b;
    // '>' to '>' follows the transform when its source is the stream's one subject
    if (dest.equals(">") && src.equals(">") && transform != null && subjects.size() == 1
        && transform.src().equals(subjects.get(0))) {
      src = transform.dest();
      dest = transform.dest();
    }
    for (String subject : subjects) {
      if (SubjectOverlap.overlap(dest, subject)) {
        throw JsError.STREAM_INVALID_CONFIG.exception("stream configuration for republish destination forms a cycle");
      }
    }
    if (dest.isEmpty() || new SubjectTransform(src, dest).problem() != null) {
      throw JsError.STREAM_INVALID_CONFIG.exception("stream configuration for republish with transform from '"
          + src + "' to '" + dest + "' not valid");
    }
    return new RePublish(src, dest, headersOnly);
  }

  /** Where a stored message on {@code subject} goes again, or null when it does not. */
  String target(String subject) {
    if (!io.natsvx.subject.Subjects.matches(src, subject)) {
      return null;
    }
    return new SubjectTransform(src, dest).apply(subject);
  }

  /** The headers of the republished message. */
  byte[] headers(String stream, String subject, long seq, long timestampNanos, long lastSeq, byte[] original,
      int size) {
    StringBuilder h = new StringBuilder(160);
    if (original.length > 0) {
      h.append(new String(original, 0, original.length - 2, StandardCharsets.UTF_8));
    } else {
      h.append("NATS/1.0\r\n");
    }
    h.append("Nats-Stream: ").append(stream).append("\r\nNats-Subject: ").append(subject)
        .append("\r\nNats-Sequence: ").append(seq).append("\r\nNats-Time-Stamp: ")
        .append(Stream.time(timestampNanos))
        .append("\r\nNats-Last-Sequence: ").append(lastSeq).append("\r\n");
    if (headersOnly) {
      h.append("Nats-Msg-Size: ").append(size).append("\r\n");
    }
    return h.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
  }

  JsonObject toJson() {
    JsonObject o = new JsonObject().put("src", src).put("dest", dest);
    if (headersOnly) {
      o.put("headers_only", true);
    }
    return o;
  }
}
