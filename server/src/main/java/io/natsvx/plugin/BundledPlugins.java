package io.natsvx.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The plugin jars that ship inside the server's jar, under {@code bundled-plugins/}: the
 * account resolvers. A class loader needs a jar of its own on disk, so one packed in the server's
 * jar is copied out once, to a file named by its content's hash in the temporary directory, and
 * reused by every later start of the same build. Reads and writes files: worker only.
 */
final class BundledPlugins {

  static final String FOLDER = "bundled-plugins/";

  private BundledPlugins() {}

  /** The jar on disk; fails with the jar's name when the server was built without it. */
  static Path jar(String name) throws IOException {
    URL url = BundledPlugins.class.getClassLoader().getResource(FOLDER + name);
    if (url == null) {
      throw new IOException(name + ": not bundled in this server (build the plugins/ modules first)");
    }
    if (url.getProtocol().equals("file")) {
      try {
        return Path.of(url.toURI());
      } catch (URISyntaxException e) {
        throw new IOException(name + ": " + e.getMessage());
      }
    }
    byte[] bytes;
    try (InputStream in = url.openStream()) {
      bytes = in.readAllBytes();
    }
    Path dir = Path.of(System.getProperty("java.io.tmpdir"), "natsvx-bundled-plugins");
    Files.createDirectories(dir);
    String base = name.endsWith(".jar") ? name.substring(0, name.length() - 4) : name;
    Path target = dir.resolve(base + "-" + sha256(bytes).substring(0, 16) + ".jar");
    if (!Files.exists(target) || Files.size(target) != bytes.length) {
      Path tmp = Files.createTempFile(dir, base, ".tmp");
      Files.write(tmp, bytes);
      try {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return target;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
