package io.natsvx;

import io.natsvx.config.ServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The pid file ({@code pid_file}) and the ports file ({@code ports_file_dir}/natsvx_PID.ports,
 * JSON like nats-server's), written at start and removed at exit. Called from the main thread.
 */
final class ProcessFiles {

  private final long pid = ProcessHandle.current().pid();
  private Path pidFile;
  private Path portsFile;

  /** The pid file goes out before the server listens, so whoever sees the port finds it. */
  void writePid(ServerOptions o) throws IOException {
    if (o.pidFile() != null && !o.pidFile().isEmpty()) {
      pidFile = Path.of(o.pidFile());
      Files.writeString(pidFile, Long.toString(pid));
    }
  }

  void writePorts(ServerOptions o, int clientPort) throws IOException {
    if (o.portsFileDir() != null && !o.portsFileDir().isEmpty()) {
      String host = "0.0.0.0".equals(o.host()) ? "127.0.0.1" : o.host();
      JsonObject ports = new JsonObject().put("nats", new JsonArray().add("nats://" + host + ":" + clientPort));
      portsFile = Path.of(o.portsFileDir(), "natsvx_" + pid + ".ports");
      Files.writeString(portsFile, ports.encode());
    }
  }

  void remove() {
    for (Path p : new Path[] {pidFile, portsFile}) {
      if (p != null) {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // best effort at exit
        }
      }
    }
  }
}
