package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsvx.config.AuthOptions;
import io.natsvx.config.AuthOptions.PermissionOptions;
import io.natsvx.config.AuthOptions.UserOptions;
import io.natsvx.config.ServerOptions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A reload that changes users and permissions applies to clients already connected. */
class ReloadAuthIT {

  private static AuthOptions users(String annPassword, PermissionOptions benPermissions) {
    return new AuthOptions(null, List.of(new UserOptions("ann", annPassword, null, null),
        new UserOptions("ben", "b", null, benPermissions)), null, null);
  }

  @Test
  void changedCredentialsAndPermissionsReachConnectedClients() throws Exception {
    ServerOptions.Builder[] b = new ServerOptions.Builder[1];
    try (TestServer server = TestServer.start(x -> b[0] = x.authorization(users("a", null)));
         RawClient ann = RawClient.connect(server.port());
         RawClient ben = RawClient.connect(server.port())) {
      ann.send("CONNECT {\"verbose\":false,\"user\":\"ann\",\"pass\":\"a\"}\r\n").sync();
      ben.send("CONNECT {\"verbose\":false,\"user\":\"ben\",\"pass\":\"b\"}\r\nSUB x 1\r\nSUB y 2\r\n").sync();

      ServerOptions next = b[0].authorization(users("changed",
          new PermissionOptions(null, null, List.of("y"), null, null))).build();
      CompletableFuture<Void> done = new CompletableFuture<>();
      server.vertx.runOnContext(v -> server.verticle.reload(next).onComplete(ar -> done.complete(null)));
      done.get(10, TimeUnit.SECONDS);

      ann.expect("-ERR 'Authorization Violation'");
      assertTrue(ann.isClosedByServer(5000), "ann's password changed: out");
      ben.expect("-ERR 'Permissions Violation for Subscription to \"x\" \\(sid \"1\"\\)'");
      ben.sync(); // still connected, with y
    }
  }
}
