package io.natsvx.it;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A server as a child process on a free port: the reference nats-server (absent means tests
 * skip) or natsvx's own Main, so a test can put both through the same signals.
 */
public final class NatsServerProcess implements AutoCloseable {

  private final Process process;
  private final int port;

  private NatsServerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  public static String binary() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File f = new File(dir, "nats-server");
      if (f.canExecute()) {
        return f.getAbsolutePath();
      }
    }
    return null;
  }

  static boolean available() {
    return binary() != null;
  }

  static NatsServerProcess start(String... extraArgs) throws Exception {
    return start(List.of(binary()), extraArgs);
  }

  /** natsvx in a JVM of its own, with the same flags. */
  static NatsServerProcess natsvx(String... extraArgs) throws Exception {
    return start(List.of(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "io.natsvx.Main"), extraArgs);
  }

  private static NatsServerProcess start(List<String> command, String... extraArgs) throws Exception {
    int port = freePort();
    List<String> cmd = new ArrayList<>(command);
    cmd.addAll(List.of("-a", "127.0.0.1", "-p", Integer.toString(port)));
    cmd.addAll(List.of(extraArgs));
    File log = File.createTempFile("nats-server", ".log");
    log.deleteOnExit();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
    NatsServerProcess server = new NatsServerProcess(p, port);
    try {
      Await.until(command.get(0) + " to listen", java.time.Duration.ofSeconds(30), () -> {
        if (!p.isAlive()) {
          throw new AssertionError(command.get(0) + " exited with " + p.exitValue() + ": "
              + java.nio.file.Files.readString(log.toPath()));
        }
        try (Socket s = new Socket("127.0.0.1", port)) {
          return true;
        }
      });
    } catch (AssertionError e) {
      server.close();
      throw e;
    }
    return server;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  int port() {
    return port;
  }

  String url() {
    return "nats://127.0.0.1:" + port;
  }

  /** SIGKILL: no shutdown, nothing flushed that was not already. */
  void kill() throws Exception {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM, waiting for the exit. */
  @Override
  public void close() throws Exception {
    process.destroy();
    process.waitFor();
  }
}
