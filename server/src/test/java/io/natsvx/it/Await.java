package io.natsvx.it;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The one way tests wait for something that happens asynchronously: poll a condition, a few
 * milliseconds apart, until it holds or the timeout passes. Never a fixed sleep. An exception
 * thrown by a condition counts as "not yet" (the last one becomes the cause of the failure); an
 * {@link Error}, such as a failed assertion inside the condition, ends the wait at once.
 */
public final class Await {

  /**
   * A condition that may throw (files, HTTP, a client's calls). One interface rather than a
   * {@code BooleanSupplier} and a {@code Callable<Boolean>} overload: javac picks the supplier
   * for any lambda returning a boolean, throwing or not, and then refuses the checked exception.
   */
  @FunctionalInterface
  public interface Condition {
    boolean holds() throws Exception;
  }

  /** What {@link #until(String, Condition)} waits. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private static final long FIRST_PAUSE_NANOS = 1_000_000L;
  private static final long MAX_PAUSE_NANOS = 20_000_000L;

  private Await() {}

  /** Waits up to 10 s for {@code condition}, else fails naming {@code what}. */
  public static void until(String what, Condition condition) {
    until(what, DEFAULT_TIMEOUT, condition);
  }

  /** Waits up to {@code timeout} for {@code condition}, else fails naming {@code what}. */
  public static void until(String what, Duration timeout, Condition condition) {
    value(what, timeout, condition::holds, Boolean::booleanValue);
  }

  /**
   * Calls {@code producer} until what it returns passes {@code ok}, and returns that; an
   * exception is "not yet", and the last one is the cause of the failure.
   */
  public static <T> T value(String what, Duration timeout, Callable<T> producer, Predicate<? super T> ok) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pause = FIRST_PAUSE_NANOS;
    Exception last = null;
    T lastValue = null;
    while (true) {
      try {
        T v = producer.call();
        if (ok.test(v)) {
          return v;
        }
        lastValue = v;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      } catch (Exception e) {
        last = e;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        String got = lastValue == null || lastValue instanceof Boolean ? "" : " (last got " + lastValue + ")";
        AssertionError failed = new AssertionError("timed out after " + format(timeout) + " waiting for " + what + got);
        if (last != null) {
          failed.initCause(last);
        }
        throw failed;
      }
      try {
        TimeUnit.NANOSECONDS.sleep(Math.min(pause, left));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
      pause = Math.min(MAX_PAUSE_NANOS, pause * 2);
    }
  }

  /** 10s, 500ms, 1.5s: as Go prints durations, which the server's logs use too. */
  static String format(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + "ms";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms / 1000.0 + "s";
  }
}
