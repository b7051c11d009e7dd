package io.natsvx.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Side-by-side checks with an installed nats-server: what it says about a config file
 * ({@code -t -c}) or about flags that it refuses before starting. Each check is skipped
 * (assumption) when nats-server is not installed, or older than the version a key needs.
 */
public final class NatsServerCheck {

  private static volatile int[] version;

  private NatsServerCheck() {}

  /** nats-server -t accepts the file. */
  static void assertAccepts(Path conf) throws IOException, InterruptedException {
    String out = run("-t", "-c", conf.toString());
    assertTrue(out.contains("is valid"), "nats-server said: " + out);
  }

  /** nats-server -t accepts the file, when it is at least {@code since} ("2.11.0"). */
  static void assertAccepts(Path conf, String since) throws IOException, InterruptedException {
    assumeTrue(atLeast(since), "nats-server older than " + since);
    assertAccepts(conf);
  }

  /** nats-server -t refuses the file with a message containing {@code fragment}. */
  static void assertRejects(Path conf, String fragment) throws IOException, InterruptedException {
    String out = run("-t", "-c", conf.toString());
    assertFalse(out.contains("is valid"), "nats-server accepted it: " + out);
    assertTrue(out.contains(fragment), "nats-server said: " + out);
  }

  /**
   * Runs nats-server with arguments that make it stop at once (-t, or flags it refuses) and
   * returns what it printed; fails if it keeps running.
   */
  public static String run(String... args) throws IOException, InterruptedException {
    Path bin = binary();
    assumeTrue(bin != null, "nats-server not installed");
    List<String> cmd = new ArrayList<>(List.of(bin.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    boolean done = p.waitFor(20, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly();
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(done, "nats-server kept running: " + out);
    return out.trim();
  }

  /** Whether the installed nats-server is at least {@code v} ("2.10.4"); false when absent. */
  static boolean atLeast(String v) throws IOException, InterruptedException {
    int[] have = version();
    if (have == null) {
      return false;
    }
    String[] want = v.split("\\.");
    for (int i = 0; i < 3; i++) {
      int w = Integer.parseInt(want[i]);
      if (have[i] != w) {
        return have[i] > w;
      }
    }
    return true;
  }

  private static int[] version() throws IOException, InterruptedException {
    if (version == null && binary() != null) {
      // "nats-server: v2.9.10"
      Matcher m = Pattern.compile("v(\\d+)\\.(\\d+)\\.(\\d+)").matcher(run("--version"));
      if (m.find()) {
        version = new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
            Integer.parseInt(m.group(3))};
      }
    }
    return version;
  }

  static Path binary() {
    // The Debian package installs into /usr/sbin, which a user's PATH may lack.
    String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin"
        + File.pathSeparator + "/usr/local/bin";
    for (String d : path.split(File.pathSeparator)) {
      if (d.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(d, "nats-server");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
