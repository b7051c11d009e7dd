package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as users run it: a child JVM, flags, config files, signals, exit codes. */
class ProcessIT {

  @TempDir
  Path dir;

  record Result(int code, String out, String err) {}

  private static List<String> java(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("io.natsvx.Main");
    cmd.addAll(List.of(args));
    return cmd;
  }

  private Result run(String... args) throws Exception {
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Process p = new ProcessBuilder(java(args)).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "exits");
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void versionAndHelp() throws Exception {
    Result v = run("-v");
    assertEquals(0, v.code());
    assertTrue(v.out().startsWith("natsvx: v"), v.out());
    Result h = run("--help");
    assertEquals(0, h.code());
    assertTrue(h.out().contains("-p, --port"), h.out());
  }

  @Test
  void passwdHashesForTheConfig() throws Exception {
    Result r = run("passwd", "--pass", "s3cret", "--cost", "4");
    assertEquals(0, r.code(), r.err());
    String hash = r.out().trim();
    assertTrue(hash.startsWith("$2a$04$"), hash);
    assertTrue(io.natsvx.auth.Passwords.check(hash, "s3cret"));
    assertFalse(io.natsvx.auth.Passwords.check(hash, "other"));
    assertEquals(2, run("passwd", "--cost", "99").code());
  }

  @Test
  void badFlags() throws Exception {
    Result unknown = run("--bogus");
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().contains("flag provided but not defined: -bogus"), unknown.err());
    Result later = run("--profile", "6060");
    assertEquals(1, later.code());
    assertTrue(later.err().contains("--profile is not supported yet"), later.err());
    Result routesAlone = run("--routes", "nats-route://127.0.0.1:6222");
    assertEquals(1, routesAlone.code());
    assertEquals("natsvx: solicited routes require cluster capabilities, e.g. --cluster\n", routesAlone.err());
    Result tlsWithoutCert = run("--tls");
    assertEquals(1, tlsWithoutCert.code());
    assertTrue(tlsWithoutCert.err().contains("TLS Server certificate must be present and valid"), tlsWithoutCert.err());
  }

  @Test
  void testConfigReportsFileLineAndKey() throws Exception {
    Path bad = dir.resolve("bad.conf");
    Files.writeString(bad, "port: 4222\nmax_payload: \"lots\"\n");
    Result r = run("-t", "-c", bad.toString());
    assertEquals(1, r.code());
    assertTrue(r.err().contains(bad + ":2") && r.err().contains("max_payload"), r.err());
    assertFalse(r.err().contains("Exception"), "no stack trace: " + r.err());

    Result ok = run("-t", "-c", Path.of("..", "conf", "nats.conf").toString());
    assertEquals(0, ok.code(), ok.err());
    assertTrue(ok.err().contains("is valid"), ok.err());
    Result yaml = run("-t", "-conf", Path.of("..", "conf", "nats.yaml").toString());
    assertEquals(0, yaml.code(), yaml.err());
  }

  @Test
  void reloadLameDuckAndExit() throws Exception {
    int port = NatsServerProcess.freePort();
    Path conf = dir.resolve("server.conf");
    Path pid = dir.resolve("natsvx.pid");
    Files.writeString(conf, "max_payload: 2KB\nlame_duck_grace_period: 1s\nlame_duck_duration: 30s\n");
    Process server = new ProcessBuilder(java("-c", conf.toString(), "-a", "127.0.0.1", "-p", Integer.toString(port),
        "-P", pid.toString(), "--ports_file_dir", dir.toString()))
        .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
    try {
      awaitPort(port, server);
      assertEquals(Long.toString(server.pid()), Files.readString(pid).trim());
      Path ports = dir.resolve("natsvx_" + server.pid() + ".ports");
      Await.until("the ports file", () -> Files.exists(ports) && Files.size(ports) > 0);
      assertTrue(new JsonObject(Files.readString(ports)).getJsonArray("nats").getString(0).endsWith(":" + port));
      assertEquals(2048, info(port).getInteger("max_payload"));

      // SIGHUP through --signal reload=<pid file>: the new limit applies to new connections.
      Files.writeString(conf, "max_payload: 4KB\nlame_duck_grace_period: 1s\nlame_duck_duration: 30s\n");
      assertEquals(0, run("--signal", "reload=" + pid).code());
      awaitInfo(port, 4096);

      // Lame duck: the client is told, then closed; the server exits cleanly.
      try (RawClient c = RawClient.connect(port)) {
        c.send("CONNECT {\"verbose\":false,\"protocol\":1}\r\n").sync();
        assertEquals(0, run("--signal", "ldm=" + server.pid()).code());
        String info = c.expect("INFO .*");
        assertTrue(new JsonObject(info.substring(5).trim()).getBoolean("ldm"), info);
        assertTrue(c.isClosedByServer(10_000));
      }
      assertTrue(server.waitFor(20, TimeUnit.SECONDS), "exits after lame duck");
      assertEquals(0, server.exitValue());
      assertFalse(Files.exists(pid), "pid file removed");
      assertFalse(Files.exists(ports), "ports file removed");
      String log = Files.readString(dir.resolve("server.log"));
      assertTrue(log.contains("[INF] Reloaded server configuration"), log);
      assertTrue(log.contains("lame duck"), log);
    } finally {
      server.destroyForcibly();
    }
  }

  @Test
  void sigtermExitsZero() throws Exception {
    int port = NatsServerProcess.freePort();
    Process server = new ProcessBuilder(java("-a", "127.0.0.1", "-p", Integer.toString(port)))
        .redirectErrorStream(true).redirectOutput(dir.resolve("term.log").toFile()).start();
    try {
      awaitPort(port, server);
      Path log = dir.resolve("term.log");
      Await.until("Server is ready in the log", Duration.ofSeconds(20),
          () -> Files.readString(log).contains("Server is ready"));
      server.destroy(); // SIGTERM
      assertTrue(server.waitFor(20, TimeUnit.SECONDS));
      assertEquals(0, server.exitValue());
      assertTrue(Files.readString(dir.resolve("term.log")).contains("Server Exiting"));
    } finally {
      server.destroyForcibly();
    }
  }

  private static JsonObject info(int port) throws IOException {
    try (RawClient c = new RawClient(port)) {
      return new JsonObject(c.readLine().substring(5).trim());
    }
  }

  private static void awaitInfo(int port, int maxPayload) {
    Await.until("the reload's max_payload " + maxPayload, () -> info(port).getInteger("max_payload") == maxPayload);
  }

  private static void awaitPort(int port, Process p) {
    Await.until("the server to listen", Duration.ofSeconds(30), () -> {
      assertTrue(p.isAlive(), "server died");
      try (Socket s = new Socket("127.0.0.1", port)) {
        return true;
      }
    });
  }

}
