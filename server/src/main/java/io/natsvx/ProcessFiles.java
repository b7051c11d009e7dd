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

  private final Path pidFile;
  private final Path portsFile;

  private ProcessFiles(Path pidFile, Path portsFile) {
    this.pidFile = pidFile;
    this.portsFile = portsFile;
  }

  static ProcessFiles write(ServerOptions o, int clientPort) throws IOException {
    long pid = ProcessHandle.current().pid();
    Path pidPath = null;
    if (o.pidFile() != null && !o.pidFile().isEmpty()) {
      pidPath = Path.of(o.pidFile());
      Files.writeString(pidPath, Long.toString(pid));
    }
    Path portsPath = null;
    if (o.portsFileDir() != null && !o.portsFileDir().isEmpty()) {
      String host = "0.0.0.0".equals(o.host()) ? "127.0.0.1" : o.host();
      JsonObject ports = new JsonObject().put("nats", new JsonArray().add("nats://" + host + ":" + clientPort));
      portsPath = Path.of(o.portsFileDir(), "natsvx_" + pid + ".ports");
      Files.writeString(portsPath, ports.encode());
    }
    return new ProcessFiles(pidPath, portsPath);
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
