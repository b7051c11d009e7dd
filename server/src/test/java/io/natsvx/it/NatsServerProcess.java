package io.natsvx.it;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/** The reference nats-server as a child process on a free port; absent means tests skip. */
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
    int port = freePort();
    List<String> cmd = new ArrayList<>(List.of(binary(), "-a", "127.0.0.1", "-p", Integer.toString(port)));
    cmd.addAll(List.of(extraArgs));
    File log = File.createTempFile("nats-server", ".log");
    log.deleteOnExit();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
    NatsServerProcess server = new NatsServerProcess(p, port);
    try {
      Await.until("nats-server to listen", () -> {
        if (!p.isAlive()) {
          throw new AssertionError("nats-server exited with " + p.exitValue() + ": "
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

  @Override
  public void close() throws Exception {
    process.destroy();
    process.waitFor();
  }
}
