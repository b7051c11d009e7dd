package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same raw protocol scripts against natsvx and the reference nats-server (when installed):
 * every reply line and whether the connection was closed must agree.
 */
class SideBySideIT {

  private static TestServer natsvx;
  private static NatsServerProcess reference;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(NatsServerProcess.available(), "nats-server not installed");
    natsvx = TestServer.start();
    reference = NatsServerProcess.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (natsvx != null) {
      natsvx.close();
    }
    if (reference != null) {
      reference.close();
    }
  }

  static Stream<String> scripts() {
    return Stream.of(
        "CONNECT {}\r\nSUB foo 1\r\nPUB foo 2\r\nhi\r\nUNSUB 1\r\n",
        "SUB foo 1\r\nPUB foo 2\r\nhi\r\n",
        "sub foo 1\r\npub foo 1\r\nx\r\n",
        "CONNECT {\"verbose\":false}\r\nSUB foo..bar 1\r\nSUB foo.>.x 2\r\nSUB ok 3\r\n",
        "CONNECT {\"verbose\":false}\r\nSUB a q 1\r\nSUB a 1\r\nPUB a 1\r\nz\r\n",
        "CONNECT {\"verbose\":false}\r\nSUB a 1\r\nUNSUB 1 abc\r\nPUB a 1\r\nz\r\n",
        "CONNECT {\"verbose\":false}\r\nSUB a 1\r\nUNSUB 1 2\r\nPUB a 1\r\nz\r\nPUB a 1\r\ny\r\nPUB a 1\r\nw\r\n",
        "CONNECT {\"verbose\":false,\"echo\":false}\r\nSUB e 1\r\nPUB e 1\r\nx\r\n",
        "CONNECT {\"verbose\":false,\"pedantic\":true}\r\nPUB foo.* 0\r\n\r\n",
        "CONNECT {\"verbose\":false,\"headers\":true}\r\nSUB h 1\r\nHPUB h 12 14\r\nNATS/1.0\r\n\r\nhi\r\n",
        "CONNECT {\"verbose\":false}\r\nSUB h 1\r\nHPUB h 12 14\r\nNATS/1.0\r\n\r\nhi\r\n",
        "CONNECT {\"verbose\":false,\"headers\":true,\"no_responders\":true}\r\nSUB _INBOX.x.* 1\r\nPUB q _INBOX.x.1 0\r\n\r\n",
        "CONNECT {\"no_responders\":true}\r\n",
        "CONNECT {\"protocol\":2}\r\n",
        "CONNECT {bad\r\n",
        "CONNECT {\"verbose\":\"yes\"}\r\n",
        "FOO\r\n",
        "\r\n",
        "MSG a 1 1\r\nx\r\n",
        "PUX\r\n",
        "SUBfoo 1\r\n",
        "PUB foo 2\r\nabc\r\n",
        "PUB foo\r\n",
        "PUB foo bar baz qux\r\n",
        "PUB foo x\r\n",
        "SUB foo\r\n",
        "UNSUB\r\n",
        "HPUB foo 1 1\r\nx\r\n",
        "CONNECT {\"headers\":true,\"verbose\":false}\r\nHPUB foo 10 5\r\n",
        "-ERR 'x'\r\n",
        "+OK\r\n",
        "INFO {}\r\n",
        "PUB foo 2000000\r\n",
        "SUB " + "x".repeat(5000) + " 1\r\n",
        "CONNECT {\"verbose\":false}\r\nPUB big 3\r\nabc\r\nPUB big 1\r\n",
        "CONNECT {\"verbose\":true,\"pedantic\":true}\r\nPUB a.* 1\r\nx\r\n",
        "CONNECT {\"verbose\":true}\r\nPUB a _R_.x 1\r\ny\r\nPUB b c 1\r\nz\r\n");
  }

  @ParameterizedTest
  @MethodSource("scripts")
  void sameReplies(String script) throws Exception {
    assertEquals(Transcripts.of(reference.port(), script), Transcripts.of(natsvx.port(), script), printable(script));
  }

  @Test
  void sameInfoFields() throws Exception {
    assertEquals(infoKeys(reference.port()), infoKeys(natsvx.port()));
  }

  private static Set<String> infoKeys(int port) throws IOException {
    try (RawClient c = new RawClient(port)) {
      Set<String> keys = new TreeSet<>(new JsonObject(c.readLine().substring(5).trim()).fieldNames());
      keys.remove("git_commit");
      return keys;
    }
  }

  static String printable(String s) {
    String p = s.replace("\r", "\\r").replace("\n", "\\n");
    return p.length() > 120 ? p.substring(0, 120) + "..." : p;
  }
}
