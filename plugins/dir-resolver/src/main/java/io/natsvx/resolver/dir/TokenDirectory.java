package io.natsvx.resolver.dir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Account tokens as files {@code <account public key>.jwt} in one directory, laid out as
 * nats-server's DirJWTStore lays them out, so either server can take over the other's
 * directory. Indexed in memory in least-recently-used order for the {@code limit}: a full store
 * refuses a new account, a cache evicts the oldest. A file is written beside its final name and
 * moved into place, so a crash leaves the old token or the new one, never half of one. Blocking
 * file I/O: workers only. Thread-safe.
 */
final class TokenDirectory {

  /** What {@code $SYS.REQ.CLAIMS.DELETE} does to a file. */
  enum DeleteMode { NONE, RENAME, REMOVE }

  private static final String EXTENSION = ".jwt";
  private static final Pattern KEY = Pattern.compile("A[A-Z2-7]{55}");

  private final Path dir;
  private final long limit;
  private final boolean evict;
  private final long ttlMillis;
  private final DeleteMode deletes;
  /** Account key to when its token was stored (millis), in access order. */
  private final LinkedHashMap<String, Long> index = new LinkedHashMap<>(16, 0.75f, true);

  TokenDirectory(Path dir, long limit, boolean evict, long ttlMillis, DeleteMode deletes) throws IOException {
    this.dir = dir;
    this.limit = limit <= 0 ? Long.MAX_VALUE : limit;
    this.evict = evict;
    this.ttlMillis = ttlMillis;
    this.deletes = deletes;
    Files.createDirectories(dir);
    if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
      throw new IOException("dir needs to point to an accessible directory: " + dir);
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String key = keyOf(f);
        if (key != null) {
          index.put(key, Files.getLastModifiedTime(f).toMillis());
        }
      }
    }
  }

  /** The account's token, or null when there is none (or the cache's copy outlived its ttl). */
  synchronized String load(String key) throws IOException {
    Path f = path(key);
    Long stored = index.get(key);
    if (stored == null) {
      return null;
    }
    if (ttlMillis > 0 && System.currentTimeMillis() - stored > ttlMillis) {
      Files.deleteIfExists(f);
      index.remove(key);
      return null;
    }
    try {
      return Files.readString(f, StandardCharsets.UTF_8);
    } catch (NoSuchFileException gone) {
      index.remove(key);
      return null;
    }
  }

  synchronized void save(String key, String jwt) throws IOException {
    Path f = path(key);
    if (jwt.isEmpty()) {
      throw new IOException("invalid JWT");
    }
    if (!index.containsKey(key) && index.size() >= limit) {
      if (!evict) {
        throw new IOException("jwt store is full");
      }
      Iterator<String> oldest = index.keySet().iterator();
      Files.deleteIfExists(path(oldest.next()));
      oldest.remove();
    }
    Path tmp = dir.resolve("." + key + EXTENSION + ".tmp");
    Files.writeString(tmp, jwt, StandardCharsets.UTF_8);
    try {
      Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
    }
    index.put(key, System.currentTimeMillis());
  }

  synchronized void delete(String key) throws IOException {
    if (deletes == DeleteMode.NONE) {
      throw new IOException("store is not set up to for delete");
    }
    Path f = path(key);
    if (deletes == DeleteMode.RENAME) {
      if (Files.exists(f)) {
        Files.move(f, f.resolveSibling(f.getFileName() + ".deleted"), StandardCopyOption.REPLACE_EXISTING);
      }
    } else {
      Files.deleteIfExists(f);
    }
    index.remove(key);
  }

  synchronized List<String> keys() {
    return new ArrayList<>(index.keySet());
  }

  private Path path(String key) throws IOException {
    if (!KEY.matcher(key).matches()) {
      throw new IOException("invalid public key");
    }
    return dir.resolve(key + EXTENSION);
  }

  private static String keyOf(Path f) {
    String name = f.getFileName().toString();
    if (!name.endsWith(EXTENSION)) {
      return null;
    }
    String key = name.substring(0, name.length() - EXTENSION.length());
    return KEY.matcher(key).matches() ? key : null;
  }
}
