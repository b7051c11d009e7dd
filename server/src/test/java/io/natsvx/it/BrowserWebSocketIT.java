package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.natsvx.config.WebSocketOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A page in headless Chromium (Debian's {@code chromium}) runs the official browser client
 * (npm {@code nats.ws}) against the WebSocket port, with compression and an allowed origin,
 * and talks to a jnats client on the TCP port both ways: publish, subscribe, request/reply.
 * Skipped without chromium, or without npm and network for nats.ws.
 */
class BrowserWebSocketIT {

  private static final String PAGE = """
      <!doctype html><html><body><pre id="log">start</pre>
      <script type="module">
      import { connect, StringCodec } from "./nats.js";
      const sc = StringCodec();
      const log = (s) => document.getElementById("log").textContent += "\\n" + s;
      try {
        const nc = await connect({ servers: "ws://127.0.0.1:WS_PORT" });
        const sub = nc.subscribe("browser.in", { max: 3 });
        nc.publish("browser.hello", sc.encode("hi"));
        for await (const m of sub) {
          nc.publish("browser.echo", sc.encode("echo:" + sc.decode(m.data)));
        }
        const r = await nc.request("jnats.svc", sc.encode("q"), { timeout: 5000 });
        nc.publish("browser.echo", sc.encode("reply:" + sc.decode(r.data)));
        await nc.flush();
        log("done");
      } catch (e) {
        log("error " + e);
        fetch("/error?e=" + encodeURIComponent(String(e)));
      }
      </script></body></html>
      """;

  private static String chromium() {
    String c = InteropProgram.onPath("chromium");
    return c != null ? c : InteropProgram.onPath("chromium-browser");
  }

  /** nats.ws's single-file ES module, installed with npm into target/interop/ws on first use. */
  private static Path natsWs() throws Exception {
    String npm = InteropProgram.onPath("npm");
    assumeTrue(npm != null, "npm not installed");
    Path work = Files.createDirectories(Path.of("target", "interop", "ws"));
    Path module = work.resolve("node_modules/nats.ws/esm/nats.js");
    if (!Files.isRegularFile(module)) {
      Files.writeString(work.resolve("package.json"), "{\"name\":\"natsvx-interop-ws\",\"private\":true}\n");
      InteropProgram.Result install = InteropProgram.run(List.of(npm, "install", "--no-audit", "--no-fund",
              "--no-package-lock", "--no-save", "--prefer-offline", "--fetch-retries=0", "--fetch-timeout=10000",
              "nats.ws@1"),
          work, Map.of("npm_config_update_notifier", "false"), Duration.ofSeconds(60));
      assumeTrue(install.ok() && Files.isRegularFile(module), () -> "npm install nats.ws failed (offline?)");
    }
    return module;
  }

  @Test
  void aPageInChromiumAndAJnatsClientTalkBothWays() throws Exception {
    assumeTrue(chromium() != null, "chromium not installed");
    Path module = natsWs();
    Vertx vertx = Vertx.vertx();
    List<String> errors = new CopyOnWriteArrayList<>();
    int[] wsPort = new int[1];
    HttpServer http = vertx.createHttpServer().requestHandler(req -> {
      switch (req.path()) {
        case "/nats.js" -> req.response().putHeader("Content-Type", "text/javascript").sendFile(module.toString());
        case "/error" -> {
          errors.add(req.getParam("e"));
          req.response().end();
        }
        default -> req.response().putHeader("Content-Type", "text/html")
            .end(PAGE.replace("WS_PORT", Integer.toString(wsPort[0])));
      }
    });
    int httpPort = http.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
        .actualPort();
    // Only the page's own origin may connect (Chromium sends it).
    WebSocketOptions ws = new WebSocketOptions("127.0.0.1", -1, null, null, true, false,
        List.of("http://127.0.0.1:" + httpPort), true, Duration.ofSeconds(5));
    Path profile = Files.createTempDirectory("natsvx-chromium");
    Process browser = null;
    try (TestServer server = TestServer.start(b -> b.webSocket(ws));
        Connection nc = Nats.connect(server.url())) {
      wsPort[0] = server.verticle.webSocketPort();
      List<String> echoes = new CopyOnWriteArrayList<>();
      Dispatcher d = nc.createDispatcher(m -> {
        switch (m.getSubject()) {
          case "browser.hello" -> {
            for (int i = 0; i < 3; i++) {
              nc.publish("browser.in", ("from jnats " + i).getBytes(StandardCharsets.UTF_8));
            }
          }
          case "jnats.svc" -> nc.publish(m.getReplyTo(), ("re:" + new String(m.getData())).getBytes());
          default -> echoes.add(new String(m.getData(), StandardCharsets.UTF_8));
        }
      });
      d.subscribe("browser.hello");
      d.subscribe("browser.echo");
      d.subscribe("jnats.svc");
      nc.flush(Duration.ofSeconds(5));
      List<String> cmd = new ArrayList<>(List.of(chromium(), "--headless", "--no-sandbox", "--disable-gpu",
          "--no-first-run", "--disable-extensions", "--disable-background-networking", "--disable-sync",
          "--user-data-dir=" + profile, "--remote-debugging-port=0", "http://127.0.0.1:" + httpPort + "/"));
      browser = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(profile.resolve("chromium.log").toFile()).start();
      Process running = browser;
      Await.until("the page's four messages", Duration.ofSeconds(60), () -> {
        if (!errors.isEmpty()) {
          throw new AssertionError("the page failed: " + errors);
        }
        if (!running.isAlive()) {
          throw new AssertionError("chromium exited: " + Files.readString(profile.resolve("chromium.log")));
        }
        return echoes.size() >= 4;
      });
      assertEquals(List.of("echo:from jnats 0", "echo:from jnats 1", "echo:from jnats 2", "reply:re:q"), echoes);
    } finally {
      if (browser != null) {
        browser.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
