package io.natsvx.config;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** For tests of config files: writes a sample in a temp dir and reads what it gives. */
abstract class ConfigFileTest {

  @TempDir protected Path dir;

  protected Path write(String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, text);
    return f;
  }

  /** The errors a nats.conf sample gets (it must be refused). */
  protected List<String> errors(String conf) throws Exception {
    Path f = write("t.conf", conf);
    return assertThrows(ConfigException.class, () -> OptionsReader.load(f)).errors();
  }

  /** The warnings a nats.conf sample gets (it must be accepted). */
  protected List<String> warnings(String conf) throws Exception {
    return OptionsReader.load(write("t.conf", conf)).warnings();
  }

  /** "file:line" of the sample, as messages start. */
  protected String where(int line) {
    return dir.resolve("t.conf") + ":" + line;
  }
}
