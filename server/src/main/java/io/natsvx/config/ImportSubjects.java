package io.natsvx.config;

import io.natsvx.subject.Subjects;
import java.util.regex.Pattern;

/**
 * Subject tests that nats-server applies to imports and exports while reading accounts
 * (server/sublist.go SubjectsCollide; subject_transform.go
 * NewSubjectTransformStrict), so that natsvx accepts and refuses the same imports. Tokens are
 * split on '.', empty ones kept, as nats-server does. Stateless.
 */
final class ImportSubjects {

  private static final Pattern WILDCARD_FUNCTION =
      Pattern.compile("\\{\\{\\s*[wW]ildcard\\s*\\((.*)\\)\\s*}}");
  /** The other mapping functions: valid in mappings, refused in import transforms. */
  private static final Pattern OTHER_FUNCTION = Pattern.compile(
      "\\{\\{\\s*([pP]artition|[sS]plit[fF]rom[lL]eft|[sS]plit[fF]rom[rR]ight"
          + "|[sS]lice[fF]rom[lL]eft|[sS]lice[fF]rom[rR]ight|[sS]plit)\\s*\\((.*)\\)\\s*}}");

  private static final String BAD_DESTINATION = "invalid mapping destination";

  private ImportSubjects() {}

  static String[] tokens(String subject) {
    return subject.split("\\.", -1);
  }

  /** Whether one literal subject could match both (SubjectsCollide). */
  static boolean collide(String s1, String s2) {
    if (s1.equals(s2)) {
      return true;
    }
    String[] t1 = tokens(s1);
    String[] t2 = tokens(s2);
    boolean pwc1 = has(t1, "*");
    boolean fwc1 = has(t1, ">");
    boolean pwc2 = has(t2, "*");
    boolean fwc2 = has(t2, ">");
    boolean l1 = !(pwc1 || fwc1);
    boolean l2 = !(pwc2 || fwc2);
    if (l1 && l2) {
      return false;
    }
    if (l1) {
      return Subjects.isSubsetMatch(s1, s2);
    }
    if (l2) {
      return Subjects.isSubsetMatch(s2, s1);
    }
    if (!fwc1 && !fwc2 && t1.length != t2.length) {
      return false;
    }
    if (t1.length < t2.length && !fwc1 || t2.length < t1.length && !fwc2) {
      return false;
    }
    for (int i = 0; i < Math.min(t1.length, t2.length); i++) {
      String a = t1[i];
      String b = t2[i];
      if (a.isEmpty() || b.isEmpty()) {
        return false;
      }
      boolean wild = "*>".indexOf(a.charAt(0)) >= 0 || "*>".indexOf(b.charAt(0)) >= 0;
      if (!wild && !a.equals(b)) {
        return false;
      }
    }
    return true;
  }

  private static boolean has(String[] tokens, String wildcard) {
    for (String t : tokens) {
      if (t.equals(wildcard)) {
        return true;
      }
    }
    return false;
  }

  /** Each '*' token becomes $1, $2… (transformTokenize). */
  static String tokenize(String subject) {
    StringBuilder sb = new StringBuilder();
    int i = 1;
    for (String t : tokens(subject)) {
      if (sb.length() > 0) {
        sb.append('.');
      }
      sb.append(t.equals("*") ? "$" + i++ : t);
    }
    return sb.toString();
  }

  /** Each $n or {{wildcard(n)}} token becomes '*' (transformUntokenize). */
  static String untokenize(String subject) {
    StringBuilder sb = new StringBuilder();
    for (String t : tokens(subject)) {
      if (sb.length() > 0) {
        sb.append('.');
      }
      boolean dollar = t.length() > 1 && t.charAt(0) == '$'
          && t.charAt(1) >= '1' && t.charAt(1) <= '9';
      java.util.regex.Matcher m = WILDCARD_FUNCTION.matcher(t);
      boolean function = m.find() && !m.group(1).isEmpty() && !m.group(1).contains(",");
      sb.append(dollar || function ? "*" : t);
    }
    return sb.toString();
  }

  /**
   * Why nats-server cannot map {@code src} to {@code dest} in an import (reversibly: only
   * wildcard references, each wildcard of the source used), or null when it can. The text is
   * nats-server's.
   */
  static String transformProblem(String src, String dest) {
    Info s = Info.of(src);
    Info d = Info.of(dest);
    if (!s.valid || !d.valid || d.pwcs > 0 || s.fwc != d.fwc) {
      return "invalid subject";
    }
    int used = 0;
    for (String token : d.tokens) {
      Reference r = reference(token);
      if (r.problem != null) {
        return r.problem;
      }
      if (r.index < 0) {
        continue;
      }
      if (s.pwcs == 0) {
        return BAD_DESTINATION + ": wildcard index out of range in " + token;
      }
      if (r.index > s.pwcs) {
        return BAD_DESTINATION + ": wildcard index out of range in " + token + ": [" + r.index
            + "]";
      }
      used++;
    }
    if (s.pwcs > 0 && used < s.pwcs) {
      return BAD_DESTINATION + ": not using all of the token wildcard(s) in " + dest;
    }
    return null;
  }

  /** A destination token: index >= 0 for a wildcard reference, -1 for a plain token. */
  private record Reference(int index, String problem) {}

  private static Reference reference(String token) {
    if (token.length() > 1 && token.charAt(0) == '$') {
      try {
        return new Reference(Integer.parseInt(token.substring(1)), null);
      } catch (NumberFormatException e) {
        return new Reference(-1, null); // nats-server leaves other $ tokens as they are
      }
    }
    if (token.length() <= 4 || !token.startsWith("{{") || !token.endsWith("}}")) {
      return new Reference(-1, null);
    }
    java.util.regex.Matcher m = WILDCARD_FUNCTION.matcher(token);
    if (m.find()) {
      String[] args = m.group(1).split(",\\s*", -1);
      if (args.length == 1 && args[0].isEmpty()) {
        return new Reference(-1, BAD_DESTINATION
            + ": not enough arguments passed to the function in " + token);
      }
      if (args.length > 1) {
        return new Reference(-1, BAD_DESTINATION
            + ": too many arguments passed to the function in " + token);
      }
      try {
        return new Reference(Integer.parseInt(args[0].strip()), null);
      } catch (NumberFormatException e) {
        return new Reference(-1, BAD_DESTINATION
            + ": function argument is invalid or in the wrong format in " + token);
      }
    }
    if (OTHER_FUNCTION.matcher(token).find()) {
      return new Reference(-1, BAD_DESTINATION + ": the only mapping function allowed for import "
          + "transforms is {{Wildcard()}} in " + token);
    }
    return new Reference(-1, BAD_DESTINATION + ": unknown function in " + token);
  }

  /** subjectInfo: validity, tokens, number of '*', and whether it ends in '>'. */
  private record Info(boolean valid, String[] tokens, int pwcs, boolean fwc) {
    static Info of(String subject) {
      if (subject.isEmpty()) {
        return new Info(false, new String[0], 0, false);
      }
      String[] tokens = ImportSubjects.tokens(subject);
      int pwcs = 0;
      boolean fwc = false;
      for (String t : tokens) {
        if (t.isEmpty() || fwc) {
          return new Info(false, tokens, 0, false);
        }
        if (t.equals(">")) {
          fwc = true;
        } else if (t.equals("*")) {
          pwcs++;
        }
      }
      return new Info(true, tokens, pwcs, fwc);
    }
  }
}
