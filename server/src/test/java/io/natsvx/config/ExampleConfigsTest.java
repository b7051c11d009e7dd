package io.natsvx.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The example files in conf/ load, and configs natsvx accepts are accepted by nats-server too
 * (checked with {@code nats-server -t -c} when nats-server is installed; skipped otherwise).
 */
class ExampleConfigsTest {

  @TempDir Path dir;

  static Path confDir() {
    // Surefire runs in server/; look upwards so the test works from any module directory.
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("conf/nats.conf"))) {
        return p.resolve("conf");
      }
    }
    throw new IllegalStateException("conf/nats.conf not found above " + Path.of("").toAbsolutePath());
  }

  @Test
  void natsConfExampleLoads() throws Exception {
    ConfigLoad l = OptionsReader.load(confDir().resolve("nats.conf"));
    assertEquals(List.of(), l.warnings());
    ServerOptions o = l.options();
    assertEquals(4222, o.port());
    assertEquals("natsvx-1", o.serverName());
    assertEquals(1024 * 1024, o.maxPayload());
    assertEquals(4096, o.maxControlLine());
    assertEquals(Duration.ofMinutes(2), o.pingInterval());
    assertEquals(8222, o.httpPort());
  }

  @Test
  void yamlExampleLoadsTheSameOptions() throws Exception {
    ConfigLoad yaml = OptionsReader.load(confDir().resolve("nats.yaml"));
    ConfigLoad conf = OptionsReader.load(confDir().resolve("nats.conf"));
    assertEquals(List.of(), yaml.warnings());
    ServerOptions y = yaml.options();
    ServerOptions c = conf.options();
    assertEquals(c.host(), y.host());
    assertEquals(c.port(), y.port());
    assertEquals(c.serverName(), y.serverName());
    assertEquals(c.maxPayload(), y.maxPayload());
    assertEquals(c.maxControlLine(), y.maxControlLine());
    assertEquals(c.maxPending(), y.maxPending());
    assertEquals(c.maxConnections(), y.maxConnections());
    assertEquals(c.maxSubscriptions(), y.maxSubscriptions());
    assertEquals(c.pingInterval(), y.pingInterval());
    assertEquals(c.pingMax(), y.pingMax());
    assertEquals(c.writeDeadline(), y.writeDeadline());
    assertEquals(c.lameDuckDuration(), y.lameDuckDuration());
    assertEquals(c.lameDuckGracePeriod(), y.lameDuckGracePeriod());
    assertEquals(c.logtime(), y.logtime());
    assertEquals(c.httpPort(), y.httpPort());
    assertEquals(0, y.eventLoops());
  }

  @Test
  void authCalloutExampleLoads() throws Exception {
    ConfigLoad l = OptionsReader.load(confDir().resolve("auth-callout.conf"));
    assertEquals(List.of(), l.warnings());
    AuthCalloutOptions c = l.options().authCallout();
    assertEquals("AUTH", c.account());
    assertEquals(List.of("auth"), c.authUsers());
    assertEquals("ABJHLOVMPA4CI6R5KLNGOB4GSLNIY7IOUPAJC4YFNDLQVIOBYQGUWVLA", c.issuer());
  }

  @Test
  void authExampleLoads() throws Exception {
    ConfigLoad l = OptionsReader.load(confDir().resolve("auth.conf"));
    assertEquals(List.of(), l.warnings());
    ServerOptions o = l.options();
    assertEquals(Duration.ofSeconds(3), o.authTimeout());
    AuthOptions a = o.authorization();
    assertTrue(a.required());
    assertEquals(null, a.token());
    assertEquals("guest", a.noAuthUser());
    assertEquals(new AuthOptions.PermissionOptions(null, List.of(">"), List.of("public.>", "_INBOX.>"),
        null, null), a.defaultPermissions());
    assertEquals(3, a.users().size());
    AuthOptions.UserOptions orders = a.users().get(0);
    assertEquals("orders", orders.user());
    assertTrue(orders.password().startsWith("$2a$11$"), orders.password());
    assertEquals(new AuthOptions.PermissionOptions(List.of("orders.events.>"), null,
            List.of("orders.* workers", "orders.events.>"), List.of("orders.admin"),
            new AuthOptions.ResponsePermission(1, Duration.ofMinutes(1))),
        orders.permissions());
    assertEquals(new AuthOptions.UserOptions("guest", "guest-pass", null, null), a.users().get(1));
    AuthOptions.UserOptions billing = a.users().get(2);
    assertTrue(io.natsvx.internal.NKeyCodec.decode(billing.nkey(), io.natsvx.internal.NKeyCodec.PREFIX_USER) != null);
    assertEquals(new AuthOptions.PermissionOptions(List.of(), null, List.of("billing.>"), null,
        AuthOptions.ResponsePermission.DEFAULT), billing.permissions());
  }

  @Test
  void authYamlExampleLoadsTheSameOptions() throws Exception {
    ConfigLoad yaml = OptionsReader.load(confDir().resolve("auth.yaml"));
    ConfigLoad conf = OptionsReader.load(confDir().resolve("auth.conf"));
    assertEquals(List.of(), yaml.warnings());
    assertEquals(conf.options().authorization(), yaml.options().authorization());
    assertEquals(conf.options().authTimeout(), yaml.options().authTimeout());
    assertEquals(conf.options().port(), yaml.options().port());
  }

  // ---- accounts ----

  @Test
  void accountsExampleLoads() throws Exception {
    ConfigLoad l = OptionsReader.load(confDir().resolve("accounts.conf"));
    assertEquals(List.of(), l.warnings());
    ServerOptions o = l.options();
    assertEquals("SYS", o.systemAccount());
    assertEquals(List.of("SHOP", "BILLING", "SYS"),
        o.accounts().stream().map(AccountOptions::name).toList());
    AccountOptions shop = o.accounts().get(0);
    assertEquals(List.of(new AccountOptions.Export("orders.events.>", false, null, null, null),
        new AccountOptions.Export("prices.get", true, List.of("BILLING"),
            AccountOptions.ResponseType.STREAM, Duration.ofSeconds(10))), shop.exports());
    AccountOptions billing = o.accounts().get(1);
    assertEquals(List.of(new AccountOptions.Import(false, "SHOP", "orders.events.>", null, "shop"),
        new AccountOptions.Import(true, "SHOP", "prices.get", "shop.prices", null)),
        billing.imports());
    // default_permissions went to billing's user, which has none of its own.
    assertEquals(List.of("billing.>", "shop.prices"),
        billing.users().get(0).permissions().publishAllow());
    assertEquals("admin", o.accounts().get(2).users().get(0).user());
    assertEquals(AuthOptions.NONE, o.authorization());
  }

  @Test
  void accountsYamlExampleLoadsTheSameOptions() throws Exception {
    ConfigLoad yaml = OptionsReader.load(confDir().resolve("accounts.yaml"));
    ConfigLoad conf = OptionsReader.load(confDir().resolve("accounts.conf"));
    assertEquals(List.of(), yaml.warnings());
    assertEquals(conf.options().accounts(), yaml.options().accounts());
    assertEquals(conf.options().systemAccount(), yaml.options().systemAccount());
    assertEquals(conf.options().authorization(), yaml.options().authorization());
    assertEquals(conf.options().port(), yaml.options().port());
  }

  @Test
  void natsServerAcceptsTheAccountsExample() throws Exception {
    assertNatsServerAccepts(confDir().resolve("accounts.conf"));
  }

  // ---- TLS: the examples name ./certs/..., relative to the working directory ----

  /** A copy of conf/{@code name} whose ./certs/ files exist, made with openssl when present. */
  private Path tlsExample(String name) throws Exception {
    Path certs = dir.resolve("certs");
    if (!Files.isDirectory(certs)) {
      TestCerts.create(dir);
    }
    String text = Files.readString(confDir().resolve(name));
    assertTrue(text.contains("./certs/"), name);
    Path copy = dir.resolve(name);
    Files.writeString(copy, text.replace("./certs/", certs + "/"));
    return copy;
  }

  @Test
  void tlsExampleLoads() throws Exception {
    Path f = tlsExample("tls.conf");
    ConfigLoad l = OptionsReader.load(f);
    assertEquals(List.of(), l.warnings());
    TlsOptions t = l.options().tls();
    Path certs = dir.resolve("certs");
    assertEquals(new TlsOptions(certs.resolve("server-cert.pem").toString(),
        certs.resolve("server-key.pem").toString(), certs.resolve("ca.pem").toString(), true,
        false, Duration.ofSeconds(2), List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"), null, false), t);
  }

  @Test
  void tlsYamlExampleLoadsTheSameOptions() throws Exception {
    ConfigLoad yaml = OptionsReader.load(tlsExample("tls.yaml"));
    ConfigLoad conf = OptionsReader.load(tlsExample("tls.conf"));
    assertEquals(List.of(), yaml.warnings());
    assertEquals(conf.options().tls(), yaml.options().tls());
    assertEquals(conf.options().port(), yaml.options().port());
  }

  @Test
  void tlsExampleNeedsItsFiles() throws Exception {
    // Unchanged, the example names ./certs/ under the working directory, which has none.
    assumeFalse(Files.exists(Path.of("certs")));
    ConfigException e = assertThrows(ConfigException.class,
        () -> OptionsReader.load(confDir().resolve("tls.conf")));
    assertTrue(e.errors().get(0).endsWith(": cert_file: error parsing X509 certificate/key pair: "
        + "open ./certs/server-cert.pem: no such file or directory"), e.getMessage());
  }

  @Test
  void natsServerAcceptsTheTlsExample() throws Exception {
    Path f = tlsExample("tls.conf");
    assumeTrue(TestCerts.opensslAvailable(), "openssl not installed");
    assertNatsServerAccepts(f);
  }

  // ---- side by side with nats-server ----

  @Test
  void natsServerAcceptsTheAuthExample() throws Exception {
    assertNatsServerAccepts(confDir().resolve("auth.conf"));
  }

  @Test
  void natsServerAcceptsTheExample() throws Exception {
    assertNatsServerAccepts(confDir().resolve("nats.conf"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "listen: 127.0.0.1:4333\nmax_payload: 2MB\nmax_pending = 32MB\n",
      "{\n  port 4444\n  debug yes; trace off\n}\n",
      "P: 4555\nport: $P\nserver_name: \"srv $P\" // comment\n# comment\n",
      "ping_interval: \"30s\"\nwrite_deadline: '2s'\nlame_duck_duration: \"45s\"\n",
      "max_control_line: 8KB\nmax_connections: 1K\nmax_subs: 100\nping_max: 3\n",
      "http: \"localhost:8333\"\nno_header_support: true\nlogtime: false\n",
      "host: \"::1\"\nport: -1\nhttp_port: -1\n",
  })
  void natsServerAcceptsWhatNatsvxAccepts(String conf) throws Exception {
    Path f = dir.resolve("side.conf");
    Files.writeString(f, conf);
    ConfigLoad l = OptionsReader.load(f);
    assertEquals(List.of(), l.warnings());
    assertNatsServerAccepts(f);
  }

  @Test
  void natsServerAcceptsIncludes() throws Exception {
    Files.createDirectories(dir.resolve("inc"));
    Files.writeString(dir.resolve("inc/limits.conf"), "max_payload: 512KB\n");
    Path f = dir.resolve("main.conf");
    Files.writeString(f, "port: 4666\ninclude ./inc/limits.conf\n");
    assertEquals(512 * 1024, OptionsReader.load(f).options().maxPayload());
    assertNatsServerAccepts(f);
  }

  /** nats-server -t accepts the file; skipped when nats-server is not installed. */
  static void assertNatsServerAccepts(Path conf) throws IOException, InterruptedException {
    NatsServerCheck.assertAccepts(conf);
  }
}
