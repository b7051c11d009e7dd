package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.natsvx.config.OptionsReader;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * conf/auth.conf loaded by natsvx and by the reference nats-server (when installed), then the
 * same raw scripts against both: logins, refusals and permission answers must agree.
 */
class AuthSideBySideIT {

  private static final Path CONF = Path.of("..", "conf", "auth.conf");
  private static TestServer natsvx;
  private static NatsServerProcess reference;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(NatsServerProcess.available(), "nats-server not installed");
    var loaded = OptionsReader.load(CONF).options().toBuilder();
    natsvx = TestServer.start(b -> loaded.port(0).host("127.0.0.1").logtime(false));
    reference = NatsServerProcess.start("-c", CONF.toAbsolutePath().toString());
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
    String orders = "CONNECT {\"verbose\":false,\"user\":\"orders\",\"pass\":\"orders-s3cret\"}\r\n";
    String guest = "CONNECT {\"verbose\":false,\"user\":\"guest\",\"pass\":\"guest-pass\"}\r\n";
    return Stream.of(
        // no_auth_user: no credentials (and even no CONNECT) make a guest
        "CONNECT {\"verbose\":false}\r\nSUB public.news 1\r\n",
        "SUB public.x 1\r\nPUB public.x 1\r\nz\r\n",
        // refusals
        "CONNECT {\"verbose\":false,\"user\":\"guest\",\"pass\":\"wrong\"}\r\n",
        "CONNECT {\"verbose\":false,\"user\":\"nobody\",\"pass\":\"x\"}\r\n",
        "CONNECT {\"verbose\":false,\"user\":\"orders\",\"pass\":\"guest-pass\"}\r\n",
        // guest: default permissions
        guest + "SUB public.a 1\r\nSUB private 2\r\nPUB public.a 1\r\nx\r\nSUB _INBOX.1 3\r\n",
        // orders: bcrypt login, publish and subscribe rules, queue rule, deny
        orders + "PUB orders.events.new 2\r\nok\r\nPUB orders.other 1\r\nx\r\n",
        orders + "SUB orders.new workers 1\r\nSUB orders.new 2\r\nSUB orders.new others 3\r\nSUB orders.admin 4\r\n"
            + "SUB orders.events.> 5\r\nSUB billing.x 6\r\n",
        orders + "SUB orders.events.a 1\r\nPUB orders.events.a reply.1 1\r\nx\r\nPUB reply.1 1\r\ny\r\n");
  }

  @ParameterizedTest
  @MethodSource("scripts")
  void sameAnswers(String script) throws Exception {
    assertEquals(Transcripts.of(reference.port(), script), Transcripts.of(natsvx.port(), script),
        SideBySideIT.printable(script));
  }
}
