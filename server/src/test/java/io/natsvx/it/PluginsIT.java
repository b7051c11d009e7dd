package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsvx.config.ServerOptions;
import io.natsvx.plugin.PluginLoader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plugin jars through the loader: isolated class loaders, broken jars, reload, authentication. */
class PluginsIT {

  @TempDir
  Path dir;

  private Path plugins() throws Exception {
    Path p = Files.createDirectories(dir.resolve("plugins"));
    PluginJars.build(dir, "alpha.jar", PluginJars.authenticator("p.alpha", "alpha", "alice", "1"), List.of("p.alpha.Auth"));
    PluginJars.build(dir, "beta.jar", PluginJars.authenticator("p.beta", "beta", "bob", "2"), List.of("p.beta.Auth"));
    Files.move(dir.resolve("alpha.jar"), p.resolve("alpha.jar"));
    Files.move(dir.resolve("beta.jar"), p.resolve("beta.jar"));
    Files.write(p.resolve("broken.jar"), new byte[] {1, 2, 3, 4});
    return p;
  }

  @Test
  void brokenJarIsReportedAndTheOthersLoad() throws Exception {
    var result = PluginLoader.load(plugins());
    assertEquals(2, result.plugins().size());
    assertEquals(1, result.failures().size());
    assertTrue(result.failures().get(0).startsWith("broken.jar: "), result.failures().toString());
    for (AutoCloseable c : result.loaders()) {
      c.close();
    }
  }

  @Test
  void pluginsAuthenticateWithTheirOwnDependencyVersionsAndReload() throws Exception {
    Path p = plugins();
    ServerOptions.Builder[] opts = new ServerOptions.Builder[1];
    try (TestServer server = TestServer.start(b -> {
      opts[0] = b.pluginsDir(p.toString()).httpPort(-1)
          .pluginConfig("alpha", new JsonObject().put("password", "a-pass"))
          .pluginConfig("beta", new JsonObject().put("password", "b-pass"))
          .authenticators(List.of("alpha", "beta"));
      return opts[0];
    })) {
      try (RawClient alice = login(server, "alice", "a-pass"); RawClient bob = login(server, "bob", "b-pass")) {
        // Each plugin saw its own version of com.example.dep.Dep.
        assertEquals(Set.of("alice@1", "bob@2"), users(server));
        // Permissions from the plugin hold.
        alice.send("PUB forbidden.x 1\r\nx\r\n").expect("-ERR 'Permissions Violation for Publish to \"forbidden.x\"'");
      }
      try (RawClient wrong = new RawClient(server.port())) {
        wrong.readLine();
        wrong.send("CONNECT {\"verbose\":false,\"user\":\"alice\",\"pass\":\"nope\"}\r\n");
        wrong.expect("-ERR 'Authorization Violation'");
      }
      // A new version of alpha replaces the old one on reload.
      PluginJars.build(dir, "alpha2.jar", PluginJars.authenticator("p.alpha", "alpha", "alice", "3"), List.of("p.alpha.Auth"));
      Files.move(dir.resolve("alpha2.jar"), p.resolve("alpha.jar"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      var reloaded = new java.util.concurrent.CompletableFuture<Void>();
      server.vertx.runOnContext(v -> server.verticle.reload(opts[0].build())
          .onComplete(ar -> reloaded.complete(null)));
      reloaded.get(10, TimeUnit.SECONDS);
      try (RawClient alice = login(server, "alice", "a-pass")) {
        assertTrue(users(server).contains("alice@3"), users(server).toString());
      }
    }
  }

  private static RawClient login(TestServer server, String user, String pass) throws Exception {
    RawClient c = RawClient.connect(server.port());
    c.send("CONNECT {\"verbose\":false,\"user\":\"" + user + "\",\"pass\":\"" + pass + "\"}\r\n").sync();
    return c;
  }

  private static Set<String> users(TestServer server) throws Exception {
    JsonArray conns = Http.json(server.verticle.monitorPort(), "/connz?auth=true").getJsonArray("connections");
    Set<String> users = new HashSet<>();
    for (int i = 0; i < conns.size(); i++) {
      users.add(conns.getJsonObject(i).getString("authorized_user"));
    }
    return users;
  }

}
