package io.natsvx.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The arguments of a control line, split on blanks as nats-server's splitArg does (spaces, tabs
 * and line ends separate; runs of them count once). Reused per connection: valid until the next
 * {@link #split}. Event-loop confined.
 */
public final class Args {

  private int[] starts = new int[4];
  private int[] ends = new int[4];
  private byte[] line;
  private int count;

  /** Splits {@code len} bytes of {@code b} from {@code off}; returns how many arguments. */
  public int split(byte[] b, int off, int len) {
    line = b;
    count = 0;
    int start = -1;
    int end = off + len;
    for (int i = off; i < end; i++) {
      byte c = b[i];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        if (start >= 0) {
          add(start, i);
          start = -1;
        }
      } else if (start < 0) {
        start = i;
      }
    }
    if (start >= 0) {
      add(start, end);
    }
    return count;
  }

  private void add(int start, int end) {
    if (count >= starts.length) {
      starts = Arrays.copyOf(starts, count * 2);
      ends = Arrays.copyOf(ends, count * 2);
    }
    starts[count] = start;
    ends[count] = end;
    count++;
  }

  public int count() {
    return count;
  }

  /** Argument {@code i} as text. */
  public String get(int i) {
    return new String(line, starts[i], ends[i] - starts[i], StandardCharsets.UTF_8);
  }

  /** Argument {@code i} as a size of at most nine digits, or -1 (nats-server's parseSize). */
  public long size(int i) {
    int from = starts[i];
    int to = ends[i];
    if (to - from == 0 || to - from > 9) {
      return -1;
    }
    long v = 0;
    for (int k = from; k < to; k++) {
      int d = line[k] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }

  /** All arguments, for log lines. */
  public String joined() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        out.append(' ');
      }
      out.append(get(i));
    }
    return out.toString();
  }
}
