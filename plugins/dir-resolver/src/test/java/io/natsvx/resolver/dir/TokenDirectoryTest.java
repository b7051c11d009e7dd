package io.natsvx.resolver.dir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsvx.resolver.dir.TokenDirectory.DeleteMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files behind the directory resolver, laid out as nats-server lays them out. */
class TokenDirectoryTest {

  @TempDir
  Path dir;

  private static String key(char c) {
    return "A" + String.valueOf(c).repeat(55);
  }

  @Test
  void tokensAreFilesNamedByKeyAndSurviveARestart() throws Exception {
    TokenDirectory d = new TokenDirectory(dir.resolve("jwt"), 0, false, 0, DeleteMode.NONE);
    d.save(key('B'), "token-b");
    d.save(key('C'), "token-c");
    d.save(key('B'), "token-b2");
    assertEquals("token-b2", Files.readString(dir.resolve("jwt").resolve(key('B') + ".jwt")));
    try (Stream<Path> files = Files.list(dir.resolve("jwt"))) {
      assertEquals(2, files.count(), "no temporary file is left behind");
    }
    Files.writeString(dir.resolve("jwt").resolve("notes.txt"), "not a token");

    TokenDirectory again = new TokenDirectory(dir.resolve("jwt"), 0, false, 0, DeleteMode.NONE);
    assertEquals(Set.of(key('B'), key('C')), Set.copyOf(again.keys()));
    assertEquals("token-c", again.load(key('C')));
    assertNull(again.load(key('D')));
  }

  @Test
  void aFullStoreRefusesNewAccountsButTakesUpdates() throws Exception {
    TokenDirectory d = new TokenDirectory(dir, 2, false, 0, DeleteMode.NONE);
    d.save(key('B'), "b");
    d.save(key('C'), "c");
    IOException full = assertThrows(IOException.class, () -> d.save(key('D'), "d"));
    assertEquals("jwt store is full", full.getMessage());
    d.save(key('B'), "b2");
    assertEquals("b2", d.load(key('B')));
  }

  @Test
  void aCacheEvictsTheLeastRecentlyUsed() throws Exception {
    TokenDirectory d = new TokenDirectory(dir, 2, true, 0, DeleteMode.REMOVE);
    d.save(key('B'), "b");
    d.save(key('C'), "c");
    d.load(key('B'));
    d.save(key('D'), "d");
    assertEquals(Set.of(key('B'), key('D')), Set.copyOf(d.keys()));
    assertFalse(Files.exists(dir.resolve(key('C') + ".jwt")));
  }

  @Test
  void aCachedTokenOlderThanItsTtlIsGone() throws Exception {
    Files.writeString(dir.resolve(key('B') + ".jwt"), "old");
    Files.setLastModifiedTime(dir.resolve(key('B') + ".jwt"), FileTime.fromMillis(System.currentTimeMillis() - 120_000));
    TokenDirectory d = new TokenDirectory(dir, 10, true, 60_000, DeleteMode.REMOVE);
    d.save(key('C'), "fresh");
    assertNull(d.load(key('B')));
    assertFalse(Files.exists(dir.resolve(key('B') + ".jwt")));
    assertEquals("fresh", d.load(key('C')));
  }

  @Test
  void deletesRenameRemoveOrAreRefused() throws Exception {
    TokenDirectory none = new TokenDirectory(dir.resolve("none"), 0, false, 0, DeleteMode.NONE);
    none.save(key('B'), "b");
    assertEquals("store is not set up to for delete",
        assertThrows(IOException.class, () -> none.delete(key('B'))).getMessage());

    TokenDirectory rename = new TokenDirectory(dir.resolve("rename"), 0, false, 0, DeleteMode.RENAME);
    rename.save(key('B'), "b");
    rename.delete(key('B'));
    assertTrue(Files.exists(dir.resolve("rename").resolve(key('B') + ".jwt.deleted")));
    assertEquals(List.of(), rename.keys());
    assertNull(rename.load(key('B')));

    TokenDirectory remove = new TokenDirectory(dir.resolve("remove"), 0, false, 0, DeleteMode.REMOVE);
    remove.save(key('B'), "b");
    remove.delete(key('B'));
    try (Stream<Path> files = Files.list(dir.resolve("remove"))) {
      assertEquals(0, files.count());
    }
  }

  @Test
  void keysThatAreNoAccountKeysNeverBecomePaths() throws Exception {
    TokenDirectory d = new TokenDirectory(dir, 0, false, 0, DeleteMode.REMOVE);
    for (String bad : List.of("../../etc/passwd", "AB", key('B').substring(1) + "A", "")) {
      assertEquals("invalid public key", assertThrows(IOException.class, () -> d.save(bad, "x")).getMessage());
    }
  }

  @Test
  void aFileInPlaceOfTheDirectoryIsReported() throws Exception {
    Path file = Files.writeString(dir.resolve("file"), "x");
    assertThrows(IOException.class, () -> new TokenDirectory(file, 0, false, 0, DeleteMode.NONE));
  }
}
