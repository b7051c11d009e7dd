package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The live dashboard in headless Chromium (Debian's `chromium`; skipped without it): it loads,
 * its numbers follow the traffic a test sends, and a screenshot is kept in
 * server/target/dashboard.png.
 */
class DashboardIT {

  private static final Pattern IN_MSGS = Pattern.compile("id=\"in-msgs\">([0-9,]+)<");

  private static String chromium() {
    String c = InteropProgram.onPath("chromium");
    return c != null ? c : InteropProgram.onPath("chromium-browser");
  }

  private static List<String> chromium(Path profile, String... args) {
    List<String> cmd = new ArrayList<>(List.of(chromium(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + profile, "--virtual-time-budget=3000"));
    cmd.addAll(List.of(args));
    return cmd;
  }

  private static long inMsgs(String dom) {
    Matcher m = IN_MSGS.matcher(dom);
    assertTrue(m.find(), "dashboard shows messages in: " + dom.substring(0, Math.min(400, dom.length())));
    return Long.parseLong(m.group(1).replace(",", ""));
  }

  @Test
  void loadsAndFollowsTraffic() throws Exception {
    assumeTrue(chromium() != null, "chromium not installed");
    Path profile = Files.createTempDirectory("natsvx-chromium");
    try (TestServer server = TestServer.start(b -> b.httpPort(-1));
         RawClient client = RawClient.connect(server.port())) {
      String url = "http://127.0.0.1:" + server.verticle.monitorPort() + "/dashboard";
      client.send("CONNECT {\"verbose\":false,\"echo\":false,\"name\":\"dashboard-it\"}\r\nSUB d 1\r\n");
      for (int i = 0; i < 5; i++) {
        client.send("PUB d 1\r\nx\r\n");
      }
      client.sync();
      var first = InteropProgram.run(chromium(profile, "--dump-dom", url), profile, Map.of(), Duration.ofSeconds(60));
      assertTrue(first.ok(), first.describe());
      long before = inMsgs(first.output());
      assertTrue(before >= 5, "counts what was sent: " + before);
      assertTrue(first.output().contains("dashboard-it"), "lists the connection");

      for (int i = 0; i < 20; i++) {
        client.send("PUB d 1\r\ny\r\n");
      }
      client.sync();
      var second = InteropProgram.run(chromium(profile, "--dump-dom", url), profile, Map.of(), Duration.ofSeconds(60));
      assertTrue(second.ok(), second.describe());
      assertTrue(inMsgs(second.output()) >= before + 20, "numbers follow the traffic");

      Path shot = Path.of("target", "dashboard.png").toAbsolutePath();
      Files.deleteIfExists(shot);
      var screenshot = InteropProgram.run(chromium(profile, "--window-size=1280,1000", "--screenshot=" + shot, url),
          profile, Map.of(), Duration.ofSeconds(60));
      assertTrue(screenshot.ok(), screenshot.describe());
      assertTrue(Files.size(shot) > 10_000, "screenshot kept at " + shot);
    }
  }
}
