package io.natsvx.it;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Child processes for the client interop tests: tools on PATH, bounded runs, captured output. */
final class InteropProgram {

  private InteropProgram() {}

  /** Output (stdout and stderr interleaved) and exit code of a finished or timed-out process. */
  record Result(List<String> command, int code, boolean timedOut, String output, Duration took) {

    boolean ok() {
      return !timedOut && code == 0;
    }

    String describe() {
      return String.join(" ", command) + "\n" + (timedOut ? "timed out after " : "exit code " + code + " after ")
          + took.toMillis() + " ms; output:\n" + output;
    }
  }

  /** An executable of that name on PATH, or null. */
  static String onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File f = new File(dir, name);
      if (!dir.isEmpty() && f.isFile() && f.canExecute()) {
        return f.getAbsolutePath();
      }
    }
    return null;
  }

  /** A test resource directory (as copied to target/test-classes) on the file system. */
  static Path resourceDir(String name) throws URISyntaxException {
    URL url = InteropProgram.class.getResource("/" + name);
    if (url == null || !"file".equals(url.getProtocol())) {
      throw new IllegalStateException("test resource " + name + " not found as a directory: " + url);
    }
    return Path.of(url.toURI());
  }

  /** A fresh-or-reused scratch directory under target/interop (never under src). */
  static Path workDir(String name) throws IOException {
    Path dir = Path.of("target", "interop", name).toAbsolutePath();
    Files.createDirectories(dir);
    return dir;
  }

  /** Runs command in dir with extra environment, killing it (and its children) once timeout has passed. */
  static Result run(List<String> command, Path dir, Map<String, String> env, Duration timeout) throws Exception {
    Path out = Files.createTempFile("natsvx-interop-", ".out");
    try {
      ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      pb.environment().putAll(env);
      long start = System.nanoTime();
      Process p = pb.start();
      boolean finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!finished) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      String output = Files.readString(out, StandardCharsets.UTF_8);
      return new Result(command, finished ? p.exitValue() : -1, !finished, output, took);
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
