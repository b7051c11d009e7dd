package io.natsvx.jetstream.consumer;

import io.natsvx.jetstream.stream.Stream;
import io.vertx.core.json.JsonObject;

/**
 * How a durable consumer of a file stream keeps its state with the stream: its config, creation
 * time, place ({@link StreamCursor}) and acknowledgements ({@link Acks}) in one JSON value,
 * written at once when a client waits for an ack confirmation, else within {@code SAVE_DELAY} of
 * a change. Deliveries alone do not count as a change: after a restart they are delivered again.
 * Consumers of memory streams and ephemeral ones are never written. Confined to the consumer's
 * pump (and its lock).
 */
final class ConsumerState {

  private static final long SAVE_DELAY_NANOS = 50_000_000L;

  private final Stream stream;
  private final ConsumerConfig config;
  private final long createdNanos;
  private final StreamCursor cursor;
  private final Acks acks;
  private final boolean kept;
  /** Created and not saved yet; the acks' own changes are in {@link Acks#changed()}. */
  private boolean created;
  private long lastSave;

  ConsumerState(Stream stream, ConsumerConfig config, long createdNanos, StreamCursor cursor, Acks acks) {
    this.stream = stream;
    this.config = config;
    this.createdNanos = createdNanos;
    this.cursor = cursor;
    this.acks = acks;
    this.kept = !config.durable().isEmpty() && !stream.config().memory();
  }

  /** Restores cursor and acks from a saved value; pending messages are due one ack wait from now. */
  void restore(JsonObject saved) {
    JsonObject s = saved.getJsonObject("state", new JsonObject());
    cursor.restore(s.getLong("next", 1L));
    acks.readFrom(s, System.nanoTime());
  }

  /** A new consumer: it is written at the next chance. */
  void created() {
    created = true;
  }

  private boolean unsaved() {
    return kept && (created || acks.changed());
  }

  /** Writes the state if it changed and a client waits ({@code now}) or the save delay is over. */
  void saveIfDue(boolean urgent, long now) {
    if (unsaved() && (urgent || now - lastSave >= SAVE_DELAY_NANOS)) {
      save();
      lastSave = now;
    }
  }

  /** Writes the state now, when it is kept. Worker only. */
  void save() {
    if (kept) {
      stream.store().saveConsumer(config.name(), toJson().encode());
      created = false;
      acks.saved();
    }
  }

  /** On a clean stop: writes what changed, and stands by what was written if the store is closing. */
  void saveOnStop() {
    if (unsaved()) {
      try {
        save();
      } catch (RuntimeException e) {
        // the store is going away too; what was saved before stands
      }
    }
  }

  /** When a change waits to be written, or Long.MAX_VALUE. */
  long nextDeadline() {
    return unsaved() ? lastSave + SAVE_DELAY_NANOS : Long.MAX_VALUE;
  }

  /** Its config, place and pending messages, as saved. */
  JsonObject toJson() {
    return new JsonObject().put("config", config.toJson()).put("created", createdNanos)
        .put("state", acks.writeTo(new JsonObject().put("next", cursor.nextSeq())));
  }
}
