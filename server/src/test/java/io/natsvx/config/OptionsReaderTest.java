package io.natsvx.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OptionsReaderTest extends ConfigFileTest {

  private ConfigLoad load(String conf) throws Exception {
    return OptionsReader.load(write("t.conf", conf));
  }

  private ServerOptions options(String conf) throws Exception {
    ConfigLoad l = load(conf);
    assertEquals(List.of(), l.warnings());
    return l.options();
  }

  // ---- each key ----

  @Test
  void emptyFileGivesDefaults() throws Exception {
    ServerOptions o = options("# nothing\n");
    ServerOptions d = ServerOptions.defaults();
    assertEquals(d.host(), o.host());
    assertEquals(d.port(), o.port());
    assertEquals(d.maxPayload(), o.maxPayload());
    assertEquals(d.pingInterval(), o.pingInterval());
    assertEquals(dir.resolve("t.conf").toString(), o.configFile());
  }

  @Test
  void hostPortAndAliases() throws Exception {
    ServerOptions o = options("host: 127.0.0.1\nport: 4333\n");
    assertEquals("127.0.0.1", o.host());
    assertEquals(4333, o.port());
    assertEquals("::1", options("net: \"::1\"\n").host());
  }

  @Test
  void listenSetsHostAndPort() throws Exception {
    ServerOptions o = options("listen: 127.0.0.1:4555\n");
    assertEquals("127.0.0.1", o.host());
    assertEquals(4555, o.port());
    ServerOptions v6 = options("listen: \"[::1]:4556\"\n");
    assertEquals("::1", v6.host());
    assertEquals(4556, v6.port());
    ServerOptions portOnly = options("host: 10.0.0.1\nlisten: 4557\n");
    assertEquals("10.0.0.1", portOnly.host());
    assertEquals(4557, portOnly.port());
    ServerOptions anyHost = options("listen: \":4558\"\n");
    assertEquals(Defaults.HOST, anyHost.host());
    assertEquals(4558, anyHost.port());
  }

  @Test
  void portZeroIsDefaultAndMinusOneIsRandom() throws Exception {
    // nats-server: 0 means the default port, -1 a random one.
    assertEquals(Defaults.PORT, options("port: 0\n").port());
    assertEquals(0, options("port: -1\n").port());
    assertEquals(0, options("listen: \"localhost:-1\"\n").port());
  }

  @Test
  void serverNameAndFiles() throws Exception {
    ServerOptions o = options("server_name: srv-1\npid_file: /tmp/n.pid\nports_file_dir: /tmp\n"
        + "log_file: /tmp/n.log\n");
    assertEquals("srv-1", o.serverName());
    assertEquals("/tmp/n.pid", o.pidFile());
    assertEquals("/tmp", o.portsFileDir());
    assertEquals("/tmp/n.log", o.logFile());
    ServerOptions aliases = options("pidfile: a.pid\nlogfile: a.log\n");
    assertEquals("a.pid", aliases.pidFile());
    assertEquals("a.log", aliases.logFile());
  }

  @Test
  void limits() throws Exception {
    ServerOptions o = options("max_payload: 2MB\nmax_control_line: 8KB\nmax_connections: 100\n"
        + "max_subscriptions: 50\nmax_pending: 32MB\nping_max: 5\n");
    assertEquals(2 * 1024 * 1024, o.maxPayload());
    assertEquals(8192, o.maxControlLine());
    assertEquals(100, o.maxConnections());
    assertEquals(50, o.maxSubscriptions());
    assertEquals(32L * 1024 * 1024, o.maxPending());
    assertEquals(5, o.pingMax());
    ServerOptions aliases = options("max_conn: 7\nmax_subs: 8\n");
    assertEquals(7, aliases.maxConnections());
    assertEquals(8, aliases.maxSubscriptions());
    assertEquals(1000, options("max_payload: 1K\n").maxPayload());
  }

  @Test
  void zeroLimitsMeanDefaults() throws Exception {
    ServerOptions o = options("max_payload: 0\nmax_control_line: 0\nmax_connections: 0\n"
        + "max_pending: 0\nping_max: 0\nping_interval: \"0s\"\nwrite_deadline: \"0s\"\n");
    assertEquals(Defaults.MAX_PAYLOAD, o.maxPayload());
    assertEquals(Defaults.MAX_CONTROL_LINE, o.maxControlLine());
    assertEquals(Defaults.MAX_CONNECTIONS, o.maxConnections());
    assertEquals(Defaults.MAX_PENDING, o.maxPending());
    assertEquals(Defaults.PING_MAX, o.pingMax());
    assertEquals(Defaults.PING_INTERVAL, o.pingInterval());
    assertEquals(Defaults.WRITE_DEADLINE, o.writeDeadline());
  }

  @Test
  void durations() throws Exception {
    ServerOptions o = options("ping_interval: \"30s\"\nwrite_deadline: \"1.5s\"\n"
        + "lame_duck_duration: \"1m30s\"\nlame_duck_grace_period: \"5s\"\n");
    assertEquals(Duration.ofSeconds(30), o.pingInterval());
    assertEquals(Duration.ofMillis(1500), o.writeDeadline());
    assertEquals(Duration.ofSeconds(90), o.lameDuckDuration());
    assertEquals(Duration.ofSeconds(5), o.lameDuckGracePeriod());
  }

  @Test
  void integerDurationsAreSecondsWithAWarning() throws Exception {
    ConfigLoad l = load("port: 1\nping_interval: 20\nwrite_deadline: 3\n");
    assertEquals(Duration.ofSeconds(20), l.options().pingInterval());
    assertEquals(Duration.ofSeconds(3), l.options().writeDeadline());
    assertEquals(2, l.warnings().size());
    assertEquals(where(2) + ": invalid use of field \"ping_interval\": ping_interval should be "
        + "converted to a duration such as \"20s\"; read as 20 seconds", l.warnings().get(0));
  }

  @Test
  void unquotedSuffixDurationIsANumberLikeInNatsServer() throws Exception {
    // nats.conf reads unquoted 2m as 2,000,000; nats-server then takes it as seconds.
    ConfigLoad l = load("ping_interval: 2m\n");
    assertEquals(Duration.ofSeconds(2_000_000), l.options().pingInterval());
    assertTrue(l.warnings().get(0).contains("unquoted 2m is the number 2000000; write \"2m\""),
        l.warnings().get(0));
  }

  @Test
  void booleans() throws Exception {
    ServerOptions o = options("debug: true\ntrace: yes\nlogtime: off\nno_header_support: on\n");
    assertTrue(o.debug());
    assertTrue(o.trace());
    assertEquals(false, o.logtime());
    assertTrue(o.noHeaderSupport());
    assertTrue(options("trace_verbose: true\n").trace());
  }

  @Test
  void monitoringPort() throws Exception {
    assertEquals(8222, options("http_port: 8222\n").httpPort());
    assertEquals(8223, options("monitor_port: 8223\n").httpPort());
    assertEquals(-1, options("http_port: -1\n").httpPort());
    ServerOptions http = options("http: localhost:8224\n");
    assertEquals(8224, http.httpPort());
    assertEquals("localhost", http.httpHost());
    ServerOptions portOnly = options("http: 8225\n");
    assertEquals(8225, portOnly.httpPort());
    assertNull(portOnly.httpHost());
  }

  @Test
  void eventLoops() throws Exception {
    assertEquals(4, options("event_loops: 4\n").eventLoops());
    assertEquals(0, options("event_loops: 0\n").eventLoops());
    assertEquals(List.of(where(1) + ": event_loops: must be 0 (one per core) or more, got -1"),
        errors("event_loops: -1\n"));
  }

  @Test
  void keysAreCaseInsensitive() throws Exception {
    ServerOptions o = options("PORT: 4777\nMax_Payload: 2KB\n");
    assertEquals(4777, o.port());
    assertEquals(2048, o.maxPayload());
  }

  @Test
  void readAppliesOnTopOfABase() throws Exception {
    ConfNode root = ConfParser.parseString("port: 4888\n", "s.conf");
    ConfigLoad l = OptionsReader.read(root, ServerOptions.builder().serverName("keep").debug(true));
    assertEquals(4888, l.options().port());
    assertEquals("keep", l.options().serverName());
    assertTrue(l.options().debug());
  }

  // ---- errors and warnings ----

  @Test
  void maxPayloadAboveMaxPendingIsAnError() throws Exception {
    assertEquals(List.of(where(2) + ": max_payload: max_payload (104857600) cannot be higher than "
            + "max_pending (67108864)"),
        errors("port: 1\nmax_payload: 100MB\n"));
    // Allowed when max_pending is raised too, with nats-server's warning above 8 MB.
    ConfigLoad l = load("max_payload: 100MB\nmax_pending: 200MB\n");
    assertEquals(100 * 1024 * 1024, l.options().maxPayload());
    assertEquals(List.of(where(1) + ": max_payload: Maximum payloads over 8.00 MB are generally "
        + "discouraged and could lead to poor performance"), l.warnings());
  }

  @Test
  void tooBigValues() throws Exception {
    assertEquals(List.of(where(1) + ": max_payload: max_payload value is too big"),
        errors("max_payload: 3GB\n"));
    assertEquals(List.of(where(1) + ": max_control_line: max_control_line value is too big"),
        errors("max_control_line: 3GB\n"));
    assertEquals(List.of(where(1) + ": port: 70000 is out of range (-1 to 65535)"),
        errors("port: 70000\n"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"allow_non_tls: true", "ocsp: true",
      "ocsp { mode: always }",
      "mqtt { port: 1883 }", "resolver_tls { }",
      "trusted_keys: [x]", "mappings { a: b }"})
  void featuresNotBuiltYetAreErrors(String line) throws Exception {
    String key = line.split("[ :]")[0];
    assertEquals(List.of(where(2) + ": " + key + ": not supported yet"),
        errors("port: 4222\n" + line + "\n"));
  }

  @Test
  void theClusterBlock() throws Exception {
    ConfigLoad l = load("cluster {\n  name: east\n  listen: 127.0.0.1:6333\n"
        + "  authorization { user: ru, password: rp, timeout: 3 }\n"
        + "  routes: [nats-route://a:6222, \"nats-route://b:6222\", nats-route://a:6222]\n"
        + "  advertise: \"ext:7000\"\n  no_advertise: true\n  connect_retries: 4\n}\n"
        + "client_advertise: \"c.example:4222\"\n");
    ClusterOptions c = l.options().cluster();
    assertEquals("east", c.name());
    assertEquals("127.0.0.1", c.host());
    assertEquals(6333, c.port());
    assertEquals("ru", c.user());
    assertEquals("rp", c.password());
    assertEquals(Duration.ofSeconds(3), c.authTimeout());
    assertEquals(2, c.routes().size());
    assertEquals("ext:7000", c.advertise());
    assertTrue(c.noAdvertise());
    assertEquals(4, c.connectRetries());
    assertEquals("c.example:4222", l.options().clientAdvertise());
    assertEquals(where(5) + ": nats-route://a:6222: Duplicate route entry detected", l.warnings().get(1));
  }

  @Test
  void clusterBlockErrorsNameTheLine() throws Exception {
    assertEquals(List.of(where(2) + ": authorization: Cluster authorization does not support tokens",
            where(3) + ": routes: error parsing route url [\"not a url\"]",
            where(4) + ": name: cluster name cannot contain spaces or new lines"),
        errors("cluster {\n  authorization { token: t }\n  routes: [\"not a url\"]\n  name: \"a b\"\n}\n"));
  }

  @Test
  void unknownKeysAreWarnings() throws Exception {
    ConfigLoad l = load("port: 1\nfoo: bar\nmy_block { a: 1 }\n");
    assertEquals(List.of(where(2) + ": unknown field \"foo\" (ignored)",
        where(3) + ": unknown field \"my_block\" (ignored)"), l.warnings());
  }

  @Test
  void keysUsedAsVariablesAreNotUnknown() throws Exception {
    ConfigLoad l = load("MY_PORT: 4999\nport: $MY_PORT\n");
    assertEquals(4999, l.options().port());
    assertEquals(List.of(), l.warnings());
  }

  @Test
  void knownButIgnoredNatsKeysAreWarnings() throws Exception {
    ConfigLoad l = load("syslog: true\n");
    assertEquals(List.of(where(1) + ": syslog: not supported yet, ignored"), l.warnings());
  }

  @Test
  void wrongTypesNameFileLineAndKey() throws Exception {
    List<String> e = errors("port: \"abc\"\nhost: 5\ndebug: 1\nmax_payload: [1]\n"
        + "ping_interval: 1.5\nlame_duck_duration: 60\nlisten: {a: 1}\nserver_name: true\n");
    assertEquals(List.of(
        where(1) + ": port: expected an integer, got a string \"abc\"",
        where(2) + ": host: expected a string, got an integer (5)",
        where(3) + ": debug: expected a boolean, got an integer (1)",
        where(4) + ": max_payload: expected a size such as 1048576 or 1MB, got a list",
        where(5) + ": ping_interval: expected a duration such as \"2m\" or \"10s\", got a float (1.5)",
        where(6) + ": lame_duck_duration: expected a duration such as \"2m\" or \"10s\", got an integer (60)",
        where(7) + ": listen: expected port or host:port, got a map",
        where(8) + ": server_name: expected a string, got a boolean (true)"), e);
  }

  @Test
  void badValues() throws Exception {
    List<String> e = errors("listen: \"nohost\"\nhttp: \"h:x\"\nping_interval: \"5d\"\n"
        + "write_deadline: \"abc\"\nlame_duck_duration: \"10s\"\nlame_duck_grace_period: \"-1s\"\n"
        + "max_pending: \"lots\"\n");
    assertEquals(List.of(
        where(1) + ": listen: could not parse address string \"nohost\"",
        where(2) + ": http: could not parse port \"x\"",
        where(3) + ": ping_interval: error parsing ping_interval: time: unknown unit \"d\" in duration \"5d\"",
        where(4) + ": write_deadline: error parsing write_deadline: time: invalid duration \"abc\"",
        where(5) + ": lame_duck_duration: invalid lame_duck_duration of 10s, minimum is 30 seconds",
        where(6) + ": lame_duck_grace_period: invalid lame_duck_grace_period, needs to be positive",
        where(7) + ": max_pending: expected integer, but got 'lots'"), e);
  }

  @Test
  void graceMustBeBelowLameDuckDuration() throws Exception {
    assertEquals(List.of(where(1) + ": lame_duck_duration: lame duck grace period (1m0s) should be "
            + "strictly lower than lame duck duration (40s)"),
        errors("lame_duck_duration: \"40s\"\nlame_duck_grace_period: \"1m\"\n"));
  }

  @Test
  void allErrorsAreCollectedAndWarningsKept() throws Exception {
    ConfigException e = assertThrows(ConfigException.class,
        () -> load("port: x\nfoo: 1\nmqtt { }\ndebug: 7\n"));
    assertEquals(3, e.errors().size(), e.getMessage());
    assertEquals(String.join("\n", e.errors()), e.getMessage());
    assertEquals(List.of(where(2) + ": unknown field \"foo\" (ignored)"), e.warnings());
  }

  @Test
  void errorsInIncludedFilesNameThatFile() throws Exception {
    Path inc = write("inc.conf", "\n\nport: nope\n");
    Path main = write("main.conf", "include inc.conf\n");
    ConfigException e = assertThrows(ConfigException.class, () -> OptionsReader.load(main));
    assertEquals(List.of(inc + ":3: port: expected an integer, got a string \"nope\""), e.errors());
  }

  // ---- YAML through the same reader ----

  @Test
  void yamlFilesUseTheSameKeysAndUnits() throws Exception {
    Path f = write("t.yaml", "port: 4999\nmax_payload: 2MB\nping_interval: 2m\n"
        + "write_deadline: 5s\nlame_duck_duration: 1m\ndebug: yes\nlisten_extra: 1\n");
    ConfigLoad l = OptionsReader.load(f);
    ServerOptions o = l.options();
    assertEquals(4999, o.port());
    assertEquals(2 * 1024 * 1024, o.maxPayload());
    assertEquals(Duration.ofMinutes(2), o.pingInterval());
    assertEquals(Duration.ofSeconds(5), o.writeDeadline());
    assertEquals(Duration.ofMinutes(1), o.lameDuckDuration());
    assertTrue(o.debug());
    assertEquals(List.of(f + ":7: unknown field \"listen_extra\" (ignored)"), l.warnings());
  }

  @Test
  void yamlErrorsNameFileLineAndKey() throws Exception {
    Path f = write("t.yml", "port: 1\n\ngateway:\n  port: 7222\nmax_payload: lots\n");
    ConfigException e = assertThrows(ConfigException.class, () -> OptionsReader.load(f));
    assertEquals(List.of(f + ":3: gateway: gateway has no name",
        f + ":5: max_payload: expected integer, but got 'lots'"), e.errors());
  }

  @Test
  void httpsPort() throws Exception {
    assertEquals(8443, load("https_port: 8443\n").options().httpsPort());
  }

  @Test
  void pluginsDirAndConfigBlocks() throws Exception {
    ServerOptions o = load("plugins_dir: /opt/plugins\nplugins { b { x: 1 }, a { y: [1, 2], z: { w: true } } }\n"
        + "authorization { authenticators: [a, b] }\n").options();
    assertEquals("/opt/plugins", o.pluginsDir());
    assertEquals(List.of("b", "a"), List.copyOf(o.pluginConfigs().keySet()));
    assertEquals(1L, o.pluginConfigs().get("b").getLong("x"));
    assertEquals(true, o.pluginConfigs().get("a").getJsonObject("z").getBoolean("w"));
    assertEquals(List.of("a", "b"), o.authenticators());
  }
}
