package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.natsvx.config.AuthOptions;
import io.natsvx.config.AuthOptions.PermissionOptions;
import io.natsvx.config.AuthOptions.ResponsePermission;
import io.natsvx.config.AuthOptions.UserOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Per-user publish and subscribe permissions, answered and enforced as nats-server does. */
class PermissionsIT {

  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    PermissionOptions pub = new PermissionOptions(List.of("foo.>", "req"), List.of("foo.secret"), null, null, null);
    PermissionOptions sub = new PermissionOptions(null, null, List.of("a.*", "q.work workers", "b.*"),
        List.of("a.secret"), null);
    PermissionOptions svc = new PermissionOptions(null, null, List.of("svc"), null, new ResponsePermission(1, Duration.ofMinutes(2)));
    server = TestServer.start(b -> b.authorization(new AuthOptions(null, List.of(
        new UserOptions("pub", "p", null, pub),
        new UserOptions("sub", "s", null, sub),
        new UserOptions("svc", "v", null, svc),
        new UserOptions("all", "x", null, null)), null, null)));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static RawClient login(String user, String pass) throws Exception {
    RawClient c = RawClient.connect(server.port());
    c.send("CONNECT {\"verbose\":false,\"user\":\"" + user + "\",\"pass\":\"" + pass + "\"}\r\n").sync();
    return c;
  }

  @Test
  void publishAllowAndDeny() throws Exception {
    try (RawClient watcher = login("all", "x"); RawClient pub = login("pub", "p")) {
      watcher.send("SUB > 1\r\n").sync();
      pub.send("PUB foo.ok 1\r\na\r\n");
      pub.send("PUB bar 1\r\nb\r\n");
      pub.expect("-ERR 'Permissions Violation for Publish to \"bar\"'");
      pub.send("PUB foo.secret 1\r\nc\r\n");
      pub.expect("-ERR 'Permissions Violation for Publish to \"foo.secret\"'");
      pub.sync(); // kept open
      pub.send("PUB foo.again 1\r\nd\r\n").sync();
      watcher.expect("MSG foo.ok 1 1");
      assertEquals("a", watcher.readLine());
      watcher.expect("MSG foo.again 1 1"); // the denied ones never arrived
      assertEquals("d", watcher.readLine());
    }
  }

  @Test
  void subscribeAllowDenyAndQueues() throws Exception {
    try (RawClient sub = login("sub", "s"); RawClient pub = login("all", "x")) {
      sub.send("SUB a.x 1\r\n").sync();
      sub.send("SUB c 2\r\n").expect("-ERR 'Permissions Violation for Subscription to \"c\"'");
      sub.send("SUB a.secret 3\r\n").expect("-ERR 'Permissions Violation for Subscription to \"a.secret\"'");
      sub.send("SUB q.work workers 4\r\n").sync();
      sub.send("SUB q.work others 5\r\n")
          .expect("-ERR 'Permissions Violation for Subscription to \"q.work\" using queue \"others\"'");
      sub.send("SUB q.work 6\r\n").expect("-ERR 'Permissions Violation for Subscription to \"q.work\"'");
      // A wildcard that is allowed but reaches a denied subject: those messages are filtered.
      sub.send("SUB a.* 7\r\n").sync();
      pub.send("PUB a.secret 1\r\nS\r\nPUB a.x 1\r\nX\r\nPUB q.work 1\r\nW\r\n").sync();
      java.util.Set<String> got = new java.util.HashSet<>();
      for (int i = 0; i < 3; i++) {
        got.add(sub.next());
        sub.readLine();
      }
      assertEquals(java.util.Set.of("MSG a.x 1 1", "MSG a.x 7 1", "MSG q.work 4 1"), got);
      sub.sync(); // and no MSG for a.secret before the PONG
    }
  }

  @Test
  void allowResponsesOncePerRequest() throws Exception {
    try (RawClient svc = login("svc", "v"); RawClient requester = login("all", "x")) {
      svc.send("SUB svc 1\r\n").sync();
      requester.send("SUB inbox.1 9\r\nPUB svc inbox.1 3\r\nreq\r\n").sync();
      svc.expect("MSG svc 1 inbox.1 3");
      svc.readLine();
      svc.send("PUB inbox.1 2\r\nok\r\n").sync();
      requester.expect("MSG inbox.1 9 2");
      assertEquals("ok", requester.readLine());
      svc.send("PUB inbox.1 5\r\nagain\r\n").expect("-ERR 'Permissions Violation for Publish to \"inbox.1\"'");
      svc.send("PUB elsewhere 1\r\nx\r\n").expect("-ERR 'Permissions Violation for Publish to \"elsewhere\"'");
    }
  }
}
