package io.natsvx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsvx.config.AuthOptions;
import io.natsvx.config.AuthorizationReader;
import io.natsvx.config.ClusterOptions;
import io.natsvx.config.Defaults;
import io.natsvx.config.OptionsReader;
import io.natsvx.config.ServerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandLineTest {

  @TempDir Path dir;

  private static CommandLine parse(String... args) throws CommandLineException {
    return CommandLine.parse(args);
  }

  private static ServerOptions apply(String... args) throws CommandLineException {
    return parse(args).applyTo(ServerOptions.builder()).build();
  }

  private static CommandLineException fails(String... args) {
    return assertThrows(CommandLineException.class, () -> parse(args));
  }

  @Test
  void noArguments() throws Exception {
    CommandLine cl = parse();
    assertNull(cl.configFile());
    assertFalse(cl.testConfig());
    assertNull(cl.signal());
    assertFalse(cl.help());
    assertFalse(cl.version());
    assertEquals(ServerOptions.defaults().port(), apply().port());
  }

  @Test
  void allFourValueSpellingsOfGoFlags() throws Exception {
    assertEquals(1111, apply("-p", "1111").port());
    assertEquals(1112, apply("-p=1112").port());
    assertEquals(1113, apply("--port", "1113").port());
    assertEquals(1114, apply("--port=1114").port());
  }

  @Test
  void serverOptionFlags() throws Exception {
    ServerOptions o = apply("-a", "127.0.0.1", "-n", "srv", "-P", "/tmp/x.pid", "-m", "8222",
        "-l", "/tmp/x.log", "--ports_file_dir", "/tmp");
    assertEquals("127.0.0.1", o.host());
    assertEquals("srv", o.serverName());
    assertEquals("/tmp/x.pid", o.pidFile());
    assertEquals(8222, o.httpPort());
    assertEquals("/tmp/x.log", o.logFile());
    assertEquals("/tmp", o.portsFileDir());
    assertEquals("10.0.0.1", apply("--addr", "10.0.0.1").host());
    assertEquals("10.0.0.2", apply("--net=10.0.0.2").host());
    assertEquals("a", apply("--name", "a").serverName());
    assertEquals("b", apply("--server_name", "b").serverName());
    assertEquals("p", apply("--pid", "p").pidFile());
    assertEquals(8333, apply("--http_port", "8333").httpPort());
    assertEquals("l", apply("--log", "l").logFile());
  }

  @Test
  void portZeroIsDefaultMinusOneRandom() throws Exception {
    assertEquals(Defaults.PORT, apply("-p", "0").port());
    assertEquals(0, apply("-p", "-1").port()); // Go takes the next argument even if it starts with '-'
    assertEquals(-1, apply("-m", "-1").httpPort());
  }

  @Test
  void goIntegerSyntax() throws Exception {
    assertEquals(0x1F, apply("-p", "0x1F").port());
    assertEquals(8, apply("-p", "010").port());
    assertEquals(5, apply("-p", "0b101").port());
    assertEquals(1000, apply("-p", "0x_3E8").port());
    CommandLineException e = fails("-p", "abc");
    assertEquals("invalid value \"abc\" for flag -p: parse error", e.getMessage());
    assertTrue(e.showUsage());
    assertEquals("invalid value \"1_000\" for flag -p: parse error", fails("-p", "1_000").getMessage());
    assertEquals("invalid value \"99999999999999999999\" for flag -port: value out of range",
        fails("-port", "99999999999999999999").getMessage());
    assertEquals("natsvx: -p 70000 is not a port (0 to 65535, or -1 for a random port)",
        fails("-p", "70000").getMessage());
  }

  @Test
  void booleanFlags() throws Exception {
    assertTrue(apply("-D").debug());
    assertTrue(apply("--debug").debug());
    assertTrue(apply("-V").trace());
    assertTrue(apply("--trace").trace());
    ServerOptions dv = apply("-DV");
    assertTrue(dv.debug());
    assertTrue(dv.trace());
    assertTrue(apply("-VV").trace());
    ServerOptions dvv = apply("-DVV");
    assertTrue(dvv.debug() && dvv.trace());
    assertFalse(apply("-D=false").debug());
    assertTrue(apply("-D=1").debug());
    assertTrue(apply("-D=T").debug());
    assertFalse(apply("-DV", "-DV=false").trace());
  }

  @Test
  void logtimeOffNeedsEquals() throws Exception {
    assertFalse(apply("-T=false").logtime());
    assertFalse(apply("--logtime=f").logtime());
    assertTrue(apply("-T").logtime());
    // As in Go, "-T false" makes "false" a stray argument.
    assertEquals("natsvx: unrecognized command: \"false\"", fails("-T", "false").getMessage());
  }

  @Test
  void invalidBoolean() {
    CommandLineException e = fails("-D=maybe");
    assertEquals("invalid boolean value \"maybe\" for -D: parse error", e.getMessage());
    assertTrue(e.showUsage());
  }

  @Test
  void flagsOverrideTheFileInOrder() throws Exception {
    Path f = dir.resolve("n.conf");
    Files.writeString(f, "port: 5000\ndebug: true\nserver_name: file\n");
    CommandLine cl = parse("-c", f.toString(), "-p", "6000", "-D=false", "-p", "6001");
    ServerOptions fromFile = OptionsReader.load(cl.configFile()).options();
    ServerOptions o = cl.applyTo(fromFile.toBuilder()).build();
    assertEquals(6001, o.port());
    assertFalse(o.debug());
    assertEquals("file", o.serverName());
  }

  @Test
  void configFileSpellings() throws Exception {
    assertEquals(Path.of("a.conf"), parse("-c", "a.conf").configFile());
    assertEquals(Path.of("b.yaml"), parse("--config", "b.yaml").configFile());
    assertEquals(Path.of("c.conf"), parse("-config=c.conf").configFile());
    assertEquals(Path.of("d.conf"), parse("-conf", "d.conf").configFile());
  }

  @Test
  void testConfigNeedsAFile() throws Exception {
    assertTrue(parse("-t", "-c", "x.conf").testConfig());
    assertEquals("natsvx: must specify [-c, --config] option to check configuration file syntax",
        fails("-t").getMessage());
  }

  @Test
  void signals() throws Exception {
    for (String s : new String[] {"ldm", "stop", "quit", "term", "reopen", "reload"}) {
      assertEquals(new SignalRequest(s, null), parse("-sl", s).signal());
    }
    assertEquals(new SignalRequest("reload", "1234"), parse("--signal", "reload=1234").signal());
    assertEquals(new SignalRequest("stop", "/var/run/n.pid"),
        parse("-sl=stop=/var/run/n.pid").signal());
    assertEquals("natsvx: unknown signal \"foo\"", fails("-sl", "foo").getMessage());
    assertEquals("natsvx: invalid signal parameters: [2]", fails("-sl", "stop=1=2").getMessage());
    assertEquals("flag needs an argument: -sl", fails("-sl").getMessage());
  }

  @Test
  void helpAndVersion() throws Exception {
    assertTrue(parse("-h").help());
    assertTrue(parse("--help").help());
    assertTrue(parse("help").help());
    assertTrue(parse("-v").version());
    assertTrue(parse("--version").version());
    assertTrue(parse("version").version());
    // Answered before anything else is checked, as nats-server does.
    assertTrue(parse("--user", "x", "-h").help());
  }

  @Test
  void unknownFlagsAndSyntaxErrors() {
    CommandLineException e = fails("-x");
    assertEquals("flag provided but not defined: -x", e.getMessage());
    assertTrue(e.showUsage());
    assertEquals("flag provided but not defined: -max_payload",
        fails("--max_payload", "1MB").getMessage());
    assertEquals("bad flag syntax: ---p", fails("---p").getMessage());
    assertEquals("bad flag syntax: -=1", fails("-=1").getMessage());
    assertEquals("flag needs an argument: -p", fails("-p").getMessage());
    CommandLineException stray = fails("foo");
    assertEquals("natsvx: unrecognized command: \"foo\"", stray.getMessage());
    assertFalse(stray.showUsage());
  }

  @Test
  void doubleDashEndsFlags() throws Exception {
    assertEquals("natsvx: unrecognized command: \"-p\"", fails("--", "-p", "1").getMessage());
    assertTrue(parse("-D", "--", "version").version());
  }

  @Test
  void httpsPortFlag() throws Exception {
    assertEquals(8443, parse("-ms", "8443").applyTo(ServerOptions.builder()).build().httpsPort());
    assertEquals(9443, parse("--https_port=9443").applyTo(ServerOptions.builder()).build().httpsPort());
  }

  @ParameterizedTest
  @ValueSource(strings = {"--syslog", "--profile=6060"})
  void laterFeatureFlagsAreRejected(String flag) {
    CommandLineException e = fails("-p", "4222", flag);
    String name = flag.split("=")[0];
    assertEquals("natsvx: " + name + " is not supported yet", e.getMessage());
    assertFalse(e.showUsage());
  }

  @Test
  void clusterFlags() throws Exception {
    ServerOptions o = apply("--cluster", "nats://ru:rp@127.0.0.1:6333", "--routes",
        "nats-route://10.0.0.1:6222, nats-route://10.0.0.2:6222", "--cluster_name", "east",
        "--cluster_advertise", "ext:7000", "--no_advertise", "--connect_retries", "5",
        "--client_advertise", "c.example:4222");
    ClusterOptions c = o.cluster();
    assertEquals("127.0.0.1", c.host());
    assertEquals(6333, c.port());
    assertEquals("ru", c.user());
    assertEquals("rp", c.password());
    assertEquals(List.of(java.net.URI.create("nats-route://10.0.0.1:6222"),
        java.net.URI.create("nats-route://10.0.0.2:6222")), c.routes());
    assertEquals("east", c.name());
    assertEquals("ext:7000", c.advertise());
    assertTrue(c.noAdvertise());
    assertEquals(5, c.connectRetries());
    assertEquals("c.example:4222", o.clientAdvertise());
    assertEquals(-1, apply("--cluster_listen", "nats://0.0.0.0:-1").cluster().port(), "random port");
    assertFalse(apply("--cluster", "").cluster().enabled(), "empty turns clustering off");
  }

  @Test
  void clusterFlagErrorsSayWhatIsWrong() {
    assertEquals("natsvx: expected cluster password to be set", fails("--cluster", "nats://u@h:1").getMessage());
    assertEquals("natsvx: address -D: missing port in address", fails("--cluster", "-D").getMessage());
    assertEquals("natsvx: error parsing route url [\"x\"]", fails("--routes", "x").getMessage());
  }

  @Test
  void jetStreamFlags() throws Exception {
    ServerOptions o = apply("-js", "-sd", "/data/js");
    assertTrue(o.jetStream().enabled());
    assertEquals("/data/js", o.jetStream().storeDir());
    assertTrue(apply("--jetstream", "--store_dir=/x").jetStream().enabled());
    assertFalse(apply("-js=false").jetStream().enabled());
  }

  // ---- --user, --pass, --auth ----

  private ServerOptions withFile(String conf, String... args) throws Exception {
    Path f = dir.resolve("auth.conf");
    Files.writeString(f, conf);
    return parse(args).applyTo(OptionsReader.load(f).options().toBuilder()).build();
  }

  private static AuthOptions.UserOptions single(String user, String pass) {
    return new AuthOptions.UserOptions(user, pass, null, AuthorizationReader.SINGLE_USER);
  }

  @Test
  void userFlagsChangeNothingWhenAccountsHaveUsers() throws Exception {
    // nats-server looks at the users (accounts' included) before --user and --auth.
    Path f = dir.resolve("t.conf");
    Files.writeString(f, "accounts { A: { users: [ { user: a, password: p } ] } }\n");
    ServerOptions o = CommandLine.parse(new String[] {"--user", "u", "--pass", "x", "--auth", "t"})
        .applyTo(OptionsReader.load(f).options().toBuilder()).build();
    assertEquals(AuthOptions.NONE, o.authorization());
    Files.writeString(f, "accounts: [A]\n");
    o = CommandLine.parse(new String[] {"--user", "u", "--pass", "x"})
        .applyTo(OptionsReader.load(f).options().toBuilder()).build();
    assertEquals("u", o.authorization().users().get(0).user());
  }

  @Test
  void userAndPassFlags() throws Exception {
    AuthOptions a = apply("--user", "u", "--pass", "p").authorization();
    assertEquals(List.of(single("u", "p")), a.users());
    assertTrue(a.required());
    assertEquals(List.of(single("u", "p")), apply("--user=u", "--pass=p").authorization().users());
    assertEquals("tok", apply("--auth", "tok").authorization().token());
    // Go's flags: an empty value sets nothing.
    assertFalse(apply("--user=", "--auth=").authorization().required());
    // A password alone asks nothing of clients, as in nats-server.
    assertFalse(apply("--pass", "p").authorization().required());
  }

  @Test
  void flagsOverrideTheFilesSingleUser() throws Exception {
    String conf = "authorization { user: a, password: b, timeout: 5 }\n";
    assertEquals(List.of(single("a", "x")), withFile(conf, "--pass", "x").authorization().users());
    assertEquals(List.of(single("c", "b")), withFile(conf, "--user", "c").authorization().users());
    ServerOptions both = withFile(conf, "--user", "c", "--pass", "d");
    assertEquals(List.of(single("c", "d")), both.authorization().users());
    assertEquals(java.time.Duration.ofSeconds(5), both.authTimeout());
    // A token (flag or file) is checked before a user in nats-server, so it is what remains.
    AuthOptions tokenFlag = withFile(conf, "--auth", "t").authorization();
    assertEquals("t", tokenFlag.token());
    assertEquals(List.of(), tokenFlag.users());
    AuthOptions fileToken = withFile("authorization { token: ft }\n", "--user", "u", "--pass", "p")
        .authorization();
    assertEquals("ft", fileToken.token());
    assertEquals(List.of(), fileToken.users());
    assertEquals("t2", withFile("authorization { token: ft }\n", "--auth", "t2").authorization()
        .token());
  }

  @Test
  void aUsersListInTheFileWinsOverTheFlags() throws Exception {
    String conf = "authorization { users: [ { user: a, password: b } ] }\nno_auth_user: a\n";
    AuthOptions file = withFile(conf).authorization();
    AuthOptions flags = withFile(conf, "--user", "u", "--pass", "p", "--auth", "t").authorization();
    assertEquals(file, flags);
    assertEquals("a", flags.noAuthUser());
  }

  @Test
  void explicitlyDisabledLaterFeaturesAreFine() throws Exception {
    assertEquals(4222, apply("-js=false", "--tls=false").port());
  }

  @Test
  void usageListsSupportedFlags() {
    String u = CommandLine.usage();
    assertTrue(u.contains("Usage: natsvx [options]"));
    for (String f : new String[] {"--addr", "--port", "--server_name", "--pid", "--http_port",
        "--config", "-t ", "--signal", "--ports_file_dir", "--log", "--logtime", "--debug",
        "--trace", "-DV", "--help", "--version", "Authorization Options", "--user <user>",
        "--pass <password>", "--auth <token>"}) {
      assertTrue(u.contains(f), f);
    }
    assertTrue(u.contains("Not supported yet"));
  }
}
