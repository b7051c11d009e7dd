package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The official C client (cnats, Debian's libnats-dev) against natsvx. Compiled with gcc at test
 * time; skipped when gcc or the {@code <nats/nats.h>} header is absent.
 */
class CClientIT extends ClientInteropBase {

  @Override
  String language() {
    return "c";
  }

  @Override
  List<String> prepare(Path work) throws Exception {
    String gcc = InteropProgram.onPath("gcc");
    assumeTrue(gcc != null, "gcc not installed");
    Path probe = work.resolve("probe.c");
    Files.writeString(probe, "#include <nats/nats.h>\n");
    InteropProgram.Result header = InteropProgram.run(List.of(gcc, "-E", "-o", "/dev/null", probe.toString()),
        work, Map.of(), Duration.ofSeconds(60));
    assumeTrue(header.ok(), "<nats/nats.h> not found (apt-get install libnats-dev)");

    Path source = InteropProgram.resourceDir("interop/c").resolve("interop.c");
    Path binary = work.resolve("interop");
    InteropProgram.Result build = InteropProgram.run(List.of(gcc, "-std=c11", "-O1", "-Wall", "-o",
        binary.toString(), source.toString(), "-lnats", "-lpthread"), work, Map.of(), Duration.ofSeconds(120));
    assertTrue(build.ok(), () -> "gcc failed: " + build.describe());
    System.out.println("CClientIT: built in " + build.took().toMillis() + " ms");
    return List.of(binary.toString());
  }
}
