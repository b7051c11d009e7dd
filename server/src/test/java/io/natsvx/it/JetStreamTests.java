package io.natsvx.it;

import io.natsvx.config.JetStreamOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** What the JetStream tests share: a server with JetStream in the test's directory, and payloads. */
abstract class JetStreamTests {

  @TempDir
  Path dir;

  TestServer start() throws Exception {
    return TestServer.start(b -> b.jetStream(JetStreamOptions.DISABLED.withEnabled(true).withStoreDir(dir.toString())));
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
