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
