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
 * An official NATS client in another language against natsvx, unchanged: a small program under
 * src/test/resources/interop/&lt;lang&gt; connects to the URL it is given, runs every scenario and
 * prints {@code ok <check> (...)} per passed check and a final {@code OK}, or stops at the first
 * {@code FAIL <check>: <reason>} with a non-zero exit code. The program runs once per class; each
 * test below asserts one check, so a report names the scenario that broke.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ClientInteropBase {

  /** The checks every program runs, in this order. */
  static final List<String> CHECKS = List.of("connect", "pubsub-wildcards", "queue-group", "request-reply",
      "no-responders", "headers", "auto-unsubscribe");

  static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);

  private TestServer server;
  private InteropProgram.Result result;
  private String skipReason;

  /** The language's directory name under interop/ and target/interop. */
  abstract String language();

  /**
   * Skips (JUnit assumptions) when the toolchain or client library is missing, builds the
   * program in work, and returns the command that runs it; the server URL is appended.
   */
  abstract List<String> prepare(Path work) throws Exception;

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
    server = TestServer.start();
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

  @Test
  void connectsAndSeesHeaderSupport() {
    assertCheck("connect");
  }

  /** Subscriptions with * and > (and both) receive exactly the subjects they match, in order. */
  @Test
  void wildcardSubscriptionsReceiveExactlyTheMatchingSubjects() {
    assertCheck("pubsub-wildcards");
  }

  /** 300 messages over 3 queue members: each message once, every member some; a plain subscriber gets all. */
  @Test
  void queueGroupDeliversEachMessageToExactlyOneMemberSpreadOverMembers() {
    assertCheck("queue-group");
  }

  /** Muxed and per-request inboxes, sequential and concurrent; the responder saw each request once. */
  @Test
  void requestReply() {
    assertCheck("request-reply");
  }

  /** A request to a subject without subscribers fails with the client's no-responders error, fast. */
  @Test
  void requestWithoutSubscribersFailsFastWithNoResponders() {
    assertCheck("no-responders");
  }

  /** Multi-value, case-preserving headers, header-only and header-less messages, headers in request/reply. */
  @Test
  void headersRoundTrip() {
    assertCheck("headers");
  }

  /** UNSUB with a maximum: the server sends exactly that many, then has no interest left. */
  @Test
  void autoUnsubscribeStopsAtTheMaximum() {
    assertCheck("auto-unsubscribe");
  }

  /** Every check passed in order, no async errors, a final OK and exit code 0 within the time bound. */
  @Test
  void programFinishesWithOkAndExitCodeZero() {
    assumeTrue(skipReason == null, skipReason);
    assertFalse(result.timedOut(), result::describe);
    assertEquals(0, result.code(), result::describe);
    List<String> lines = result.output().lines().filter(l -> !l.isBlank()).toList();
    List<String> checks = lines.stream().filter(l -> l.startsWith("ok ")).map(l -> l.substring(3).split(" ", 2)[0])
        .toList();
    assertEquals(CHECKS, checks, result::describe);
    assertTrue(lines.stream().noneMatch(l -> l.startsWith("FAIL")), result::describe);
    assertEquals("OK", lines.get(lines.size() - 1), result::describe);
  }
}
