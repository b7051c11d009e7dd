package io.natsvx.jetstream.stream;

import io.natsvx.account.Mapping;
import io.natsvx.jetstream.wire.JsError;
import io.natsvx.subject.Subjects;
import io.vertx.core.json.JsonObject;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stream's {@code subject_transform}: a message whose subject matches {@code src} (all when
 * empty) is stored under {@code dest}, its wildcards carried by {@code $n} or
 * {@code {{wildcard(n)}}}. Checked as nats-server's ValidateMapping checks it, with its error
 * texts. Immutable.
 */
public record SubjectTransform(String src, String dest) {

  private static final Pattern WILDCARD = Pattern.compile("\\{\\{\\s*[wW]ildcard\\s*\\((.*)\\)\\s*}}");
  private static final Pattern OTHER_FUNCTION = Pattern.compile(
      "\\{\\{\\s*([pP]artition|[sS]plit[fF]rom[lL]eft|[sS]plit[fF]rom[rR]ight|[sS]lice[fF]rom[lL]eft"
          + "|[sS]lice[fF]rom[rR]ight|[sS]plit|[rR]andom)\\s*\\((.*)\\)\\s*}}");
  private static final String BAD = "invalid mapping destination";

  /** The request's transform, checked; null when it has none or its destination is empty. */
  static SubjectTransform parse(JsonObject o) {
    return o.getValue("subject_transform") instanceof JsonObject t ? of(t) : null;
  }

  /** One {@code {"src","dest"}}, checked; null when its destination is empty. */
  static SubjectTransform of(JsonObject t) {
    String src = t.getValue("src") instanceof String s ? s : "";
    String dest = t.getValue("dest") instanceof String d ? d : "";
    if (!src.isEmpty() && !Subjects.isValidSubject(src)) {
      throw JsError.STREAM_TRANSFORM_INVALID_SOURCE.exception("invalid subject " + src);
    }
    if (dest.isEmpty()) {
      return null;
    }
    SubjectTransform transform = new SubjectTransform(src, dest);
    String problem = transform.problem();
    if (problem != null) {
      throw JsError.STREAM_TRANSFORM_INVALID_DESTINATION.exception(problem);
    }
    return transform;
  }

  /** What nats-server would say is wrong with the destination, or null when it is valid. */
  String problem() {
    try {
      check();
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  private void check() {
    String source = src.isEmpty() ? ">" : src;
    String[] stokens = source.split("\\.", -1);
    int wildcards = 0;
    for (String t : stokens) {
      if (t.equals("*")) {
        wildcards++;
      }
    }
    boolean sourceFull = stokens[stokens.length - 1].equals(">");
    boolean destFull = false;
    for (String t : dest.split("\\.", -1)) {
      if (t.isEmpty() || destFull) {
        throw invalid(BAD + ": invalid transform in " + t);
      }
      if (t.startsWith("{{") && t.endsWith("}}") && t.length() > 4) {
        Matcher w = WILDCARD.matcher(t);
        if (w.matches()) {
          index(w.group(1).trim(), t, wildcards);
        } else if (OTHER_FUNCTION.matcher(t).matches()) {
          throw invalid(BAD + ": function not supported by this server in " + t);
        } else {
          throw invalid(BAD + ": unknown function in " + t);
        }
      } else if (t.equals(">")) {
        destFull = true;
      } else if (t.equals("*")) {
        throw invalid("invalid subject");
      } else if (t.chars().anyMatch(c -> c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f')) {
        throw invalid(BAD + ": invalid transform");
      } else if (t.length() > 1 && t.charAt(0) == '$' && t.substring(1).chars().allMatch(Character::isDigit)) {
        index(t.substring(1), t, wildcards);
      }
    }
    if (sourceFull != destFull) {
      throw invalid("invalid subject");
    }
  }

  private static void index(String arg, String token, int wildcards) {
    int n;
    try {
      n = Integer.parseInt(arg);
    } catch (NumberFormatException e) {
      throw invalid(BAD + ": function argument is invalid or in the wrong format in " + token);
    }
    if (n < 1 || n > wildcards) {
      throw invalid(BAD + ": wildcard index out of range in " + token + ": [" + n + "]");
    }
  }

  private static IllegalArgumentException invalid(String why) {
    return new IllegalArgumentException(why);
  }

  /** The subject to store {@code subject} under. */
  public String apply(String subject) {
    if (src.isEmpty()) {
      return Mapping.rename(">", dest, subject);
    }
    return Subjects.matches(src, subject) ? Mapping.rename(src, dest, subject) : subject;
  }

  JsonObject toJson() {
    return new JsonObject().put("src", src).put("dest", dest);
  }
}
