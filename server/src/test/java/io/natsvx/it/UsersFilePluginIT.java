package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.natsvx.auth.Passwords;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled users-file authenticator, as a jar in plugins_dir (never on the server's class
 * path): bcrypt users from a file, re-read when the file changes.
 */
class UsersFilePluginIT {

  private static final Path JAR = Path.of("..", "auth-plugins", "users-file", "target", "natsvx-auth-users-file.jar");

  @TempDir
  Path dir;

  private static Options options(TestServer s, String user, String pass) {
    return new Options.Builder().server(s.url()).userInfo(user, pass).connectionTimeout(Duration.ofSeconds(2))
        .noReconnect().build();
  }

  @Test
  void usersFromTheFileAndItsChanges() throws Exception {
    assumeTrue(Files.exists(JAR), "build auth-plugins/users-file first (mvn verify does)");
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    Files.copy(JAR, plugins.resolve(JAR.getFileName()));
    Path users = dir.resolve("users");
    Files.writeString(users, "# htpasswd -B style\nann:" + Passwords.hash("ann-pass", 4) + "\n");
    try (TestServer s = TestServer.start(b -> b.pluginsDir(plugins.toString())
        .pluginConfig("users-file", new JsonObject().put("file", users.toString()).put("check_interval_ms", 50))
        .authenticators(List.of("users-file")))) {
      try (Connection nc = Nats.connect(options(s, "ann", "ann-pass"))) {
        nc.flush(Duration.ofSeconds(2));
      }
      assertThrows(Exception.class, () -> Nats.connect(options(s, "ann", "wrong")).close());

      Files.writeString(users, "ann:" + Passwords.hash("ann-pass", 4) + "\nben:" + Passwords.hash("ben-pass", 4) + "\n");
      // a later mtime, so the change is seen whatever the file system's time granularity
      Files.setLastModifiedTime(users, FileTime.fromMillis(System.currentTimeMillis() + 5000));
      Await.until("a user added to the file to get in", () -> {
        try (RawClient c = RawClient.connect(s.port())) {
          c.send("CONNECT {\"verbose\":false,\"user\":\"ben\",\"pass\":\"ben-pass\"}\r\nPING\r\n");
          return c.next().equals("PONG");
        }
      });
    }
  }
}
