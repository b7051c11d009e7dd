package io.natsvx.jetstream.consumer;

import io.natsvx.jetstream.stream.StreamConsumers;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/** One stream's consumers by name, in name order. Thread-safe. */
public final class Consumers implements StreamConsumers {

  private final Map<String, Consumer> byName = new ConcurrentSkipListMap<>();

  public Collection<Consumer> all() {
    return byName.values();
  }

  /** The consumers the API lists and counts: all but the streams' own (mirror and source) ones. */
  public java.util.List<Consumer> listed() {
    return byName.values().stream().filter(c -> !c.config().internal()).toList();
  }

  public Consumer get(String name) {
    return byName.get(name);
  }

  public void add(Consumer c) {
    byName.put(c.name(), c);
  }

  public Consumer remove(String name) {
    return byName.remove(name);
  }

  @Override
  public int size() {
    int n = 0;
    for (Consumer c : byName.values()) {
      n += c.config().internal() ? 0 : 1;
    }
    return n;
  }

  @Override
  public void appended() {
    for (Consumer c : byName.values()) {
      c.signal();
    }
  }

  @Override
  public boolean anyNeeds(long seq, String subject) {
    for (Consumer c : byName.values()) {
      if (c.needs(seq, subject)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean anyTakes(String subject) {
    for (Consumer c : byName.values()) {
      java.util.List<String> filters = c.config().filters();
      if (filters.isEmpty()) {
        return true;
      }
      for (String f : filters) {
        if (io.natsvx.subject.Subjects.matches(f, subject)) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public void stopAll() {
    for (Consumer c : byName.values()) {
      c.stop(false);
    }
  }
}
