package io.natsvx.config;

import static io.natsvx.config.AuthorizationReaderTest.NKEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the {@code authorization} block and {@code no_auth_user} refuse (nats-server's messages,
 * after "file:line: key:") and what they warn about.
 */
class AuthorizationErrorsTest extends ConfigFileTest {

  /** The one error of a user's permissions block on line 2. */
  private String permissionError(String permissionsBlock) throws Exception {
    List<String> e = errors("authorization { users: [\n { user: u, permissions: " + permissionsBlock
        + " }\n] }\n");
    assertEquals(1, e.size(), e.toString());
    return e.get(0);
  }

  // ---- the block's combinations ----

  @Test
  void userAndTokenTogether() throws Exception {
    assertEquals(List.of(where(1) + ": authorization: Cannot have a user/pass and token"),
        errors("authorization {\n  user: a\n  password: b\n  token: t\n}\n"));
    assertEquals(List.of(where(2) + ": authorization: Cannot have a user/pass and token"),
        errors("port: 1\nauthorization { password: b, token: t }\n"));
  }

  @Test
  void singleUserAndUsersList() throws Exception {
    assertEquals(List.of(where(1) + ": authorization: Can not have a single user/pass and a users array"),
        errors("authorization { user: a, password: b, users: [ { user: c } ] }\n"));
    // Even an empty list, as in nats-server.
    assertEquals(List.of(where(1) + ": authorization: Can not have a single user/pass and a users array"),
        errors("authorization { user: a, users: [] }\n"));
  }

  @Test
  void tokenAndUsersList() throws Exception {
    assertEquals(List.of(where(1) + ": authorization: Can not have a token and a users array"),
        errors("authorization { token: t, users: [ { user: c } ] }\n"));
  }

  @Test
  void notAMap() throws Exception {
    assertEquals(List.of(where(1) + ": authorization: expected a map, got a string \"x\""),
        errors("authorization: x\n"));
  }

  @Test
  void wrongTypes() throws Exception {
    assertEquals(List.of(
            where(2) + ": user: expected a string, got an integer (5)",
            where(3) + ": token: expected a string, got a boolean (true)"),
        errors("authorization {\n  user: 5\n  token: true\n}\n"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"proxy_required: true"})
  void blockFeaturesNotBuiltYet(String entry) throws Exception {
    String key = entry.split(":")[0];
    assertEquals(List.of(where(2) + ": " + key + ": not supported yet"),
        errors("authorization {\n  " + entry + "\n  users: [ { user: a } ]\n}\n"));
  }

  // ---- timeout ----

  @Test
  void badTimeouts() throws Exception {
    assertEquals(List.of(where(1)
            + ": timeout: error parsing authorization config, 'timeout' time: invalid duration \"abc\""),
        errors("authorization { timeout: \"abc\" }\n"));
    assertEquals(List.of(where(1) + ": timeout: error parsing authorization config, 'timeout' wrong type"),
        errors("authorization { timeout: [x] }\n"));
    assertEquals(List.of(where(1) + ": timeout: error parsing authorization config, 'timeout' wrong type"),
        errors("authorization { timeout: true }\n"));
    assertEquals(List.of(where(1) + ": timeout: must not be negative"),
        errors("authorization { timeout: -1 }\n"));
  }

  @Test
  void highTimeoutIsAWarning() throws Exception {
    ConfigLoad l = OptionsReader.load(write("t.conf", "authorization {\n  timeout: 90\n}\n"));
    assertEquals(Duration.ofSeconds(90), l.options().authTimeout());
    assertEquals(List.of(where(2) + ": invalid use of field \"timeout\": timeout of 90 (90.000000 "
        + "seconds) is high, consider keeping it under 60 seconds. possibly caused by unquoted "
        + "duration; use '1m' instead of 1m, for example"), l.warnings());
    // An unquoted 1m is the number 1000000 in nats.conf: the same warning says so.
    List<String> w = warnings("authorization { timeout: 1m }\n");
    assertEquals(1, w.size());
    assertEquals(where(1) + ": invalid use of field \"timeout\": timeout of 1000000 (1000000.000000 "
        + "seconds) is high, consider keeping it under 60 seconds. possibly caused by unquoted "
        + "duration; use '1m' instead of 1m, for example", w.get(0));
    assertEquals(List.of(), warnings("authorization { timeout: \"1m\" }\n"));
  }

  // ---- users ----

  @Test
  void usersMustBeAListOfMaps() throws Exception {
    assertEquals(List.of(where(1) + ": users: Expected users field to be an array, got alice"),
        errors("authorization { users: alice }\n"));
    assertEquals(List.of(where(2) + ": users: Expected user entry to be a map/struct, got bob"),
        errors("authorization { users: [\n bob\n] }\n"));
  }

  @Test
  void userEntryRequiresAUserOrAnNkey() throws Exception {
    assertEquals(List.of(where(2) + ": users: User entry requires a user"),
        errors("authorization { users: [\n { password: p }\n] }\n"));
    assertEquals(List.of(where(2) + ": users: User entry requires a user"),
        errors("authorization { users: [\n { user: \"\" }\n] }\n"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "UA55CRFK6H3IZACFXMBCKDNMLQLWK6ICT5H72UZYZ4G2GM4N53DFGYYN", // one character off: bad CRC
      "ua55crfk6h3izacfxmbckdnmlqlwk6ict5h72uzyz4g2gm4n53dfgyym", // lower case
      "AAJHJP7IUPHFA752WJ734G4BWUKDTPY2EHK6OKSY7L2QUVLZOMRLWFEM", // a valid account key, not a user
      "UA55CRFK6H3IZACFXMBCKDNMLQLWK6ICT5H72UZYZ4G2GM4N53DFGYY",  // too short
      "UA55CRFK6H3IZACFXMBCKDNMLQLWK6ICT5H72UZYZ4G2GM4N53DFGYY1", // not base32
      "UABC"})
  void invalidNkeys(String nkey) throws Exception {
    assertEquals(List.of(where(3) + ": nkey: Not a valid public nkey for a user"),
        errors("authorization { users: [\n {\n  nkey: " + nkey + "\n }\n] }\n"));
  }

  @Test
  void nkeyUsersTakeNoUserOrPassword() throws Exception {
    assertEquals(List.of(where(2) + ": users: Nkey users do not take usernames or passwords"),
        errors("authorization { users: [\n { nkey: " + NKEY + ", user: a }\n] }\n"));
    assertEquals(List.of(where(2) + ": users: Nkey users do not take usernames or passwords"),
        errors("authorization { users: [\n { nkey: " + NKEY + ", password: p }\n] }\n"));
  }

  @Test
  void duplicates() throws Exception {
    assertEquals(List.of(where(3) + ": users: Duplicate user \"a\" detected"),
        errors("authorization { users: [\n { user: a }\n { user: a, password: x }\n] }\n"));
    assertEquals(List.of(where(3) + ": users: Duplicate nkey \"" + NKEY + "\" detected"),
        errors("authorization { users: [\n { nkey: " + NKEY + " }\n { nkey: " + NKEY + " }\n] }\n"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"allowed_connection_types", "connection_types", "clients"})
  void connectionTypesAreNotSupportedYet(String key) throws Exception {
    assertEquals(List.of(where(2) + ": " + key + ": not supported yet"),
        errors("authorization { users: [\n { user: a, " + key + ": [STANDARD] }\n] }\n"));
  }

  // ---- permissions ----

  @Test
  void permissionsMustBeAMap() throws Exception {
    assertEquals(where(2) + ": permissions: Expected permissions to be a map/struct, got x",
        permissionError("x"));
    assertEquals(List.of(where(1) + ": default_permissions: Expected permissions to be a map/struct, "
        + "got [a]"), errors("authorization { default_permissions: [a] }\n"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{ publish: 5 }|publish: Expected subject permissions to be a subject, or array of subjects, got int64",
      "{ sub: true }|sub: Expected subject permissions to be a subject, or array of subjects, got bool",
      "{ publish: { allow: 1.5 } }|allow: Expected subject permissions to be a subject, or array of subjects, got float64",
      "{ subscribe: { deny: { a: b } } }|deny: Expected subject permissions to be a subject, or array of subjects, got map[string]interface {}",
      "{ publish: [a, true] }|publish: Subject in permissions array cannot be cast to string",
      "{ publish: \"a..b\" }|publish: subject \"a..b\" is not a valid subject",
      "{ publish: \"a.>.b\" }|publish: subject \"a.>.b\" is not a valid subject",
      "{ publish: \"\" }|publish: subject \"\" is not a valid subject",
      "{ publish: \"orders.* workers\" }|publish: subject \"orders.* workers\" is not a valid subject",
      "{ subscribe: \"a..b q\" }|subscribe: subject \"a..b\" is not a valid subject",
      "{ subscribe: \"a.b q..x\" }|subscribe: queue \"q..x\" is not a valid queue",
      "{ subscribe: \"a b c\" }|subscribe: subject \"a b c\" is not a valid subject",
      "{ subscribe: { allow: [ok, \".x\"] } }|allow: subject \".x\" is not a valid subject",
      "{ allow_responses: 1 }|allow_responses: error parsing response permissions, expected a boolean or a map",
      "{ allow_responses: { max: \"2\" } }|max: expected an integer, got a string \"2\"",
      "{ allow_responses: { expires: 60 } }|expires: error parsing expires, not a duration string",
      "{ allow_responses: { expires: 1m } }|expires: error parsing expires, not a duration string (unquoted 1m is the number 1000000; write \"1m\" in quotes)",
      "{ allow_responses: { ttl: \"5x\" } }|ttl: error parsing expires: time: unknown unit \"x\" in duration \"5x\"",
      "{ import: a }|import: not supported yet (write publish)",
      "{ export: a }|export: not supported yet (write subscribe)",
  })
  void badPermissions(String block, String message) throws Exception {
    assertEquals(where(2) + ": " + message, permissionError(block));
  }

  @Test
  void eachBadListEntryNamesItsOwnLine() throws Exception {
    assertEquals(List.of(where(3) + ": publish: subject \"a..b\" is not a valid subject",
            where(5) + ": publish: subject \"c d\" is not a valid subject"),
        errors("authorization { users: [ { user: u, permissions: { publish: [\n"
            + "  ok\n  \"a..b\"\n  fine.>\n  \"c d\"\n] } } ] }\n"));
  }

  // ---- no_auth_user ----

  @Test
  void noAuthUserWithoutUsers() throws Exception {
    assertEquals(List.of(where(1) + ": no_auth_user: \"x\" present, but users/nkeys are not defined"),
        errors("no_auth_user: x\n"));
    // The single user is not in the users list, as in nats-server.
    assertEquals(List.of(where(2) + ": no_auth_user: \"a\" present, but users/nkeys are not defined"),
        errors("authorization { user: a, password: b }\nno_auth_user: a\n"));
    assertEquals(List.of(where(1) + ": no_auth_user: \"t\" present, but users/nkeys are not defined"),
        errors("no_auth_user: t\nauthorization { token: t }\n"));
  }

  @Test
  void noAuthUserMustBeListed() throws Exception {
    assertEquals(List.of(where(2) + ": no_auth_user: \"bob\" not present as user or nkey in "
            + "authorization block or account configuration"),
        errors("authorization { users: [ { user: alice } ] }\nno_auth_user: bob\n"));
  }

  @Test
  void allProblemsAreReportedTogether() throws Exception {
    List<String> e = errors("authorization {\n  timeout: \"x\"\n  users: [\n"
        + "    { user: a, permissions: { publish: \"a..b\" } }\n"
        + "    { nkey: UBAD }\n  ]\n}\nno_auth_user: nobody\n");
    assertEquals(List.of(
        where(2) + ": timeout: error parsing authorization config, 'timeout' time: invalid duration \"x\"",
        where(4) + ": publish: subject \"a..b\" is not a valid subject",
        where(5) + ": nkey: Not a valid public nkey for a user",
        where(8) + ": no_auth_user: \"nobody\" present, but users/nkeys are not defined"), e);
  }

  // ---- warnings ----

  @Test
  void unknownKeysAreWarningsAtTheirLine() throws Exception {
    ConfigLoad l = OptionsReader.load(write("t.conf", """
        authorization {
          colour: blue
          users: [
            { user: a, shoe: 42, permissions: {
                size: 1
                publish: { allow: x, maybe: y }
                allow_responses: { max: 1, soon: "1s" } } }
          ]
        }
        """));
    assertEquals(List.of(
        where(2) + ": unknown field \"colour\" in authorization (ignored)",
        where(4) + ": unknown field \"shoe\" in users entry (ignored)",
        where(5) + ": unknown field \"size\" in permissions (ignored)",
        where(6) + ": unknown field \"maybe\" in publish (only allow and deny are permitted) (ignored)",
        where(7) + ": unknown field \"soon\" in allow_responses (ignored)"), l.warnings());
    assertEquals(List.of("x"), l.options().authorization().users().get(0).permissions().publishAllow());
  }

  @Test
  void passwordWithoutUserIsIgnoredWithAWarning() throws Exception {
    ConfigLoad l = OptionsReader.load(write("t.conf", "authorization {\n  password: p\n}\n"));
    assertEquals(List.of(where(2) + ": password: ignored: a password needs a user"), l.warnings());
    assertEquals(false, l.options().authorization().required());
  }

  @Test
  void defaultPermissionsDoNotApplyToTheSingleUser() throws Exception {
    ConfigLoad l = OptionsReader.load(write("t.conf",
        "authorization {\n  user: a\n  default_permissions: { publish: x }\n}\n"));
    assertEquals(List.of(where(1) + ": authorization: default_permissions apply to the users list "
        + "only; user \"a\" is not restricted (as in nats-server)"), l.warnings());
    assertSame(AuthorizationReader.SINGLE_USER,
        l.options().authorization().users().get(0).permissions());
  }

  @Test
  void emptySubjectListsRestrictNothing() throws Exception {
    ConfigLoad l = OptionsReader.load(write("t.conf",
        "authorization { users: [ { user: a, permissions: {\n publish: []\n subscribe: { deny: [] }\n} } ] }\n"));
    assertEquals(List.of(
        where(2) + ": publish: an empty list restricts nothing (as in nats-server); deny: \">\" forbids everything",
        where(3) + ": deny: an empty list restricts nothing (as in nats-server); deny: \">\" forbids everything"),
        l.warnings());
    assertEquals(new AuthOptions.PermissionOptions(null, null, null, null, null),
        l.options().authorization().users().get(0).permissions());
  }

  // ---- YAML: the same messages at YAML lines ----

  @Test
  void yamlErrorsNameFileAndLine() throws Exception {
    Path f = write("t.yaml", """
        authorization:
          token: t
          users:
            - user: a
              permissions:
                publish: "a..b"
                allow_responses: {expires: 5}
            - nkey: UXYZ
        no_auth_user: b
        """);
    ConfigException e = assertThrows(ConfigException.class, () -> OptionsReader.load(f));
    assertEquals(List.of(
        f + ":6: publish: subject \"a..b\" is not a valid subject",
        f + ":7: expires: error parsing expires, not a duration string",
        f + ":8: nkey: Not a valid public nkey for a user",
        f + ":1: authorization: Can not have a token and a users array",
        f + ":9: no_auth_user: \"b\" present, but users/nkeys are not defined"), e.errors());
  }

  @Test
  void yamlWarnings() throws Exception {
    Path f = write("t.yaml", "authorization:\n  timeout: 120\n  users:\n    - user: a\n      hat: 1\n");
    assertEquals(List.of(
        f + ":2: invalid use of field \"timeout\": timeout of 120 (120.000000 seconds) is high, "
            + "consider keeping it under 60 seconds. possibly caused by unquoted duration; use '1m' "
            + "instead of 1m, for example",
        f + ":5: unknown field \"hat\" in users entry (ignored)"), OptionsReader.load(f).warnings());
  }
}
