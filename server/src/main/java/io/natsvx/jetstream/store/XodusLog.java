package io.natsvx.jetstream.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import jetbrains.exodus.ArrayByteIterable;
import jetbrains.exodus.ByteIterable;
import jetbrains.exodus.ExodusException;
import jetbrains.exodus.bindings.LongBinding;
import jetbrains.exodus.bindings.StringBinding;
import jetbrains.exodus.env.Cursor;
import jetbrains.exodus.env.Environment;
import jetbrains.exodus.env.EnvironmentConfig;
import jetbrains.exodus.env.Environments;
import jetbrains.exodus.env.Store;
import jetbrains.exodus.env.StoreConfig;

/**
 * File storage: one Xodus environment per stream directory. Messages are keyed by sequence in
 * Xodus' order-preserving long form (appended with {@code putRight}), the value being
 * {@code time(8) | subject length(4) | subject | header length(4) | headers | data}; the last
 * sequence ever given is kept under {@code meta/last}, so a purge survives a restart. Each
 * commit is one exclusive transaction, which Xodus writes durably (fsync) unless the
 * durability says otherwise. Worker threads only.
 */
public final class XodusLog implements MessageLog {

  /** How a commit reaches the disk: {@code always} fsyncs each commit; otherwise every {@code syncMillis}. */
  public record Durability(boolean always, long syncMillis) {
    public static final Durability ALWAYS = new Durability(true, 0);
  }

  private static final ByteIterable LAST = StringBinding.stringToEntry("last");

  private final Path dir;
  private final Environment env;
  private final Store msgs;
  private final Store meta;
  private final Store consumers;

  XodusLog(Path dir, Durability durability) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
      EnvironmentConfig config = new EnvironmentConfig()
          .setLogDurableWrite(durability.always())
          .setManagementEnabled(false)
          .setEnvGatherStatistics(false);
      if (!durability.always() && durability.syncMillis() > 0) {
        config.setLogSyncPeriod(durability.syncMillis());
      }
      env = Environments.newInstance(dir.toFile(), config);
      msgs = env.computeInTransaction(txn -> env.openStore("msgs", StoreConfig.WITHOUT_DUPLICATES, txn));
      meta = env.computeInTransaction(txn -> env.openStore("meta", StoreConfig.WITHOUT_DUPLICATES, txn));
      consumers = env.computeInTransaction(txn -> env.openStore("consumers", StoreConfig.WITHOUT_DUPLICATES, txn));
    } catch (IOException | ExodusException | IllegalStateException e) {
      throw new StoreException("cannot open stream store " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public long open(Visitor visitor) {
    try {
      return env.computeInReadonlyTransaction(txn -> {
        long last = 0;
        try (Cursor c = msgs.openCursor(txn)) {
          while (c.getNext()) {
            long seq = LongBinding.entryToLong(c.getKey());
            ByteBuffer v = ByteBuffer.wrap(c.getValue().getBytesUnsafe(), 0, c.getValue().getLength());
            long ts = v.getLong();
            int subjectLen = v.getInt();
            String subject = new String(v.array(), v.position(), subjectLen, StandardCharsets.UTF_8);
            v.position(v.position() + subjectLen);
            int headerLen = v.getInt();
            int dataLen = v.limit() - v.position() - headerLen;
            visitor.message(seq, subject, subjectLen + (long) headerLen + dataLen + 16, ts);
            last = seq;
          }
        }
        ByteIterable stored = meta.get(txn, LAST);
        return Math.max(last, stored == null ? 0 : LongBinding.entryToLong(stored));
      });
    } catch (ExodusException | java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
      throw new StoreException("cannot read stream store " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void commit(List<StoredMessage> added, long[] removed, int removedCount, long lastSeq) {
    try {
      env.executeInExclusiveTransaction(txn -> {
        for (StoredMessage m : added) {
          msgs.putRight(txn, LongBinding.longToEntry(m.seq()), encode(m));
        }
        for (int i = 0; i < removedCount; i++) {
          msgs.delete(txn, LongBinding.longToEntry(removed[i]));
        }
        meta.put(txn, LAST, LongBinding.longToEntry(lastSeq));
      });
    } catch (ExodusException e) {
      throw new StoreException("cannot write stream store " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public StoredMessage get(long seq) {
    return env.computeInReadonlyTransaction(txn -> {
      ByteIterable v = msgs.get(txn, LongBinding.longToEntry(seq));
      return v == null ? null : decode(seq, v.getBytesUnsafe(), v.getLength());
    });
  }

  @Override
  public void putConsumer(String name, String json) {
    try {
      env.executeInExclusiveTransaction(txn -> {
        if (json == null) {
          consumers.delete(txn, StringBinding.stringToEntry(name));
        } else {
          consumers.put(txn, StringBinding.stringToEntry(name), StringBinding.stringToEntry(json));
        }
      });
    } catch (ExodusException e) {
      throw new StoreException("cannot write consumer state in " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public java.util.Map<String, String> consumers() {
    return env.computeInReadonlyTransaction(txn -> {
      java.util.Map<String, String> out = new java.util.TreeMap<>();
      try (Cursor c = consumers.openCursor(txn)) {
        while (c.getNext()) {
          out.put(StringBinding.entryToString(c.getKey()), StringBinding.entryToString(c.getValue()));
        }
      }
      return out;
    });
  }

  @Override
  public List<StoredMessage> getAll(long[] seqs, int count) {
    return env.computeInReadonlyTransaction(txn -> {
      List<StoredMessage> out = new java.util.ArrayList<>(count);
      // mostly consecutive: step the cursor rather than search the tree for each
      try (jetbrains.exodus.env.Cursor c = msgs.openCursor(txn)) {
        long at = -1;
        for (int i = 0; i < count; i++) {
          long seq = seqs[i];
          ByteIterable v = null;
          if (at >= 0 && at + 1 == seq && c.getNext()) {
            at = LongBinding.entryToLong(c.getKey());
            if (at == seq) {
              v = c.getValue();
            }
          }
          if (v == null) {
            v = c.getSearchKey(LongBinding.longToEntry(seq));
            at = v == null ? -1 : seq;
          }
          if (v != null) {
            out.add(decode(seq, v.getBytesUnsafe(), v.getLength()));
          }
        }
      }
      return out;
    });
  }

  /**
   * Xodus never writes in place, so overwriting the value only adds a zeroed version. The
   * original bytes leave the disk when the files holding them do: the active file is filled
   * until Xodus starts a new one, then its garbage collector copies what is live out of every
   * older file and deletes them.
   */
  @Override
  public void erase(long seq) {
    boolean found = env.computeInExclusiveTransaction(txn -> {
      ByteIterable v = msgs.get(txn, LongBinding.longToEntry(seq));
      if (v != null) {
        msgs.put(txn, LongBinding.longToEntry(seq), new ArrayByteIterable(new byte[v.getLength()]));
      }
      return v != null;
    });
    if (found) {
      OldFiles.rewrite(env, dir);
    }
  }

  private static ByteIterable encode(StoredMessage m) {
    byte[] subject = m.subject().getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + 4 + subject.length + 4 + m.headers().length + m.data().length);
    b.putLong(m.timestampNanos()).putInt(subject.length).put(subject).putInt(m.headers().length)
        .put(m.headers()).put(m.data());
    return new ArrayByteIterable(b.array());
  }

  private static StoredMessage decode(long seq, byte[] bytes, int length) {
    ByteBuffer v = ByteBuffer.wrap(bytes, 0, length);
    long ts = v.getLong();
    byte[] subject = new byte[v.getInt()];
    v.get(subject);
    byte[] headers = new byte[v.getInt()];
    v.get(headers);
    byte[] data = new byte[v.remaining()];
    v.get(data);
    return new StoredMessage(seq, new String(subject, StandardCharsets.UTF_8), headers, data, ts);
  }

  @Override
  public void destroy() {
    close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new StoreException("cannot remove stream store " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (env.isOpen()) {
      env.close();
    }
  }
}
