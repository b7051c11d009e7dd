package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled HTTP callout authenticator, as a jar in plugins_dir: an HTTP service decides,
 * its decisions are cached, and a service that does not answer refuses the client safely.
 */
class HttpCalloutPluginIT {

  private static final Path JAR = Path.of("..", "auth-plugins", "http-callout", "target", "natsvx-auth-http-callout.jar");

  @TempDir
  Path dir;

  @Test
  void theServiceDecidesAndIsCached() throws Exception {
    assumeTrue(Files.exists(JAR), "build auth-plugins/http-callout first (mvn verify does)");
    Vertx vertx = Vertx.vertx();
    AtomicInteger asked = new AtomicInteger();
    HttpServer service = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      asked.incrementAndGet();
      JsonObject connect = body.toJsonObject().getJsonObject("connect");
      String user = connect.getString("user");
      if ("slow".equals(user)) {
        return; // never answers
      }
      JsonObject client = body.toJsonObject().getJsonObject("client");
      boolean fromLoopback = "127.0.0.1".equals(client.getString("address")) && client.getInteger("port") > 0;
      JsonObject answer = "carl".equals(user) && "c-pass".equals(connect.getString("pass")) && fromLoopback
          ? new JsonObject().put("allow", true).put("user", "carl")
              .put("permissions", new JsonObject().put("publish", new JsonObject().put("deny", new JsonArray().add("secret.>"))))
          : new JsonObject().put("allow", false);
      req.response().putHeader("Content-Type", "application/json").end(answer.encode());
    }));
    int port = service.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).actualPort();
    try {
      Path plugins = Files.createDirectories(dir.resolve("plugins"));
      Files.copy(JAR, plugins.resolve(JAR.getFileName()));
      try (TestServer s = TestServer.start(b -> b.pluginsDir(plugins.toString())
          .authTimeout(java.time.Duration.ofSeconds(3))
          .pluginConfig("http-callout", new JsonObject().put("url", "http://127.0.0.1:" + port + "/auth")
              .put("timeout_ms", 300).put("cache_ttl_ms", 60_000))
          .authenticators(List.of("http-callout")))) {
        for (int i = 0; i < 3; i++) {
          try (RawClient c = RawClient.connect(s.port())) {
            c.send("CONNECT {\"verbose\":false,\"user\":\"carl\",\"pass\":\"c-pass\"}\r\n").sync();
            c.send("PUB secret.x 1\r\nx\r\n").expect("-ERR 'Permissions Violation for Publish to \"secret.x\"'");
          }
        }
        assertEquals(1, asked.get(), "later logins answered from the cache");
        try (RawClient c = RawClient.connect(s.port())) {
          c.send("CONNECT {\"verbose\":false,\"user\":\"carl\",\"pass\":\"guess\"}\r\n");
          c.expect("-ERR 'Authorization Violation'");
        }
        long start = System.nanoTime();
        try (RawClient c = RawClient.connect(s.port())) {
          c.send("CONNECT {\"verbose\":false,\"user\":\"slow\",\"pass\":\"x\"}\r\n");
          c.expect("-ERR 'Authorization Violation'");
          assertTrue(c.isClosedByServer(2000));
        }
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3), "refused at the plugin's timeout");
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
