package io.natsvx.jetstream.stream;

/**
 * Whether two subject patterns can match the same subject (nats-server's SubjectsCollide), so
 * two streams do not both take it. Stateless.
 */
public final class SubjectOverlap {

  private SubjectOverlap() {}

  public static boolean overlap(String a, String b) {
    String[] x = a.split("\\.", -1);
    String[] y = b.split("\\.", -1);
    int i = 0;
    for (; i < x.length && i < y.length; i++) {
      if (x[i].equals(">") || y[i].equals(">")) {
        return true;
      }
      if (!x[i].equals("*") && !y[i].equals("*") && !x[i].equals(y[i])) {
        return false;
      }
    }
    return x.length == y.length;
  }
}
