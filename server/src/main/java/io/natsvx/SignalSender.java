package io.natsvx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code --signal CMD[=PID|PIDFILE]}: sends a running server the signal nats-server would
 * (stop=KILL, quit=INT, term=TERM, reopen=USR1, reload=HUP), except lame duck: nats-server uses
 * USR2, which in a JVM is the VM's own thread suspend signal (JFR's sampler sends it all the
 * time), so natsvx listens for PWR instead. Without a pid it looks for the one natsvx process.
 */
public final class SignalSender {

  static final Map<String, String> SIGNALS = Map.of(
      "ldm", "PWR", "stop", "KILL", "quit", "INT", "term", "TERM", "reopen", "USR1", "reload", "HUP");

  private SignalSender() {}

  /** Returns the process exit code; messages go to stderr. */
  public static int send(SignalRequest request) {
    String signal = SIGNALS.get(request.command());
    if (signal == null) {
      System.err.println("natsvx: unknown signal \"" + request.command() + "\"");
      return 1;
    }
    long pid;
    try {
      pid = resolvePid(request.pidOrFile());
    } catch (IllegalStateException | IOException e) {
      System.err.println("natsvx: " + e.getMessage());
      return 1;
    }
    try {
      Process p = new ProcessBuilder("kill", "-s", signal, Long.toString(pid)).inheritIO().start();
      int rc = p.waitFor();
      if (rc != 0) {
        System.err.println("natsvx: failed to send " + signal + " to " + pid);
      }
      return rc == 0 ? 0 : 1;
    } catch (IOException e) {
      System.err.println("natsvx: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  static long resolvePid(String pidOrFile) throws IOException {
    if (pidOrFile == null || pidOrFile.isEmpty()) {
      return findServer();
    }
    if (pidOrFile.chars().allMatch(Character::isDigit)) {
      return Long.parseLong(pidOrFile);
    }
    String content = Files.readString(Path.of(pidOrFile)).trim();
    try {
      return Long.parseLong(content);
    } catch (NumberFormatException e) {
      throw new IllegalStateException("could not parse pid file " + pidOrFile + ": \"" + content + "\"");
    }
  }

  private static long findServer() {
    long self = ProcessHandle.current().pid();
    List<ProcessHandle> found = ProcessHandle.allProcesses()
        .filter(p -> p.pid() != self)
        .filter(p -> isServer(p.info().commandLine()))
        .toList();
    if (found.isEmpty()) {
      throw new IllegalStateException("no natsvx processes running");
    }
    if (found.size() > 1) {
      StringBuilder sb = new StringBuilder("multiple natsvx processes running:");
      found.forEach(p -> sb.append('\n').append(p.pid()));
      throw new IllegalStateException(sb.toString());
    }
    return found.get(0).pid();
  }

  private static boolean isServer(Optional<String> commandLine) {
    return commandLine.map(c -> (c.contains("server-fat.jar") || c.contains(Main.class.getName()))
        && !c.contains("--signal") && !c.contains("-sl")).orElse(false);
  }
}
