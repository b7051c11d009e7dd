package io.natsvx.jetstream.consumer;

import io.vertx.core.Vertx;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Events from any thread, handled on a worker one run at a time: an event added while no run is
 * going starts one, and a run ends only once no event waits. The run takes the events with
 * {@link #poll()}.
 */
final class Pump<E> {

  private final Vertx vertx;
  private final Runnable run;
  private final ConcurrentLinkedQueue<E> events = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean running = new AtomicBoolean();

  Pump(Vertx vertx, Runnable run) {
    this.vertx = vertx;
    this.run = run;
  }

  void add(E event) {
    events.add(event);
    if (running.compareAndSet(false, true)) {
      vertx.executeBlocking(() -> {
        drain();
        return null;
      }, false);
    }
  }

  /** The next event of this run, or null. */
  E poll() {
    return events.poll();
  }

  void clear() {
    events.clear();
  }

  private void drain() {
    do {
      try {
        run.run();
      } finally {
        running.set(false);
      }
    } while (!events.isEmpty() && running.compareAndSet(false, true));
  }
}
