package io.natsvx.jetstream.api;

import io.natsvx.account.Account;
import io.natsvx.jetstream.JsAccount;
import io.natsvx.jetstream.store.StoredMessage;
import io.natsvx.jetstream.store.StreamStore;
import io.natsvx.jetstream.stream.Stream;
import io.natsvx.jetstream.stream.StreamConfig;
import io.natsvx.jetstream.wire.JsError;
import io.natsvx.jetstream.wire.RandomName;
import io.natsvx.messaging.InternalPublisher;
import io.natsvx.messaging.InternalSink;
import io.natsvx.subject.Subscription;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * {@code $JS.API.STREAM.SNAPSHOT} and {@code RESTORE} over messaging as nats-server runs them
 * (what {@code nats stream backup} and {@code restore} use): a snapshot answers with the config
 * and state, then sends the stream in chunks to the request's {@code deliver_subject}, each
 * with a {@code $JS.SNAPSHOT.ACK.<stream>.<id>.<size>.<n>} reply the client acknowledges (at
 * most 8 MiB unacknowledged), and an empty message at the end; a restore answers with the
 * subject to send the chunks to, acknowledges each, and on the empty one makes the stream and
 * answers with its info. The bytes are natsvx's own (gzip: config, state, consumers, then every
 * message with its sequence and time): a snapshot is restored by natsvx. Files and the store on
 * workers.
 */
final class Snapshots {

  private static final String MAGIC = "natsvx-snapshot/1";
  private static final int DEFAULT_CHUNK = 128 * 1024;
  private static final long WINDOW = 8L * 1024 * 1024;
  private static final long STALL_MILLIS = 10_000;

  private final Vertx vertx;
  private final JsAccount account;

  Snapshots(Vertx vertx, JsAccount account) {
    this.vertx = vertx;
    this.account = account;
  }

  private Account messaging() {
    return account.account();
  }

  /** Answers a snapshot request; {@code after} gets the sending, to run once the answer is out. Worker only. */
  JsonObject snapshot(Stream s, JsonObject request, List<Runnable> after) {
    String deliver = request.getString("deliver_subject", "");
    if (deliver.isEmpty() || !io.natsvx.subject.Subjects.isValidLiteralSubject(deliver)) {
      throw JsError.SNAPSHOT_DELIVER_SUBJECT_INVALID.exception();
    }
    int chunk = request.getInteger("chunk_size", 0);
    int chunkSize = chunk <= 0 ? DEFAULT_CHUNK : Math.min(chunk, 1024 * 1024);
    boolean consumers = !request.getBoolean("no_consumers", false);
    Path file;
    try {
      Files.createDirectories(account.stagingDir());
      file = Files.createTempFile(account.stagingDir(), "snapshot-", ".gz");
      write(s, consumers, file);
    } catch (IOException | RuntimeException e) {
      throw JsError.STREAM_SNAPSHOT.exception(String.valueOf(e.getMessage()));
    }
    JsonObject info = s.info(s.consumerCount());
    after.add(() -> whenSubscribed(deliver, System.currentTimeMillis() + 2_000, () -> vertx.executeBlocking(() -> {
      send(s.name(), deliver, chunkSize, file);
      return null;
    }, false)));
    return new JsonObject().put("config", info.getJsonObject("config")).put("state", info.getJsonObject("state"));
  }

  private static void write(Stream s, boolean withConsumers, Path file) throws IOException {
    StreamStore store = s.store();
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
        new GZIPOutputStream(Files.newOutputStream(file))))) {
      out.writeUTF(MAGIC);
      JsonObject consumers = new JsonObject();
      if (withConsumers) {
        store.consumers().forEach(consumers::put);
      }
      var state = store.state();
      bytes(out, new JsonObject().put("config", s.config().toJson()).put("first_seq", state.firstSeq())
          .put("last_seq", state.lastSeq()).put("consumers", consumers).encode().getBytes(StandardCharsets.UTF_8));
      for (long from = Math.max(1, state.firstSeq()); from <= state.lastSeq(); ) {
        List<StoredMessage> batch = store.loadBatch(from, null, 1024);
        if (batch.isEmpty()) {
          break;
        }
        for (StoredMessage m : batch) {
          out.writeLong(m.seq());
          out.writeLong(m.timestampNanos());
          bytes(out, m.subject().getBytes(StandardCharsets.UTF_8));
          bytes(out, m.headers());
          bytes(out, m.data());
        }
        from = batch.get(batch.size() - 1).seq() + 1;
      }
      out.writeLong(0);
    }
  }

  private static void bytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte[] bytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > 64 * 1024 * 1024) {
      throw new IOException("a record of " + n + " bytes");
    }
    return in.readNBytes(n);
  }

  /** Runs {@code then} once someone subscribes {@code deliver}, or at {@code deadline} (nats-server gives the client 2 s). */
  private void whenSubscribed(String deliver, long deadline, Runnable then) {
    if (InternalPublisher.hasInterest(messaging(), deliver) || System.currentTimeMillis() >= deadline) {
      then.run();
    } else {
      vertx.setTimer(10, t -> whenSubscribed(deliver, deadline, then));
    }
  }

  /** The chunks, at most {@link #WINDOW} unacknowledged, then the empty end. Worker only. */
  private void send(String stream, String deliver, int chunkSize, Path file) {
    String ackPrefix = "$JS.SNAPSHOT.ACK." + stream + "." + RandomName.of(22);
    long[] out = {0};
    Subscription acks = new Subscription(new InternalSink() {
      @Override
      public void receive(String subject, String reply, byte[] payload) {
        String[] t = subject.split("\\.");
        synchronized (out) {
          out[0] -= t.length > 5 ? parse(t[5]) : 0;
          out.notifyAll();
        }
      }
    }, ackPrefix + ".>", null, "snapshot:" + stream);
    messaging().subscribe(acks);
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      for (int index = 1; ; index++) {
        byte[] chunk = in.readNBytes(chunkSize);
        if (chunk.length == 0) {
          break;
        }
        synchronized (out) {
          long stalled = System.currentTimeMillis() + STALL_MILLIS;
          while (out[0] > WINDOW && System.currentTimeMillis() < stalled) {
            out.wait(100);
          }
          if (out[0] > WINDOW) {
            return; // nobody acknowledges: the client is gone
          }
          out[0] += chunk.length;
        }
        InternalPublisher.publish(messaging(), deliver, ackPrefix + "." + chunk.length + "." + index, null, chunk);
      }
      InternalPublisher.publish(messaging(), deliver, null, null, new byte[0]);
    } catch (IOException e) {
      // the staged file went away: the client sees the chunks stop
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      messaging().unsubscribe(acks);
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // staging is cleaned at the next start
      }
    }
  }

  /** Answers a restore request: where to send the chunks. Worker only. */
  JsonObject restore(String name, JsonObject request) {
    JsonObject cfg = request.getJsonObject("config", new JsonObject());
    StreamConfig config = StreamConfig.parse(cfg, name);
    if (account.stream(config.name()) != null) {
      throw JsError.STREAM_NAME_EXIST_RESTORE_FAILED.exception();
    }
    Path file;
    OutputStream upload;
    try {
      Files.createDirectories(account.stagingDir());
      file = Files.createTempFile(account.stagingDir(), "restore-", ".gz");
      upload = new BufferedOutputStream(Files.newOutputStream(file));
    } catch (IOException e) {
      throw JsError.STREAM_RESTORE.exception(String.valueOf(e.getMessage()));
    }
    String subject = "$JS.SNAPSHOT.RESTORE." + config.name() + "." + RandomName.of(22);
    Subscription[] self = new Subscription[1];
    self[0] = new Subscription(new InternalSink() {
      @Override
      public void receive(String s, String reply, byte[] payload) {
        // in order, off the publisher's loop: one ordered blocking queue per restore
        vertx.executeBlocking(() -> {
          chunk(config, file, upload, self[0], reply, payload);
          return null;
        }, true);
      }
    }, subject, null, "restore:" + config.name());
    messaging().subscribe(self[0]);
    return new JsonObject().put("deliver_subject", subject);
  }

  private void chunk(StreamConfig config, Path file, OutputStream upload, Subscription sub, String reply,
      byte[] payload) {
    if (sub.isClosed()) {
      return;
    }
    try {
      if (payload.length > 0) {
        upload.write(payload);
        if (reply != null && !reply.isEmpty()) {
          InternalPublisher.publish(messaging(), reply, null, null, new byte[0]);
        }
        return;
      }
      messaging().unsubscribe(sub);
      upload.close();
      JsonObject answer = new JsonObject().put("type", "io.nats.jetstream.api.v1.stream_create_response");
      try {
        Stream s = account.restore(config, store -> read(file, store));
        answer.mergeIn(s.info(s.consumerCount()));
      } catch (io.natsvx.jetstream.wire.JsApiException e) {
        answer.put("error", e.json());
      } catch (RuntimeException e) {
        answer.put("error", JsError.STREAM_RESTORE.json(String.valueOf(e.getMessage())));
      }
      if (reply != null && !reply.isEmpty()) {
        InternalPublisher.publish(messaging(), reply, null, null, answer.encode().getBytes(StandardCharsets.UTF_8));
      }
      Files.deleteIfExists(file);
    } catch (IOException e) {
      messaging().unsubscribe(sub);
    }
  }

  /** Fills a new store from a snapshot: the messages under their sequences and times, then the consumers. */
  private static void read(Path file, StreamStore store) {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(
        new GZIPInputStream(Files.newInputStream(file))))) {
      if (!MAGIC.equals(in.readUTF())) {
        throw JsError.STREAM_RESTORE.exception("not a natsvx snapshot");
      }
      JsonObject meta = new JsonObject(new String(bytes(in), StandardCharsets.UTF_8));
      List<StreamStore.Append> burst = new ArrayList<>();
      for (long seq = in.readLong(); seq != 0; seq = in.readLong()) {
        long ts = in.readLong();
        String subject = new String(bytes(in), StandardCharsets.UTF_8);
        burst.add(new StreamStore.Append(subject, bytes(in), bytes(in), ts, seq));
        if (burst.size() == 1024) {
          store.append(burst, io.natsvx.jetstream.store.StoreLimits.NONE);
          burst.clear();
        }
      }
      long last = meta.getLong("last_seq", 0L);
      if (last > 0) {
        burst.add(StreamStore.Append.skipTo(last, 0)); // deletes and purges at the tail are kept
      }
      if (!burst.isEmpty()) {
        appendAll(store, burst);
      }
      for (Map.Entry<String, Object> c : meta.getJsonObject("consumers", new JsonObject())) {
        store.saveConsumer(c.getKey(), String.valueOf(c.getValue()));
      }
    } catch (EOFException e) {
      throw JsError.STREAM_RESTORE.exception("the snapshot ends early");
    } catch (IOException e) {
      throw JsError.STREAM_RESTORE.exception(String.valueOf(e.getMessage()));
    }
  }

  /** The burst, minus a tail skip to a sequence the messages already reached. */
  private static void appendAll(StreamStore store, List<StreamStore.Append> burst) {
    StreamStore.Append tail = burst.get(burst.size() - 1);
    long lastMessage = burst.size() > 1 ? burst.get(burst.size() - 2).seq() : store.state().lastSeq();
    if (tail.skipped() && tail.seq() <= lastMessage) {
      burst.remove(burst.size() - 1);
    }
    if (!burst.isEmpty()) {
      store.append(burst, io.natsvx.jetstream.store.StoreLimits.NONE);
    }
  }

  private static long parse(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
