package io.natsvx.account;

/**
 * Renaming a subject from one pattern to another, token by token: each `*` of the source
 * pattern, in order, fills the next `*` (or `$n` / `{{wildcard(n)}}`) of the destination, and a
 * trailing `>` carries the remaining tokens. Stateless.
 */
public final class Mapping {

  private Mapping() {}

  public static String rename(String from, String to, String subject) {
    String[] pattern = from.split("\\.");
    String[] tokens = subject.split("\\.");
    java.util.List<String> wild = new java.util.ArrayList<>();
    String rest = null;
    for (int i = 0; i < pattern.length; i++) {
      if (pattern[i].equals("*")) {
        wild.add(tokens[i]);
      } else if (pattern[i].equals(">")) {
        rest = String.join(".", java.util.Arrays.copyOfRange(tokens, i, tokens.length));
      }
    }
    StringBuilder out = new StringBuilder();
    int next = 0;
    for (String t : to.split("\\.")) {
      if (out.length() > 0) {
        out.append('.');
      }
      if (t.equals("*")) {
        out.append(next < wild.size() ? wild.get(next++) : t);
      } else if (t.equals(">")) {
        out.append(rest != null ? rest : t);
      } else if (t.startsWith("$") && t.length() > 1 && t.substring(1).chars().allMatch(Character::isDigit)) {
        int n = Integer.parseInt(t.substring(1)) - 1;
        out.append(n >= 0 && n < wild.size() ? wild.get(n) : t);
      } else if (t.startsWith("{{wildcard(") && t.endsWith(")}}")) {
        int n = Integer.parseInt(t.substring(11, t.length() - 3).trim()) - 1;
        out.append(n >= 0 && n < wild.size() ? wild.get(n) : t);
      } else {
        out.append(t);
      }
    }
    return out.toString();
  }
}
