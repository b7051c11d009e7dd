package io.natsvx.config;

import static io.natsvx.config.AuthorizationReaderTest.NKEY;
import static io.natsvx.config.AuthorizationReaderTest.NKEY2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.natsvx.config.AccountOptions.Export;
import io.natsvx.config.AccountOptions.Import;
import io.natsvx.config.AccountOptions.ResponseType;
import io.natsvx.config.AuthOptions.PermissionOptions;
import io.natsvx.config.AuthOptions.UserOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The accepted forms of {@code accounts} and {@code system_account}, in nats.conf and YAML;
 * every nats.conf sample is also checked with {@code nats-server -t} when it is installed.
 * Errors and warnings are in {@link AccountsErrorsTest}.
 */
class AccountsReaderTest {

  @TempDir Path dir;

  /** Loads a nats.conf sample that must give no warning, and checks nats-server takes it too. */
  private ServerOptions conf(String text) throws Exception {
    Path f = dir.resolve("t.conf");
    Files.writeString(f, text);
    ConfigLoad l = OptionsReader.load(f);
    assertEquals(List.of(), l.warnings());
    ExampleConfigsTest.assertNatsServerAccepts(f);
    return l.options();
  }

  private ServerOptions yaml(String text) throws Exception {
    Path f = dir.resolve("t.yaml");
    Files.writeString(f, text);
    ConfigLoad l = OptionsReader.load(f);
    assertEquals(List.of(), l.warnings());
    return l.options();
  }

  private static UserOptions user(String name, String pass) {
    return new UserOptions(name, pass, null, null);
  }

  private static Export stream(String subject, List<String> accounts) {
    return new Export(subject, false, accounts, null, null);
  }

  private static Export service(String subject, List<String> accounts, ResponseType type,
      Duration threshold) {
    return new Export(subject, true, accounts, type, threshold);
  }

  private static Import streamImport(String account, String subject, String to, String prefix) {
    return new Import(false, account, subject, to, prefix);
  }

  private static Import serviceImport(String account, String subject, String to) {
    return new Import(true, account, subject, to, null);
  }

  static final String SHOP_AND_BILLING = """
      accounts {
        SHOP: {
          users: [ { user: shop, password: "shop-pass" } ]
          exports: [
            { stream: "orders.events.>" }
            { service: "prices.get", accounts: [BILLING], response_type: stream,
              response_threshold: "10s" }
          ]
        }
        BILLING: {
          users: [ { user: billing, password: "billing-pass" } ]
          imports: [
            { stream: { account: SHOP, subject: "orders.events.>" }, prefix: "shop" }
            { service: { account: SHOP, subject: "prices.get" }, to: "shop.prices" }
          ]
        }
      }
      """;

  static final List<AccountOptions> SHOP_AND_BILLING_OPTIONS = List.of(
      new AccountOptions("SHOP", List.of(user("shop", "shop-pass")),
          List.of(stream("orders.events.>", null),
              service("prices.get", List.of("BILLING"), ResponseType.STREAM, Duration.ofSeconds(10))),
          List.of()),
      new AccountOptions("BILLING", List.of(user("billing", "billing-pass")), List.of(),
          List.of(streamImport("SHOP", "orders.events.>", null, "shop"),
              serviceImport("SHOP", "prices.get", "shop.prices"))));

  // ---- the block ----

  @Test
  void noBlockMeansNoAccountsAndTheDefaultSystemAccount() throws Exception {
    ServerOptions o = conf("port: 4222\n");
    assertEquals(List.of(), o.accounts());
    assertEquals("$SYS", o.systemAccount());
  }

  @Test
  void accountsWithUsersExportsAndImports() throws Exception {
    assertEquals(SHOP_AND_BILLING_OPTIONS, conf(SHOP_AND_BILLING).accounts());
  }

  @Test
  void yamlReadsTheSameAccounts() throws Exception {
    String yaml = """
        accounts:
          SHOP:
            users:
              - user: shop
                password: shop-pass
            exports:
              - stream: orders.events.>
              - service: prices.get
                accounts: [BILLING]
                response_type: stream
                response_threshold: 10s
          BILLING:
            users:
              - {user: billing, password: billing-pass}
            imports:
              - stream: {account: SHOP, subject: orders.events.>}
                prefix: shop
              - service: {account: SHOP, subject: prices.get}
                to: shop.prices
        """;
    assertEquals(conf(SHOP_AND_BILLING).accounts(), yaml(yaml).accounts());
  }

  @Test
  void emptyAccountsAndTheListOfNames() throws Exception {
    assertEquals(List.of(new AccountOptions("A", List.of(), List.of(), List.of())),
        conf("accounts { A: {} }\n").accounts());
    assertEquals(List.of(new AccountOptions("A", List.of(), List.of(), List.of()),
            new AccountOptions("B", List.of(), List.of(), List.of())),
        conf("accounts: [A, B]\n").accounts());
    assertEquals(conf("accounts: [A, B]\n").accounts(), yaml("accounts: [A, B]\n").accounts());
  }

  @Test
  void accountKeysMatchCaseInsensitively() throws Exception {
    ServerOptions o = conf("ACCOUNTS { A: { USERS: [ { USER: a, PASSWORD: p } ],"
        + " EXPORTS: [ { STREAM: x } ] } }\n");
    assertEquals(List.of(new AccountOptions("A", List.of(user("a", "p")),
        List.of(stream("x", null)), List.of())), o.accounts());
  }

  // ---- users ----

  @Test
  void usersAreReadAsInTheAuthorizationBlock() throws Exception {
    ServerOptions o = conf("accounts { A: { users: [\n"
        + "  { user: a, password: p, permissions: { publish: \"a.>\" } }\n"
        + "  { nkey: " + NKEY + " }\n"
        + "] } }\n");
    assertEquals(List.of(new UserOptions("a", "p", null,
            new PermissionOptions(List.of("a.>"), null, null, null, null)),
        new UserOptions(null, null, NKEY, null)), o.accounts().get(0).users());
    assertEquals(AuthOptions.NONE, o.authorization());
  }

  @Test
  void defaultPermissionsGoToTheAccountsUsersWithoutTheirOwn() throws Exception {
    PermissionOptions own = new PermissionOptions(List.of("own"), null, null, null, null);
    PermissionOptions defaults = new PermissionOptions(null, List.of(">"), null, null, null);
    ServerOptions o = conf("accounts { A: {\n"
        + "  users: [ { user: a, password: p, permissions: { publish: own } }, { nkey: " + NKEY + " } ]\n"
        + "  default_permissions: { publish: { deny: \">\" } }\n"
        + "}, B: { users: [ { user: b, password: p } ] } }\n");
    assertEquals(List.of(new UserOptions("a", "p", null, own),
        new UserOptions(null, null, NKEY, defaults)), o.accounts().get(0).users());
    // Not to another account's users, nor into the authorization block.
    assertNull(o.accounts().get(1).users().get(0).permissions());
    assertNull(o.authorization().defaultPermissions());
  }

  @Test
  void usersOfTheAuthorizationBlockAndOfAccountsTogether() throws Exception {
    ServerOptions o = conf("authorization { users: [ { user: g, password: p } ] }\n"
        + "accounts { A: { users: [ { user: a, password: p }, { nkey: " + NKEY2 + " } ] } }\n");
    assertEquals(List.of(user("g", "p")), o.authorization().users());
    assertEquals(2, o.accounts().get(0).users().size());
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "g", NKEY2})
  void noAuthUserMayNameAUserOfAnAccount(String name) throws Exception {
    ServerOptions o = conf("authorization { users: [ { user: g, password: p } ] }\n"
        + "accounts { A: { users: [ { user: a, password: p }, { nkey: " + NKEY2 + " } ] } }\n"
        + "no_auth_user: " + name + "\n");
    assertEquals(name, o.authorization().noAuthUser());
    assertEquals(name, conf("accounts { A: { users: [ { user: a, password: p }, { nkey: "
        + NKEY2 + " } ] }, B: { users: [ { user: g, password: p } ] } }\n"
        + "no_auth_user: " + name + "\n").authorization().noAuthUser());
  }

  // ---- exports ----

  @ParameterizedTest
  @CsvSource({"single, SINGLETON", "singleton, SINGLETON", "Singleton, SINGLETON",
      "stream, STREAM", "chunk, CHUNKED", "chunked, CHUNKED"})
  void responseTypes(String written, ResponseType type) throws Exception {
    assertEquals(List.of(service("s", null, type, null)),
        conf("accounts { A: { exports: [ { service: s, response_type: " + written + " } ] } }\n")
            .accounts().get(0).exports());
    assertEquals(List.of(service("s", null, type, null)),
        conf("accounts { A: { exports: [ { service: s, response: " + written + " } ] } }\n")
            .accounts().get(0).exports());
  }

  @Test
  void aServiceIsSingletonWithTheDefaultThresholdUnlessSaid() throws Exception {
    assertEquals(List.of(service("s.*", null, ResponseType.SINGLETON, null)),
        conf("accounts { A: { exports: [ { service: \"s.*\" } ] } }\n").accounts().get(0).exports());
    // 0 keeps nats-server's default.
    assertEquals(List.of(service("s", null, ResponseType.SINGLETON, null)),
        conf("accounts { A: { exports: [ { service: s, threshold: \"0s\" } ] } }\n")
            .accounts().get(0).exports());
  }

  @ParameterizedTest
  @ValueSource(strings = {"threshold", "response_threshold", "response_max_time", "response_time"})
  void thresholdSpellings(String key) throws Exception {
    assertEquals(List.of(service("s", null, ResponseType.SINGLETON, Duration.ofMillis(1500))),
        conf("accounts { A: { exports: [ { service: s, " + key + ": \"1.5s\" } ] } }\n")
            .accounts().get(0).exports());
  }

  @Test
  void exportsRestrictedToAccounts() throws Exception {
    ServerOptions o = conf("accounts {\n  A: { exports: [ { accounts: [B, C], stream: \"a.>\" },"
        + " { service: \"q\", accounts: [C] } ] }\n  B: {}\n  C: {}\n}\n");
    assertEquals(List.of(stream("a.>", List.of("B", "C")),
        service("q", List.of("C"), ResponseType.SINGLETON, null)), o.accounts().get(0).exports());
  }

  // ---- imports ----

  @Test
  void streamImports() throws Exception {
    ServerOptions o = conf("accounts {\n  A: { exports: [ { stream: \"a.>\" } ] }\n"
        + "  B: { imports: [\n"
        + "    { stream: { account: A, subject: \"a.x\" } }\n"
        + "    { stream: { account: A, subject: \"a.y\" }, prefix: \"from.a\" }\n"
        + "    { stream: { account: A, subject: \"a.z\" }, prefix: \"dotted.\" }\n"
        + "    { stream: { account: A, subject: \"a.w\" }, to: \"w\" }\n"
        + "    { prefix: \"p\", stream: { subject: \"a.v\", account: A } }\n"
        + "  ] }\n}\n");
    assertEquals(List.of(streamImport("A", "a.x", null, null),
        streamImport("A", "a.y", null, "from.a"),
        streamImport("A", "a.z", null, "dotted"), // nats-server adds no second '.'
        streamImport("A", "a.w", "w", null),
        streamImport("A", "a.v", null, "p")), o.accounts().get(1).imports());
  }

  @Test
  void serviceImports() throws Exception {
    ServerOptions o = conf("accounts {\n  A: { exports: [ { service: \"q.>\" } ] }\n"
        + "  B: { imports: [\n"
        + "    { service: { account: A, subject: \"q.one\" } }\n"
        + "    { service: { account: A, subject: \"q.two\" }, to: \"two\" }\n"
        + "  ] }\n}\n");
    assertEquals(List.of(serviceImport("A", "q.one", null), serviceImport("A", "q.two", "two")),
        o.accounts().get(1).imports());
  }

  @ParameterizedTest
  @ValueSource(strings = {"b.*.*", "b.$2.$1", "b.{{wildcard(1)}}.{{Wildcard(2)}}", "a.*.*"})
  void wildcardStreamImportsMayRename(String to) throws Exception {
    ServerOptions o = conf("accounts {\n  A: { exports: [ { stream: \"a.>\" } ] }\n"
        + "  B: { imports: [ { stream: { account: A, subject: \"a.*.*\" }, to: \"" + to + "\" } ] }\n}\n");
    assertEquals(List.of(streamImport("A", "a.*.*", to, null)), o.accounts().get(1).imports());
  }

  @ParameterizedTest
  @ValueSource(strings = {"local.*", "local.$1", "q.*", "fixed"})
  void wildcardServiceImportsMayRename(String to) throws Exception {
    ServerOptions o = conf("accounts {\n  A: { exports: [ { service: \"q.*\" } ] }\n"
        + "  B: { imports: [ { service: { account: A, subject: \"q."
        + (to.equals("fixed") ? "one" : "*") + "\" }, to: \"" + to + "\" } ] }\n}\n");
    assertEquals(1, o.accounts().get(1).imports().size());
  }

  @Test
  void anAccountMayImportFromTwoAndExportAgain() throws Exception {
    // A chain without a cycle: C gets A's stream through B.
    ServerOptions o = conf("accounts {\n"
        + "  A: { exports: [ { stream: \"x.>\" } ] }\n"
        + "  B: { imports: [ { stream: { account: A, subject: \"x.>\" } } ],"
        + " exports: [ { stream: \"x.>\", accounts: [C] } ] }\n"
        + "  C: { imports: [ { stream: { account: B, subject: \"x.one\" } } ] }\n"
        + "}\n");
    assertEquals(3, o.accounts().size());
  }

  // ---- system account ----

  @Test
  void systemAccountNamesAConfiguredAccount() throws Exception {
    String accounts = "accounts { SYS: { users: [ { user: admin, password: p } ] }, A: {} }\n";
    assertEquals("SYS", conf(accounts + "system_account: SYS\n").systemAccount());
    assertEquals("SYS", conf(accounts + "system: SYS\n").systemAccount());
    assertEquals("SYS", conf("system_account: SYS\n" + accounts).systemAccount());
    // system_account wins over system, wherever it is.
    assertEquals("SYS", conf("system: A\n" + accounts + "system_account: SYS\n").systemAccount());
    assertEquals("SYS", conf("system_account: SYS\n" + accounts + "system: A\n").systemAccount());
    assertEquals("A", conf("accounts: [A]\nsystem_account: A\n").systemAccount());
    assertEquals("SYS", yaml("accounts: {SYS: {}}\nsystem_account: SYS\n").systemAccount());
  }

  @Test
  void aConfiguredDollarSysAccountAndAnEmptyName() throws Exception {
    assertEquals("$SYS", conf("accounts { $SYS: { users: [ { user: admin, password: p } ] } }\n"
        + "system_account: \"$SYS\"\n").systemAccount());
    assertEquals("$SYS", conf("accounts { $SYS: {} }\n").systemAccount());
    // nats-server: an empty name leaves the default.
    assertEquals("$SYS", conf("system_account: \"\"\n").systemAccount());
  }

  @Test
  void accountLimits() throws Exception {
    ServerOptions o = conf("accounts { A { users [{user: a, password: a}], "
        + "limits { max_connections: 2, max_subs: 3, max_payload: 1KB } } }\n");
    assertEquals(new AccountOptions.Limits(2, 3, 1024), o.accounts().get(0).limits());
    assertEquals(new AccountOptions.Limits(2, 3, 1024), yaml("accounts:\n  A:\n    users: [{user: a, password: a}]\n"
        + "    limits: {max_conn: 2, max_subscriptions: 3, max_pay: 1KB}\n").accounts().get(0).limits());
  }
}
