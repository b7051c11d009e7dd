package io.natsvx.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsvx.config.AuthOptions.PermissionOptions;
import io.natsvx.config.AuthOptions.ResponsePermission;
import io.natsvx.config.AuthOptions.UserOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The accepted forms of {@code authorization} and {@code no_auth_user}, in nats.conf and YAML;
 * every nats.conf sample is also checked with {@code nats-server -t} when it is installed.
 * Errors and warnings are in {@link AuthorizationErrorsTest}.
 */
class AuthorizationReaderTest {

  static final String NKEY = "UA55CRFK6H3IZACFXMBCKDNMLQLWK6ICT5H72UZYZ4G2GM4N53DFGYYM";
  static final String NKEY2 = "UAJHJP7IUPHFA752WJ734G4BWUKDTPY2EHK6OKSY7L2QUVLZOMRLXBXT";
  /** bcrypt ($2a$, cost 11) of "orders-s3cret". */
  static final String BCRYPT = "$2a$11$S/ZpMsaszs9iJknYuh9F6.0vr/hwdQbWlecr/daEUTtDtjvWaLBBa";

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

  private static PermissionOptions publishOnly(List<String> allow, List<String> deny) {
    return new PermissionOptions(allow, deny, null, null, null);
  }

  private static PermissionOptions subscribeOnly(List<String> allow, List<String> deny) {
    return new PermissionOptions(null, null, allow, deny, null);
  }

  /** The permissions of the only user of a users list of one. */
  private PermissionOptions perms(String permissionsBlock) throws Exception {
    AuthOptions a = conf("authorization { users: [ { user: u, password: p, permissions: "
        + permissionsBlock + " } ] }\n").authorization();
    return a.users().get(0).permissions();
  }

  // ---- block level ----

  @Test
  void noBlockMeansAnOpenServer() throws Exception {
    ServerOptions o = conf("port: 4222\n");
    assertSame(AuthOptions.NONE, o.authorization());
    assertEquals(Defaults.AUTH_TIMEOUT, o.authTimeout());
    assertFalse(conf("authorization { }\n").authorization().required());
  }

  @Test
  void singleUserAndPassword() throws Exception {
    AuthOptions a = conf("authorization {\n  user: alice\n  password: secret\n}\n").authorization();
    assertTrue(a.required());
    assertNull(a.token());
    assertEquals(List.of(new UserOptions("alice", "secret", null, AuthorizationReader.SINGLE_USER)),
        a.users());
    // Recognisable for the flags, and unrestricted.
    assertSame(AuthorizationReader.SINGLE_USER, a.users().get(0).permissions());
    assertTrue(AuthorizationReader.hasSingleUser(a));
    // nats-server's aliases, keys in any case, a bcrypt hash unquoted.
    AuthOptions b = conf("authorization { USERNAME: bob, pass: " + BCRYPT + " }\n").authorization();
    assertEquals(new UserOptions("bob", BCRYPT, null, AuthorizationReader.SINGLE_USER),
        b.users().get(0));
    // No password: nats-server compares it as the empty string.
    assertEquals("", conf("authorization { user: carol }\n").authorization().users().get(0)
        .password());
  }

  @Test
  void token() throws Exception {
    AuthOptions a = conf("authorization { token: \"s3cr3t\" }\n").authorization();
    assertEquals("s3cr3t", a.token());
    assertEquals(List.of(), a.users());
    assertTrue(a.required());
    assertEquals(BCRYPT, conf("authorization { token: " + BCRYPT + " }\n").authorization().token());
  }

  @Test
  void emptyValuesAreAbsent() throws Exception {
    // nats-server tests these against "": an empty token or user asks for nothing.
    AuthOptions a = conf("authorization { token: \"\", user: \"\" }\n").authorization();
    assertFalse(a.required());
  }

  @Test
  void timeoutInSecondsOrAsADuration() throws Exception {
    assertEquals(Duration.ofSeconds(5), conf("authorization { timeout: 5 }\n").authTimeout());
    assertEquals(Duration.ofMillis(1500), conf("authorization { timeout: 1.5 }\n").authTimeout());
    assertEquals(Duration.ofMillis(2500),
        conf("authorization { timeout: \"2500ms\" }\n").authTimeout());
    assertEquals(Duration.ofSeconds(60), conf("authorization { timeout: \"1m\" }\n").authTimeout());
    // 0 means the default, as in nats-server.
    assertEquals(Defaults.AUTH_TIMEOUT, conf("authorization { timeout: 0 }\n").authTimeout());
    // A timeout alone requires nothing from clients.
    assertFalse(conf("authorization { timeout: 3 }\n").authorization().required());
  }

  // ---- users ----

  @Test
  void usersListWithPasswordsNkeysAndDefaults() throws Exception {
    AuthOptions a = conf("""
        authorization {
          default_permissions: { publish: "public.>", subscribe: ["public.>", "_INBOX.>"] }
          users: [
            { user: alice, password: "a-pass" }
            { user: bob, password: %s, permissions: { publish: "bob.>" } }
            { nkey: %s }
            { nkey: %s, permissions: { subscribe: "svc.>" } }
          ]
        }
        """.formatted(BCRYPT, NKEY, NKEY2)).authorization();
    assertTrue(a.required());
    assertNull(a.token());
    assertEquals(new PermissionOptions(List.of("public.>"), null, List.of("public.>", "_INBOX.>"),
        null, null), a.defaultPermissions());
    assertEquals(List.of(
        new UserOptions("alice", "a-pass", null, null),
        new UserOptions("bob", BCRYPT, null, publishOnly(List.of("bob.>"), null)),
        new UserOptions(null, null, NKEY, null),
        new UserOptions(null, null, NKEY2, subscribeOnly(List.of("svc.>"), null))), a.users());
    assertFalse(AuthorizationReader.hasSingleUser(a));
  }

  @Test
  void aUsersListOfOneIsNotTheSingleUser() throws Exception {
    AuthOptions a = conf("authorization { users: [ { user: a, password: b } ] }\n").authorization();
    assertFalse(AuthorizationReader.hasSingleUser(a));
    assertNull(a.users().get(0).permissions());
    // An empty permissions block is explicit: no restriction, and no defaults either.
    AuthOptions b = conf("authorization { users: [ { user: a, permissions: {} } ] }\n")
        .authorization();
    assertEquals(new PermissionOptions(null, null, null, null, null), b.users().get(0).permissions());
    assertFalse(AuthorizationReader.hasSingleUser(b));
  }

  @Test
  void userEntryAliases() throws Exception {
    AuthOptions a = conf("authorization { users: [\n"
        + "  { username: a, pass: b, permission: { pub: x } }\n"
        + "  { User: c, Password: d, authorization: { sub: y } }\n] }\n").authorization();
    assertEquals(List.of(new UserOptions("a", "b", null, publishOnly(List.of("x"), null)),
        new UserOptions("c", "d", null, subscribeOnly(List.of("y"), null))), a.users());
  }

  @ParameterizedTest
  @ValueSource(strings = {"default_permissions", "default_permission", "permissions"})
  void defaultPermissionsAliases(String key) throws Exception {
    AuthOptions a = conf("authorization { " + key + ": { publish: x }, users: [ { user: u } ] }\n")
        .authorization();
    assertEquals(publishOnly(List.of("x"), null), a.defaultPermissions());
  }

  @Test
  void emptyUsersListRequiresNothing() throws Exception {
    // As nats-server: "users: []" sets no user at all.
    assertFalse(conf("authorization { users: [] }\n").authorization().required());
  }

  // ---- permissions ----

  @Test
  void aSubjectOrAListIsTheAllowList() throws Exception {
    assertEquals(publishOnly(List.of("a.b"), null), perms("{ publish: \"a.b\" }"));
    assertEquals(new PermissionOptions(List.of("a.*", "b.>"), null, List.of("c", "d.*"), null, null),
        perms("{ publish: [\"a.*\", \"b.>\"], subscribe: [c, \"d.*\"] }"));
  }

  @Test
  void allowAndDenyMaps() throws Exception {
    assertEquals(new PermissionOptions(List.of("a.>"), List.of("a.secret"), null, List.of("x", "y"),
            null),
        perms("{ publish: { allow: \"a.>\", deny: \"a.secret\" }, subscribe: { deny: [x, y] } }"));
    assertEquals(subscribeOnly(List.of(">"), null), perms("{ subscribe: { ALLOW: \">\" } }"));
    // An empty map restricts nothing (nats-server returns no permission for it).
    assertEquals(new PermissionOptions(null, null, null, null, null), perms("{ publish: {} }"));
  }

  @Test
  void subscribeEntriesMayNameAQueue() throws Exception {
    assertEquals(subscribeOnly(List.of("orders.* workers", "a.>"), List.of("b  q")),
        perms("{ subscribe: { allow: [\"orders.* workers\", \"a.>\"], deny: \"b  q\" } }"));
  }

  @Test
  void wildcardsOnlyCountAsWholeTokens() throws Exception {
    // "foo*" and "a>" are literal tokens for nats-server, so valid subjects.
    assertEquals(publishOnly(List.of("foo*", "a>.b", "*.*.>"), null),
        perms("{ publish: [\"foo*\", \"a>.b\", \"*.*.>\"] }"));
  }

  @Test
  void allowResponsesTrueRestrictsPublishToReplies() throws Exception {
    PermissionOptions p = perms("{ subscribe: \"svc.>\", allow_responses: true }");
    assertEquals(ResponsePermission.DEFAULT, p.allowResponses());
    assertEquals(new ResponsePermission(1, Duration.ofMinutes(2)), p.allowResponses());
    // nats-server turns the blanket publish allow off: replies only.
    assertEquals(List.of(), p.publishAllow());
    assertNull(p.publishDeny());
    assertEquals(List.of("svc.>"), p.subscribeAllow());
    // An explicit allow list stays; a deny list alone still loses the blanket allow.
    assertEquals(List.of("events.>"),
        perms("{ publish: \"events.>\", allow_responses: true }").publishAllow());
    PermissionOptions denyOnly = perms("{ publish: { deny: x }, publish_allow_responses: true }");
    assertEquals(List.of(), denyOnly.publishAllow());
    assertEquals(List.of("x"), denyOnly.publishDeny());
  }

  @Test
  void allowResponsesFalseIsOff() throws Exception {
    PermissionOptions p = perms("{ allow_responses: false }");
    assertNull(p.allowResponses());
    assertNull(p.publishAllow());
  }

  @Test
  void allowResponsesMap() throws Exception {
    assertEquals(new ResponsePermission(5, Duration.ofSeconds(30)),
        perms("{ allow_responses: { max: 5, expires: \"30s\" } }").allowResponses());
    assertEquals(new ResponsePermission(3, Duration.ofMinutes(1)),
        perms("{ allow_responses: { max_msgs: 3, ttl: \"1m\" } }").allowResponses());
    assertEquals(new ResponsePermission(2, ResponsePermission.DEFAULT.expires()),
        perms("{ allow_responses: { max_responses: 2 } }").allowResponses());
    assertEquals(new ResponsePermission(7, Duration.ofHours(1)),
        perms("{ allow_responses: { max_messages: 7, expiration: \"1h\" } }").allowResponses());
    // 0 keeps a default; negative values mean "no limit" in nats-server and are kept.
    assertEquals(ResponsePermission.DEFAULT,
        perms("{ allow_responses: { max: 0, expires: \"0s\" } }").allowResponses());
    assertEquals(new ResponsePermission(-1, Duration.ofSeconds(-1)),
        perms("{ allow_responses: { max: -1, expires: \"-1s\" } }").allowResponses());
    assertEquals(ResponsePermission.DEFAULT, perms("{ allow_responses: {} }").allowResponses());
    assertEquals(List.of(), perms("{ allow_responses: {} }").publishAllow());
  }

  // ---- no_auth_user ----

  @Test
  void noAuthUserNamesAUserOrAnNkeyOfTheList() throws Exception {
    assertEquals("guest", conf("authorization { users: [ { user: a, password: b }, { user: guest } ] }\n"
        + "no_auth_user: guest\n").authorization().noAuthUser());
    assertEquals(NKEY, conf("authorization { users: [ { nkey: " + NKEY + " } ] }\nno_auth_user: "
        + NKEY + "\n").authorization().noAuthUser());
    // The order of the keys does not matter.
    assertEquals("guest", conf("no_auth_user: guest\nauthorization { users: [ { user: guest } ] }\n")
        .authorization().noAuthUser());
    assertNull(conf("no_auth_user: \"\"\n").authorization().noAuthUser());
  }

  @Test
  void variablesInsideTheBlockAreNotUnknownKeys() throws Exception {
    // (Not PASS: keys match case-insensitively, so that would be the block's password.)
    AuthOptions a = conf("authorization {\n  SECRET: \"p1\"\n  users: [ { user: a, password: $SECRET } ]\n}\n")
        .authorization();
    assertEquals("p1", a.users().get(0).password());
  }

  // ---- YAML: the same tree, the same result ----

  @Test
  void yamlGivesTheSameOptionsAsNatsConf() throws Exception {
    ServerOptions c = conf("""
        authorization {
          timeout: 1.5
          default_permissions: { publish: { deny: ">" }, subscribe: ["public.>", "_INBOX.>"] }
          users: [
            { user: orders, password: %s, permissions: {
                publish: "orders.events.>"
                subscribe: { allow: ["orders.* workers"], deny: "orders.admin" }
                allow_responses: { max: 2, expires: "1m" } } }
            { user: guest, password: "guest-pass" }
            { nkey: %s, permissions: { subscribe: "billing.>", allow_responses: true } }
          ]
        }
        no_auth_user: guest
        """.formatted(BCRYPT, NKEY));
    ServerOptions y = yaml("""
        authorization:
          timeout: 1.5
          default_permissions:
            publish: {deny: ">"}
            subscribe: ["public.>", "_INBOX.>"]
          users:
            - user: orders
              password: '%s'
              permissions:
                publish: orders.events.>
                subscribe:
                  allow: [orders.* workers]
                  deny: orders.admin
                allow_responses: {max: 2, expires: 1m}
            - {user: guest, password: guest-pass}
            - nkey: %s
              permissions:
                subscribe: billing.>
                allow_responses: true
        no_auth_user: guest
        """.formatted(BCRYPT, NKEY));
    assertEquals(c.authorization(), y.authorization());
    assertEquals(Duration.ofMillis(1500), y.authTimeout());
    assertEquals(new ResponsePermission(2, Duration.ofMinutes(1)),
        y.authorization().users().get(0).permissions().allowResponses());
  }

  @Test
  void yamlSingleUserTokenAndTimeout() throws Exception {
    AuthOptions single = yaml("authorization:\n  user: alice\n  password: secret\n").authorization();
    assertTrue(AuthorizationReader.hasSingleUser(single));
    assertEquals("secret", single.users().get(0).password());
    ServerOptions t = yaml("authorization:\n  token: abc\n  timeout: 3s\n");
    assertEquals("abc", t.authorization().token());
    assertEquals(Duration.ofSeconds(3), t.authTimeout());
    // An unquoted bcrypt hash is not an environment reference in YAML either.
    assertEquals(BCRYPT, yaml("authorization:\n  token: " + BCRYPT + "\n").authorization().token());
  }

  // ---- the flags' merge ----

  @Test
  void flagsReplaceTheSingleUserAndToken() {
    UserOptions fileUser = new UserOptions("a", "b", null, AuthorizationReader.SINGLE_USER);
    AuthOptions single = new AuthOptions(null, List.of(fileUser), null, null);
    assertEquals(List.of(new UserOptions("a", "x", null, AuthorizationReader.SINGLE_USER)),
        AuthorizationReader.withFlags(single, null, "x", null).users());
    assertEquals(List.of(new UserOptions("c", "b", null, AuthorizationReader.SINGLE_USER)),
        AuthorizationReader.withFlags(single, "c", "", null).users());
    // A token beats a user, as in nats-server's simple authentication.
    AuthOptions t = AuthorizationReader.withFlags(single, null, null, "tok");
    assertEquals("tok", t.token());
    assertEquals(List.of(), t.users());
    AuthOptions fileToken = new AuthOptions("ft", List.of(), null, null);
    assertEquals(fileToken.token(),
        AuthorizationReader.withFlags(fileToken, "u", "p", null).token());
    assertEquals("t2", AuthorizationReader.withFlags(fileToken, null, null, "t2").token());
    // A users list wins over every flag.
    AuthOptions list = new AuthOptions(null, List.of(new UserOptions("a", "b", null, null)), null,
        null);
    assertSame(list, AuthorizationReader.withFlags(list, "u", "p", "t"));
    // On an open server the flags alone set the single user.
    AuthOptions open = AuthorizationReader.withFlags(AuthOptions.NONE, "u", null, null);
    assertEquals(List.of(new UserOptions("u", "", null, AuthorizationReader.SINGLE_USER)),
        open.users());
    assertSame(AuthOptions.NONE, AuthorizationReader.withFlags(AuthOptions.NONE, null, "p", null));
  }
}
