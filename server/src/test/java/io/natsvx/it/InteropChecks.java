package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.opentest4j.TestAbortedException;

/**
 * A program using an official NATS client in another language, run once per class against
 * natsvx: it connects to the URL it is given, runs every scenario and prints
 * {@code ok <check> (...)} per passed check and a final {@code OK}, or stops at the first
 * {@code FAIL <check>: <reason>} with a non-zero exit code. Each test of a subclass asserts one
 * check, so a report names the scenario that broke.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class InteropChecks {

  static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);

  private TestServer server;
  private InteropProgram.Result result;
  private String skipReason;

  /** The directory name under target/interop. */
  abstract String language();

  /** The checks the program runs, in this order. */
  abstract List<String> checks();

  /**
   * Skips (JUnit assumptions) when the toolchain or client library is missing, builds the
   * program in work, and returns the command that runs it; the server URL is appended.
   */
  abstract List<String> prepare(Path work) throws Exception;

  /** The server the program talks to. */
  TestServer startServer() throws Exception {
    return TestServer.start();
  }

  /** Extra environment for running the program. */
  Map<String, String> runEnvironment(Path work) {
    return Map.of();
  }

  @BeforeAll
  void buildAndRun() throws Exception {
    Path work = InteropProgram.workDir(language());
    List<String> command;
    try {
      command = new ArrayList<>(prepare(work));
    } catch (TestAbortedException missingTool) {
      // Reported by every test rather than by the class, so reports count them as skipped.
      skipReason = missingTool.getMessage().replaceFirst("^Assumption failed: ", "");
      return;
    }
    server = startServer();
    command.add(server.url());
    result = InteropProgram.run(command, work, runEnvironment(work), RUN_TIMEOUT);
    System.out.println(getClass().getSimpleName() + ": " + result.describe());
  }

  @AfterAll
  void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  /** Passes when the program printed {@code ok <check>}; otherwise fails with what it printed instead. */
  void assertCheck(String check) {
    assumeTrue(skipReason == null, skipReason);
    List<String> lines = result.output().lines().toList();
    for (String line : lines) {
      if (line.equals("ok " + check) || line.startsWith("ok " + check + " (")) {
        return;
      }
    }
    for (String line : lines) {
      if (line.startsWith("FAIL " + check + ":")) {
        fail(language() + " client: " + line + "\n" + result.describe());
      }
    }
    fail(language() + " client never reached check '" + check + "'\n" + result.describe());
  }

  /** Every check passed in order, no async errors, a final OK and exit code 0 within the time bound. */
  @Test
  void programFinishesWithOkAndExitCodeZero() {
    assumeTrue(skipReason == null, skipReason);
    assertFalse(result.timedOut(), result::describe);
    assertEquals(0, result.code(), result::describe);
    List<String> lines = result.output().lines().filter(l -> !l.isBlank()).toList();
    List<String> passed = lines.stream().filter(l -> l.startsWith("ok ")).map(l -> l.substring(3).split(" ", 2)[0])
        .toList();
    assertEquals(checks(), passed, result::describe);
    assertTrue(lines.stream().noneMatch(l -> l.startsWith("FAIL")), result::describe);
    assertEquals("OK", lines.get(lines.size() - 1), result::describe);
  }
}
