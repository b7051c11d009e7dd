package io.natsvx.jetstream.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on a real Xodus directory, plus what only files do: reopening, purges that last, bad directories. */
class XodusStreamStoreTest extends StreamStoreContractTest {

  @TempDir
  Path dir;

  @Override
  protected StreamStore open() {
    return IndexedStreamStore.inXodus(dir.resolve("stream"), XodusLog.Durability.ALWAYS);
  }

  @Test
  void everythingComesBackAfterAReopen() {
    store.append(List.of(msg("a", "1", 1), msg("b", "2", 2), msg("a", "3", 3)), StoreLimits.NONE);
    store.remove(2, false);
    StreamState before = store.state();
    store.close();
    store = open();
    assertEquals(before, store.state());
    assertEquals("3", text(store.loadLast("a")));
    store.purge(null, 0, 0);
    store.close();
    store = open();
    assertEquals(4, store.state().firstSeq(), "a purge outlives a restart: sequences go on");
    assertEquals(4, store.append(List.of(msg("a", "4", 4)), StoreLimits.NONE)[0]);
  }

  @Test
  void tailDeletesAndSkippedSequencesOutliveAReopen() {
    store.append(List.of(msg("a", "1", 1), msg("a", "2", 2), msg("a", "3", 3), StreamStore.Append.skip(4)),
        StoreLimits.NONE);
    store.remove(3, false);
    StreamState before = store.state();
    assertEquals(4, before.lastSeq());
    assertEquals(2, before.numDeleted());
    store.close();
    store = open();
    assertEquals(before.msgs(), store.state().msgs());
    assertEquals(before.lastSeq(), store.state().lastSeq(), "the last sequence does not go back");
    assertEquals(List.of(3L, 4L), store.deleted());
    assertEquals(5, store.append(List.of(msg("a", "5", 5)), StoreLimits.NONE)[0]);
  }

  @Test
  void aSecureEraseLeavesNoCopyOfTheMessageInTheFiles() throws Exception {
    store.append(List.of(msg("a", "before", 1), msg("s", "secret-payload-7f3a", 2), msg("a", "after", 3)),
        StoreLimits.NONE);
    assertTrue(filesHold("secret-payload-7f3a"), "the payload is on disk before the erase");
    assertTrue(store.remove(2, true));
    assertFalse(filesHold("secret-payload-7f3a"), "no store file holds the erased bytes");
    assertTrue(filesHold("before") && filesHold("after"), "the other messages are still written");
    store.close();
    store = open();
    assertEquals("before", text(store.load(1)));
    assertEquals("after", text(store.load(3)));
    assertEquals(2, store.state().msgs());
    assertFalse(filesHold("secret-payload-7f3a"));
  }

  @Test
  void aPlainDeleteKeepsTheBytesUntilTheGarbageCollectorComes() throws Exception {
    store.append(List.of(msg("s", "plain-payload-91c2", 1)), StoreLimits.NONE);
    assertTrue(store.remove(1, false));
    assertTrue(filesHold("plain-payload-91c2"), "no_erase does not rewrite the log");
  }

  private boolean filesHold(String text) throws Exception {
    byte[] needle = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try (var files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String hay = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
        if (hay.contains(new String(needle, java.nio.charset.StandardCharsets.ISO_8859_1))) {
          return true;
        }
      }
    }
    return false;
  }

  @Test
  void destroyRemovesTheDirectory() {
    store.append(List.of(msg("a", "1", 1)), StoreLimits.NONE);
    store.destroy();
    assertFalse(Files.exists(dir.resolve("stream")));
  }

  @Test
  void aForeignDirectoryIsNamed() throws Exception {
    Path foreign = Files.createDirectories(dir.resolve("foreign"));
    Files.writeString(foreign.resolve("00000000000.xd"), "not a xodus log at all");
    StoreException e = assertThrows(StoreException.class,
        () -> IndexedStreamStore.inXodus(foreign, XodusLog.Durability.ALWAYS).close());
    assertTrue(e.getMessage().contains(foreign.toString()), e.getMessage());
  }
}
