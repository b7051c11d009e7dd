package io.natsvx.subject;

/** Subject validation and matching rules of the NATS protocol. Stateless, thread-safe. */
public final class Subjects {

  private Subjects() {}

  /** A subscription subject: non-empty tokens, `*` a whole token, `>` only as the last token. */
  public static boolean isValidSubject(String s) {
    if (s == null || s.isEmpty()) {
      return false;
    }
    int n = s.length();
    int tokenStart = 0;
    for (int i = 0; i <= n; i++) {
      if (i == n || s.charAt(i) == '.') {
        int len = i - tokenStart;
        if (len == 0) {
          return false;
        }
        // Only whole-token wildcards are special; `foo*` is a literal token, as in nats-server.
        if (len == 1 && s.charAt(tokenStart) == '>' && i != n) {
          return false;
        }
        tokenStart = i + 1;
      } else {
        char c = s.charAt(i);
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
          return false;
        }
      }
    }
    return true;
  }

  /** A publish subject: a valid subject with no wildcard tokens. */
  public static boolean isValidLiteralSubject(String s) {
    if (!isValidSubject(s)) {
      return false;
    }
    int n = s.length();
    int tokenStart = 0;
    for (int i = 0; i <= n; i++) {
      if (i == n || s.charAt(i) == '.') {
        if (i - tokenStart == 1) {
          char c = s.charAt(tokenStart);
          if (c == '*' || c == '>') {
            return false;
          }
        }
        tokenStart = i + 1;
      }
    }
    return true;
  }

  /** {@link #isValidLiteralSubject(String)} on UTF-8 bytes, without allocating. */
  public static boolean isValidLiteralSubject(byte[] b, int off, int len) {
    if (len == 0) {
      return false;
    }
    int tokenStart = off;
    int end = off + len;
    for (int i = off; i <= end; i++) {
      if (i == end || b[i] == '.') {
        int n = i - tokenStart;
        if (n == 0) {
          return false;
        }
        if (n == 1 && (b[tokenStart] == '*' || b[tokenStart] == '>')) {
          return false;
        }
        tokenStart = i + 1;
      } else {
        byte c = b[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
          return false;
        }
      }
    }
    return true;
  }

  /** A queue group name: non-empty, no whitespace. */
  public static boolean isValidQueue(String q) {
    if (q == null || q.isEmpty()) {
      return false;
    }
    for (int i = 0; i < q.length(); i++) {
      char c = q.charAt(i);
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        return false;
      }
    }
    return true;
  }

  /** No token is a wildcard ({@code *} or {@code >}); validity is not checked (nats-server's subjectIsLiteral). */
  public static boolean isLiteral(String subject) {
    int n = subject.length();
    for (int i = 0; i < n; i++) {
      char c = subject.charAt(i);
      if ((c == '*' || c == '>') && (i == 0 || subject.charAt(i - 1) == '.')
          && (i + 1 == n || subject.charAt(i + 1) == '.')) {
        return false;
      }
    }
    return true;
  }

  /** Whether every subject matching {@code subject} matches {@code test} (nats-server's subjectIsSubsetMatch). */
  public static boolean isSubsetMatch(String subject, String test) {
    String[] tokens = subject.split("\\.", -1);
    String[] tts = test.split("\\.", -1);
    for (int i = 0; i < tts.length; i++) {
      if (i >= tokens.length) {
        return false;
      }
      String t2 = tts[i];
      if (t2.isEmpty()) {
        return false;
      }
      if (t2.equals(">")) {
        return true;
      }
      String t1 = tokens[i];
      if (t1.isEmpty() || t1.equals(">")) {
        return false;
      }
      if (t1.equals("*")) {
        if (!t2.equals("*")) {
          return false;
        }
        continue;
      }
      if (t2.charAt(0) != '*' && !t1.equals(t2)) {
        return false;
      }
    }
    return tokens.length == tts.length;
  }

  /** Whether the literal subject {@code literal} is matched by the pattern {@code pattern}. */
  public static boolean matches(String pattern, String literal) {
    int pi = 0;
    int li = 0;
    int pn = pattern.length();
    int ln = literal.length();
    while (pi < pn && li < ln) {
      int pe = pattern.indexOf('.', pi);
      if (pe < 0) {
        pe = pn;
      }
      int le = literal.indexOf('.', li);
      if (le < 0) {
        le = ln;
      }
      int plen = pe - pi;
      if (plen == 1 && pattern.charAt(pi) == '>') {
        return true;
      }
      if (!(plen == 1 && pattern.charAt(pi) == '*')) {
        if (plen != le - li || !pattern.regionMatches(pi, literal, li, plen)) {
          return false;
        }
      }
      pi = pe + 1;
      li = le + 1;
    }
    return pi > pn && li > ln;
  }
}
