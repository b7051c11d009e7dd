package io.natsvx.jetstream.consumer;

import io.vertx.core.Vertx;

/**
 * One Vert.x timer that wakes a consumer at the earliest time asked for: a later ask keeps the
 * earlier timer, an earlier one replaces it. After it fires, the next ask sets a new one.
 */
final class WakeTimer {

  private final Vertx vertx;
  private final Runnable wake;
  private long timer = -1;
  private long timerAt;

  WakeTimer(Vertx vertx, Runnable wake) {
    this.vertx = vertx;
    this.wake = wake;
  }

  /** Wakes at {@code at} (System.nanoTime()), unless a timer set for earlier is running. */
  synchronized void at(long at, long now) {
    if (timer >= 0 && timerAt <= at) {
      return;
    }
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    timerAt = at;
    timer = vertx.setTimer(Math.max(1, (at - now + 999_999) / 1_000_000), t -> {
      synchronized (this) {
        timer = -1;
      }
      wake.run();
    });
  }

  synchronized void cancel() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}
