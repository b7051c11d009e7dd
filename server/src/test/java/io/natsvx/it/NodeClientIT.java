package io.natsvx.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The official JavaScript client (npm package {@code nats}, nats.js v2) on Node.js against
 * natsvx. The package is installed with npm into target/interop/js on first use; skipped when
 * node or npm is absent or the install fails (no network).
 */
class NodeClientIT extends ClientInteropBase {

  @Override
  String language() {
    return "js";
  }

  @Override
  List<String> prepare(Path work) throws Exception {
    String node = InteropProgram.onPath("node");
    String npm = InteropProgram.onPath("npm");
    assumeTrue(node != null && npm != null, "node/npm not installed");
    if (!Files.isRegularFile(work.resolve("node_modules/nats/package.json"))) {
      // Own package.json, so npm installs here rather than in a parent project.
      Files.writeString(work.resolve("package.json"), "{\"name\":\"natsvx-interop-js\",\"private\":true}\n");
      InteropProgram.Result install = InteropProgram.run(List.of(npm, "install", "--no-audit", "--no-fund",
              "--no-package-lock", "--no-save", "--prefer-offline", "--fetch-retries=0", "--fetch-timeout=10000",
              "nats@2"),
          work, Map.of("npm_config_update_notifier", "false"), Duration.ofSeconds(60));
      System.out.println("NodeClientIT: npm install: " + install.describe());
      assumeTrue(install.ok() && Files.isRegularFile(work.resolve("node_modules/nats/package.json")),
          () -> "npm install nats@2 failed (offline?): " + String.join(" / ",
              install.output().lines().filter(l -> l.startsWith("npm error")).limit(4).toList()));
    }
    Path script = work.resolve("interop.js");
    Files.copy(InteropProgram.resourceDir("interop/js").resolve("interop.js"), script,
        StandardCopyOption.REPLACE_EXISTING);
    return List.of(node, script.toString());
  }
}
