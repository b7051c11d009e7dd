package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.natsvx.config.OptionsReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A config whose only users are the system account's (the Helm chart's usual setup): clients
 * without credentials still connect, to the global account, as with nats-server.
 */
class SystemOnlyAccountIT {

  @TempDir
  Path dir;

  @Test
  void anonymousClientsStillConnect() throws Exception {
    Path conf = dir.resolve("sys.conf");
    Files.writeString(conf, "accounts { SYS { users: [{user: admin, password: admin}] } }\nsystem_account: SYS\n");
    List<String> scripts = List.of(
        "CONNECT {\"verbose\":false}\r\nSUB a 1\r\nPUB a 1\r\nx\r\n",
        "PING\r\n",
        "CONNECT {\"verbose\":false,\"user\":\"admin\",\"pass\":\"admin\"}\r\n",
        "CONNECT {\"verbose\":false,\"user\":\"admin\",\"pass\":\"wrong\"}\r\n");
    var loaded = OptionsReader.load(conf).options().toBuilder();
    try (TestServer natsvx = TestServer.start(b -> loaded.port(0).host("127.0.0.1").logtime(false))) {
      assertEquals(List.of("MSG a 1 1", "x", "PONG"), Transcripts.of(natsvx.port(), scripts.get(0)));
      if (NatsServerProcess.available()) {
        try (NatsServerProcess reference = NatsServerProcess.start("-c", conf.toString())) {
          for (String script : scripts) {
            assertEquals(Transcripts.of(reference.port(), script), Transcripts.of(natsvx.port(), script),
                SideBySideIT.printable(script));
          }
        }
      }
    }
  }
}
