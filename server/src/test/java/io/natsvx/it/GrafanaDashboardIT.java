package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every metric the Grafana dashboard in deploy/ queries is one /metrics exports. */
class GrafanaDashboardIT {

  private static final Pattern METRIC = Pattern.compile("\\b(gnatsd_varz_[a-z_]+|jvm_[a-z_]+)");

  @Test
  void queriesOnlyExportedMetrics() throws Exception {
    JsonObject dashboard = new JsonObject(Files.readString(Path.of("..", "deploy", "grafana", "natsvx-dashboard.json")));
    Set<String> queried = new TreeSet<>();
    JsonArray panels = dashboard.getJsonArray("panels");
    for (int i = 0; i < panels.size(); i++) {
      JsonArray targets = panels.getJsonObject(i).getJsonArray("targets");
      for (int t = 0; t < targets.size(); t++) {
        Matcher m = METRIC.matcher(targets.getJsonObject(t).getString("expr"));
        while (m.find()) {
          queried.add(m.group(1));
        }
      }
    }
    assertFalse(queried.isEmpty());
    try (TestServer server = TestServer.start(b -> b.httpPort(-1))) {
      String scrape = Http.get(server.verticle.monitorPort(), "/metrics").body();
      for (String metric : queried) {
        // Prometheus summaries export name_sum/name_count; the dashboard may query those.
        assertTrue(scrape.contains("\n" + metric + "{") || scrape.contains("\n" + metric + " "),
            metric + " is queried by the dashboard but not exported");
      }
    }
  }
}
