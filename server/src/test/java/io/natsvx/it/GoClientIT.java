package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The official Go client (nats.go, as packaged by Debian in golang-github-nats-io-go-nats-dev)
 * against natsvx. Built offline in GOPATH mode; skipped when go or the nats.go source is absent.
 */
class GoClientIT extends ClientInteropBase {

  @Override
  String language() {
    return "go";
  }

  @Override
  List<String> prepare(Path work) throws Exception {
    return List.of(build(work, "natsinterop"));
  }

  static final Path GOCODE = Path.of("/usr/share/gocode");

  /**
   * Builds the Go program under interop/go/{@code name} into work and returns its path; skips
   * (an assumption) when go or the nats.go source is absent.
   */
  static String build(Path work, String name) throws Exception {
    String go = InteropProgram.onPath("go");
    assumeTrue(go != null, "go not installed (apt-get install golang-go)");
    assumeTrue(Files.isRegularFile(GOCODE.resolve("src/github.com/nats-io/nats.go/nats.go")),
        "nats.go source not installed (apt-get install golang-github-nats-io-go-nats-dev)");
    Path tmp = Path.of("target", "tmp").toAbsolutePath();
    Path cache = tmp.resolve("go-cache");
    Path gopath = tmp.resolve("gopath");
    Files.createDirectories(cache);
    Files.createDirectories(gopath);
    Path binary = work.resolve(name);
    Map<String, String> env = Map.of(
        "GO111MODULE", "off",
        "GOPATH", gopath + ":" + GOCODE,
        "GOCACHE", cache.toString(),
        "GOFLAGS", "",
        "GOPROXY", "off");
    InteropProgram.Result build = InteropProgram.run(List.of(go, "build", "-o", binary.toString(), "."),
        InteropProgram.resourceDir("interop/go/" + name), env, Duration.ofSeconds(180));
    assertTrue(build.ok(), () -> "go build failed: " + build.describe());
    System.out.println(name + ": built in " + build.took().toMillis() + " ms");
    return binary.toString();
  }
}
