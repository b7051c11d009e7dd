package io.natsvx.jetstream.store;

import java.nio.file.Path;
import jetbrains.exodus.ArrayByteIterable;
import jetbrains.exodus.bindings.LongBinding;
import jetbrains.exodus.core.execution.LatchJob;
import jetbrains.exodus.env.Environment;
import jetbrains.exodus.env.EnvironmentImpl;
import jetbrains.exodus.env.StoreConfig;
import jetbrains.exodus.gc.GarbageCollector;
import jetbrains.exodus.log.Log;

/**
 * Takes superseded bytes off the disk for a secure erase. Xodus appends and never writes in
 * place; old versions stay in their file until the garbage collector copies what is live out
 * of it and deletes it, and it never collects the file being written. So the active file is
 * filled until Xodus starts a new one, then every older file is collected at once. The cost
 * grows with the stream's live data, which is why only an erase does this.
 */
final class OldFiles {

  private static final int FILLER_CHUNK = 1 << 20;
  private static final String FILLER = "filler";

  private OldFiles() {}

  static void rewrite(Environment env, Path dir) {
    EnvironmentImpl impl = (EnvironmentImpl) env;
    Log log = impl.getLog();
    long active = log.getHighFileAddress();
    int chunk = (int) Math.min(FILLER_CHUNK, log.getFileLengthBound() / 4);
    for (long n = 0; log.getHighFileAddress() == active; n++) {
      long key = n;
      env.executeInExclusiveTransaction(txn -> env.openStore(FILLER, StoreConfig.WITHOUT_DUPLICATES, txn)
          .put(txn, LongBinding.longToEntry(key), new ArrayByteIterable(new byte[chunk])));
    }
    env.executeInExclusiveTransaction(txn -> env.removeStore(FILLER, txn));
    GarbageCollector gc = impl.getGC();
    Throwable[] failure = new Throwable[1];
    // On the cleaner's own thread, so a background pass cannot clean a file between our passes.
    gc.getCleanerJobProcessor().waitForLatchJob(new LatchJob() {
      @Override
      protected void execute() {
        try {
          gc.testDeletePendingFiles();
          long high = log.getHighFileAddress();
          for (long file : log.getAllFileAddresses()) {
            if (file != high) {
              gc.doCleanFile(file);
            }
          }
          gc.testDeletePendingFiles();
        } catch (RuntimeException e) {
          failure[0] = e;
        } finally {
          release();
        }
      }
    }, 0);
    if (failure[0] != null) {
      throw new StoreException("cannot erase in stream store " + dir + ": " + failure[0].getMessage(), failure[0]);
    }
  }
}
