package io.natsvx.jetstream.store;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Memory storage: bodies in a map, gone when the server stops. */
final class HeapLog implements MessageLog {

  private final Map<Long, StoredMessage> messages = new HashMap<>();

  @Override
  public long open(Visitor visitor) {
    return 0;
  }

  @Override
  public void commit(List<StoredMessage> added, long[] removed, int removedCount, long lastSeq) {
    for (StoredMessage m : added) {
      messages.put(m.seq(), m);
    }
    for (int i = 0; i < removedCount; i++) {
      messages.remove(removed[i]);
    }
  }

  @Override
  public StoredMessage get(long seq) {
    return messages.get(seq);
  }

  @Override
  public void erase(long seq) {
    StoredMessage m = messages.get(seq);
    if (m != null) {
      java.util.Arrays.fill(m.data(), (byte) 0);
      java.util.Arrays.fill(m.headers(), (byte) 0);
    }
  }

  private final Map<String, String> consumers = new java.util.TreeMap<>();

  @Override
  public void putConsumer(String name, String json) {
    if (json == null) {
      consumers.remove(name);
    } else {
      consumers.put(name, json);
    }
  }

  @Override
  public Map<String, String> consumers() {
    return new java.util.TreeMap<>(consumers);
  }

  @Override
  public void destroy() {
    messages.clear();
  }

  @Override
  public void close() {
    messages.clear();
  }
}
