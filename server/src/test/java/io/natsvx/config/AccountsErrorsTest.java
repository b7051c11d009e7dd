package io.natsvx.config;

import static io.natsvx.config.AuthorizationReaderTest.NKEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@code accounts} and {@code system_account} refuse (nats-server's messages, after
 * "file:line: key:") and what they warn about.
 */
class AccountsErrorsTest extends ConfigFileTest {

  /** Two accounts: A exports {@code exports}, B imports {@code imports}, each on its own line. */
  private static String ab(String exports, String imports) {
    return "accounts {\n  A: { exports: [ " + exports + " ] }\n  B: { imports: [\n    " + imports
        + "\n  ] }\n}\n";
  }

  // ---- the block ----

  @Test
  void theGlobalAccountIsReserved() throws Exception {
    assertEquals(List.of(where(2) + ": $G: \"$G\" is a Reserved Account"),
        errors("accounts {\n  $G: {}\n}\n"));
    assertEquals(List.of(where(1) + ": accounts: \"$G\" is a Reserved Account"),
        errors("accounts: [A, \"$G\"]\n"));
  }

  @Test
  void theListOfNames() throws Exception {
    assertEquals(List.of(where(1) + ": accounts: Duplicate Account Entry: A"),
        errors("accounts: [A, B, A]\n"));
    assertEquals(List.of(where(1) + ": accounts: expected a string, got an integer (1)"),
        errors("accounts: [A, 1]\n"));
  }

  @Test
  void wrongShapes() throws Exception {
    assertEquals(List.of(where(1) + ": accounts: expected a map of accounts or a list of account "
        + "names, got a string \"A\""), errors("accounts: A\n"));
    assertEquals(List.of(where(2) + ": A: Expected map entries for accounts"),
        errors("accounts {\n  A: 1\n}\n"));
  }

  @Test
  void variablesInsideTheBlockAreNotAccounts() throws Exception {
    ConfigLoad l = OptionsReader.load(write("t.conf",
        "accounts {\n  PASS: secret\n  A: { users: [ { user: a, password: $PASS } ] }\n}\n"));
    assertEquals(List.of(), l.warnings());
    assertEquals(1, l.options().accounts().size());
    assertEquals("secret", l.options().accounts().get(0).users().get(0).password());
    ExampleConfigsTest.assertNatsServerAccepts(dir.resolve("t.conf"));
  }

  @Test
  void leafNodeLimitNotBuiltYet() throws Exception {
    assertEquals(List.of(where(2) + ": max_leafnodes: not supported yet"),
        errors("accounts { A: {\n  limits: { max_leafnodes: 1 }\n} }\n"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"mappings: { a: b }", "maps: { a: b }"})
  void accountFeaturesNotBuiltYet(String line) throws Exception {
    String key = line.split(":")[0];
    assertEquals(List.of(where(2) + ": " + key + ": not supported yet"),
        errors("accounts { A: {\n  " + line + "\n} }\n"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"permissions", "default_permission"})
  void permissionsAreDefaultPermissionsInAnAccount(String key) throws Exception {
    assertEquals(List.of(where(2) + ": " + key + ": unknown field \"" + key + "\" in account \"A\" "
            + "(nats-server reads default_permissions here)"),
        errors("accounts { A: {\n  " + key + ": { publish: x }\n} }\n"));
  }

  @Test
  void unknownAccountKeysAreWarnings() throws Exception {
    assertEquals(List.of(where(2) + ": unknown field \"colour\" in account \"A\" (ignored)"),
        warnings("accounts { A: {\n  colour: blue\n} }\n"));
  }

  @Test
  void accountNkeys() throws Exception {
    assertEquals(List.of(where(2) + ": nkey: Not a valid public nkey for an account: \"foo\""),
        errors("accounts { A: {\n  nkey: foo\n} }\n"));
    // A user key is not an account key.
    assertEquals(List.of(where(2) + ": nkey: Not a valid public nkey for an account: \"" + NKEY + "\""),
        errors("accounts { A: {\n  nkey: " + NKEY + "\n} }\n"));
    String account = io.natsvx.internal.NKeyCodec.encode((byte) 0, new byte[32]);
    Path f = write("t.conf", "accounts { A: {\n  nkey: " + account + "\n} }\n");
    assertEquals(List.of(where(2) + ": nkey: not used without an operator (ignored)"),
        OptionsReader.load(f).warnings());
    ExampleConfigsTest.assertNatsServerAccepts(f);
  }

  // ---- users ----

  @Test
  void aUserNameIsUniqueAcrossAccountsAndTheAuthorizationBlock() throws Exception {
    assertEquals(List.of(where(3) + ": users: Duplicate user \"a\" detected"),
        errors("accounts {\n  A: { users: [ { user: a, password: p } ] }\n"
            + "  B: { users: [ { user: b, password: p }, { user: a, password: q } ] }\n}\n"));
    assertEquals(List.of(where(3) + ": users: Duplicate user \"g\" detected"),
        errors("accounts {\n  A: { users: [ { user: a, password: p } ] }\n"
            + "  B: { users: [ { user: g, password: p } ] }\n}\n"
            + "authorization { users: [ { user: g, password: x } ] }\n"));
    assertEquals(List.of(where(2) + ": users: Duplicate nkey \"" + NKEY + "\" detected"),
        errors("authorization { users: [ { nkey: " + NKEY + " } ] }\n"
            + "accounts { A: { users: [ { nkey: " + NKEY + " } ] } }\n"));
  }

  @Test
  void withinOneAccountAsInTheAuthorizationBlock() throws Exception {
    assertEquals(List.of(where(3) + ": users: Duplicate user \"a\" detected"),
        errors("accounts { A: { users: [\n  { user: a, password: p }\n  { user: a, password: q }\n"
            + "] } }\n"));
    assertEquals(List.of(where(2) + ": users: User entry requires a user"),
        errors("accounts { A: { users: [\n  { password: q }\n] } }\n"));
  }

  @Test
  void noSingleUserOrTokenWithAccountUsers() throws Exception {
    assertEquals(List.of(where(2) + ": users: Can not have a single user/pass and accounts"),
        errors("authorization { user: x, password: y }\n"
            + "accounts { A: { users: [ { user: a, password: p } ] } }\n"));
    assertEquals(List.of(where(1) + ": users: Can not have a token and accounts"),
        errors("accounts { A: { users: [ { user: a, password: p } ] } }\n"
            + "authorization { token: t }\n"));
  }

  @Test
  void noAuthUserMustBeSomewhere() throws Exception {
    assertEquals(List.of(where(2) + ": no_auth_user: \"x\" not present as user or nkey in "
            + "authorization block or account configuration"),
        errors("accounts { A: { users: [ { user: a, password: p } ] } }\nno_auth_user: x\n"));
    assertEquals(List.of(where(2) + ": no_auth_user: \"x\" present, but users/nkeys are not "
        + "defined"), errors("accounts: [A]\nno_auth_user: x\n"));
  }

  // ---- exports ----

  private String exportError(String export) throws Exception {
    List<String> e = errors("accounts { A: { exports: [\n  " + export + "\n] } }\n");
    assertEquals(1, e.size(), e.toString());
    return e.get(0);
  }

  @Test
  void exportShapes() throws Exception {
    assertEquals(where(1) + ": exports: Exports should be an array, got map[string]interface {}",
        errors("accounts { A: { exports: { stream: x } } }\n").get(0));
    assertEquals(where(2) + ": exports: Export Items should be a map with type entry, got string",
        exportError("x"));
    assertEquals(where(2) + ": stream: Expected stream name to be string, got int64",
        exportError("{ stream: 1 }"));
    assertEquals(where(2) + ": service: Expected service name to be string, got bool",
        exportError("{ service: true }"));
    assertEquals(where(2) + ": service: Detected service \"y\" but already saw a stream",
        exportError("{ stream: x, service: y }"));
    assertEquals(where(2) + ": stream: Detected stream \"y\" but already saw a service",
        exportError("{ service: x, stream: y }"));
    assertEquals(where(2) + ": accounts: expected a list of account names, got a string \"B\"",
        exportError("{ stream: x, accounts: B }"));
  }

  @Test
  void responseDirectivesAreForServices() throws Exception {
    assertEquals(where(2) + ": response_type: Detected response directive on non-service",
        exportError("{ stream: x, response_type: stream }"));
    assertEquals(where(2) + ": response_type: Detected response directive on non-service",
        exportError("{ response: stream, stream: x }"));
    assertEquals(where(2) + ": response_threshold: Detected response directive on non-service",
        exportError("{ threshold: \"1s\", stream: x }"));
    List<String> e = errors("accounts { A: { exports: [\n  { stream: x, latency: lat }\n] } }\n");
    assertEquals(List.of(where(2) + ": latency: Detected latency directive on non-service"), e);
  }

  @Test
  void responseTypeAndThresholdValues() throws Exception {
    assertEquals(where(2) + ": response_type: Unknown response type: \"many\"",
        exportError("{ service: x, response_type: many }"));
    assertEquals(where(2) + ": response_type: Expected response type to be string, got int64",
        exportError("{ service: x, response_type: 1 }"));
    assertEquals(where(2) + ": response: Duplicate response type definition",
        exportError("{ service: x, response_type: stream, response: stream }"));
    assertEquals(where(2) + ": response_threshold: Expected response threshold to be a parseable "
        + "time duration, got \"soon\"", exportError("{ service: x, response_threshold: soon }"));
    assertEquals(where(2) + ": threshold: Expected response threshold to be a parseable time "
        + "duration, got int64", exportError("{ service: x, threshold: 5 }"));
    assertEquals(where(2) + ": threshold: Duplicate response threshold detected",
        exportError("{ service: x, response_threshold: \"1s\", threshold: \"2s\" }"));
    assertEquals(where(2) + ": response_threshold: must not be negative",
        exportError("{ service: x, response_threshold: \"-1s\" }"));
  }

  @Test
  void accountTokenPositionIsNotBuiltYet() throws Exception {
    assertEquals(where(2) + ": account_token_position: not supported yet",
        exportError("{ service: \"x.*\", account_token_position: 2 }"));
  }

  @Test
  void exportWarnings() throws Exception {
    assertEquals(List.of(where(2) + ": exports: an export needs a stream or a service subject "
            + "(ignored)"),
        warnings("accounts { A: { exports: [\n  { accounts: [A] }\n] } }\n"));
    assertEquals(List.of(where(2) + ": stream: subject \"a..b\" is not a valid subject: nothing "
            + "can import it (ignored)"),
        warnings("accounts { A: { exports: [\n  { stream: \"a..b\" }\n] } }\n"));
    assertEquals(List.of(where(2) + ": accounts: an empty list lets every account import (as in "
            + "nats-server); leave the export out to export nothing"),
        warnings("accounts { A: { exports: [\n  { stream: x, accounts: [] }\n] } }\n"));
    assertEquals(List.of(where(2) + ": latency: not supported yet, ignored"),
        warnings("accounts { A: { exports: [\n  { service: x, latency: lat }\n] } }\n"));
    assertEquals(List.of(where(2) + ": unknown field \"colour\" in export (ignored)"),
        warnings("accounts { A: { exports: [\n  { service: x, colour: red }\n] } }\n"));
  }

  @Test
  void exportsNameConfiguredAccounts() throws Exception {
    assertEquals(List.of(where(2) + ": accounts: \"C\" account not defined for stream export"),
        errors("accounts {\n  A: { exports: [ { stream: x, accounts: [B, C] } ] }\n  B: {}\n}\n"));
    assertEquals(List.of(where(2) + ": accounts: \"C\" account not defined for service export"),
        errors("accounts {\n  A: { exports: [ { service: x, accounts: [C] } ] }\n}\n"));
  }

  // ---- imports ----

  private String importError(String imp) throws Exception {
    List<String> e = errors(ab("{ stream: \"x.>\" }, { service: \"q.>\" }", imp));
    assertEquals(1, e.size(), e.toString());
    return e.get(0);
  }

  @Test
  void importShapes() throws Exception {
    assertEquals(where(1) + ": imports: Imports should be an array, got string",
        errors("accounts { A: { imports: x } }\n").get(0));
    assertEquals(where(4) + ": imports: Import Items should be a map with type entry, got int64",
        importError("1"));
    assertEquals(where(4) + ": stream: Stream entry should be an account map, got string",
        importError("{ stream: \"x.a\" }"));
    assertEquals(where(4) + ": service: Service entry should be an account map, got []interface {}",
        importError("{ service: [A] }"));
    assertEquals(where(4) + ": service: Detected service but already saw a stream",
        importError("{ stream: { account: A, subject: \"x.a\" }, service: { account: A, subject: q.a } }"));
    assertEquals(where(4) + ": stream: Detected stream but already saw a service",
        importError("{ service: { account: A, subject: q.a }, stream: { account: A, subject: \"x.a\" } }"));
    assertEquals(where(4) + ": stream: Expect an account name and a subject",
        importError("{ stream: { account: A } }"));
    assertEquals(where(4) + ": service: Expect an account name and a subject",
        importError("{ service: { subject: q.a, account: \"\" } }"));
    assertEquals(where(4) + ": account: expected a string, got an integer (1)",
        importError("{ service: { subject: q.a, account: 1 } }"));
  }

  @Test
  void aStreamImportHasAPrefixOrATo() throws Exception {
    assertEquals(where(4) + ": to: Stream import can not have a 'prefix' and a 'to' property",
        importError("{ stream: { account: A, subject: \"x.a\" }, prefix: p, to: t }"));
    assertEquals(where(4) + ": to: Stream import can not have a 'prefix' and a 'to' property",
        importError("{ to: t, prefix: p, stream: { account: A, subject: \"x.a\" } }"));
  }

  @Test
  void oneServiceImportPerLocalSubject() throws Exception {
    List<String> e = errors(ab("{ service: \"q.>\" }", "{ service: { account: A, subject: q.a }, to: "
        + "local }\n    { service: { account: A, subject: q.b }, to: local }"));
    assertEquals(List.of(where(5) + ": imports: Duplicate service import subject \"local\", "
        + "previously used in import for account \"A\", subject \"q.a\""), e);
  }

  @Test
  void importWarnings() throws Exception {
    String exports = "{ stream: \"x.>\" }, { service: \"q.>\" }";
    assertEquals(List.of(where(4) + ": prefix: ignored: a service import takes 'to' (as in "
            + "nats-server)"),
        warnings(ab(exports, "{ service: { account: A, subject: q.a }, prefix: p }")));
    assertEquals(List.of(where(4) + ": share: not supported yet, ignored"),
        warnings(ab(exports, "{ service: { account: A, subject: q.a }, share: true }")));
    assertEquals(List.of(where(4) + ": imports: an import needs a stream or a service (ignored)"),
        warnings(ab(exports, "{ to: x }")));
    assertEquals(List.of(where(4) + ": unknown field \"colour\" in import (ignored)",
            where(4) + ": unknown field \"size\" in import source (ignored)"),
        warnings(ab(exports, "{ colour: red, stream: { account: A, subject: \"x.a\", size: 1 } }")));
  }

  // ---- imports against exports ----

  @Test
  void importsNameConfiguredAccounts() throws Exception {
    assertEquals(where(4) + ": account: \"C\" account not defined for stream import",
        importError("{ stream: { account: C, subject: \"x.a\" } }"));
    assertEquals(where(4) + ": account: \"C\" account not defined for service import",
        importError("{ service: { account: C, subject: q.a } }"));
  }

  @Test
  void whatIsImportedMustBeExportedToTheImporter() throws Exception {
    assertEquals(where(4) + ": subject: Error adding stream import \"y\": stream import not "
        + "authorized", importError("{ stream: { account: A, subject: y } }"));
    // A service export is not a stream export, and the other way round.
    assertEquals(where(4) + ": subject: Error adding stream import \"q.a\": stream import not "
        + "authorized", importError("{ stream: { account: A, subject: q.a } }"));
    assertEquals(where(4) + ": subject: Error adding service import \"x.a\": service import not "
        + "authorized", importError("{ service: { account: A, subject: x.a } }"));
    // Wider than the export.
    assertEquals(where(4) + ": subject: Error adding stream import \">\": stream import not "
        + "authorized", importError("{ stream: { account: A, subject: \">\" } }"));
    List<String> e = errors("accounts {\n  A: { exports: [ { stream: s, accounts: [C] },"
        + " { service: q, accounts: [C] } ] }\n  B: { imports: [\n"
        + "    { stream: { account: A, subject: s } }\n"
        + "    { service: { account: A, subject: q } }\n  ] }\n  C: {}\n}\n");
    assertEquals(List.of(
        where(4) + ": subject: Error adding stream import \"s\": stream import not authorized",
        where(5) + ": subject: Error adding service import \"q\": service import not authorized"), e);
  }

  @Test
  void anExactExportDecidesBeforeAWiderOne() throws Exception {
    // As nats-server: the export of exactly "x.a", for C only, is the one that counts.
    assertEquals(List.of(where(4) + ": subject: Error adding stream import \"x.a\": stream import not "
            + "authorized"),
        errors("accounts {\n  A: { exports: [ { stream: \"x.>\" }, { stream: \"x.a\", accounts: [C] } ] }\n"
            + "  B: { imports: [\n"
            + "    { stream: { account: A, subject: \"x.a\" } }\n  ] }\n  C: {}\n}\n"));
  }

  @Test
  void invalidImportSubjects() throws Exception {
    assertEquals(where(4) + ": subject: Error adding stream import \"x..a\": stream import not "
        + "authorized", importError("{ stream: { account: A, subject: \"x..a\" } }"));
    assertEquals(where(4) + ": to: Error adding service import \"q.a\": sublist: invalid subject",
        importError("{ service: { account: A, subject: q.a }, to: \"bad subject\" }"));
    assertEquals(where(4) + ": subject: Error adding service import \"q.>.a\": sublist: invalid "
        + "subject", importError("{ service: { account: A, subject: \"q.>.a\" } }"));
  }

  @Test
  void aPrefixIsLiteral() throws Exception {
    assertEquals(where(4) + ": prefix: Error adding stream import \"x.a\": stream import prefix can "
        + "not contain wildcard tokens",
        importError("{ stream: { account: A, subject: \"x.a\" }, prefix: \"p.*\" }"));
  }

  @Test
  void renamingsMustBeReversible() throws Exception {
    assertEquals(where(4) + ": to: Error adding stream import \"x.*\": failed to create mapping "
            + "transform for stream import subject from \"x.*\" to \"y\": invalid mapping "
            + "destination: not using all of the token wildcard(s) in y",
        importError("{ stream: { account: A, subject: \"x.*\" }, to: y }"));
    assertEquals(where(4) + ": to: Error adding stream import \"x.>\": failed to create mapping "
            + "transform for stream import subject from \"x.>\" to \"y\": invalid subject",
        importError("{ stream: { account: A, subject: \"x.>\" }, to: y }"));
    assertEquals(where(4) + ": to: Error adding stream import \"x.*\": failed to create mapping "
            + "transform for stream import subject from \"x.*\" to \"y.$2\": invalid mapping "
            + "destination: wildcard index out of range in $2: [2]",
        importError("{ stream: { account: A, subject: \"x.*\" }, to: \"y.$2\" }"));
    assertEquals(where(4) + ": to: Error adding stream import \"x.*\": failed to create mapping "
            + "transform for stream import subject from \"x.*\" to \"y.{{partition(2,1)}}\": "
            + "invalid mapping destination: the only mapping function allowed for import "
            + "transforms is {{Wildcard()}} in {{partition(2,1)}}",
        importError("{ stream: { account: A, subject: \"x.*\" }, to: \"y.{{partition(2,1)}}\" }"));
    assertEquals(where(4) + ": to: Error adding service import \"q.*\": failed to create mapping "
            + "transform for service import subject from \"local\" to \"q.*\": invalid mapping "
            + "destination: not using all of the token wildcard(s) in local",
        importError("{ service: { account: A, subject: \"q.*\" }, to: local }"));
  }

  @Test
  void importsFormNoCycle() throws Exception {
    assertEquals(List.of(where(4) + ": imports: Error adding stream import \"x\": import forms a "
            + "cycle"),
        errors("accounts {\n"
            + "  A: { exports: [ { stream: x } ], imports: [ { stream: { account: B, subject: x } } ] }\n"
            + "  B: { exports: [ { stream: x } ], imports: [\n"
            + "    { stream: { account: A, subject: x } }\n  ] }\n}\n"));
    assertEquals(List.of(where(4) + ": imports: Error adding service import \"q\": import forms a "
            + "cycle"),
        errors("accounts {\n"
            + "  A: { exports: [ { service: q } ], imports: [ { service: { account: B, subject: q } } ] }\n"
            + "  B: { exports: [ { service: q } ], imports: [\n"
            + "    { service: { account: A, subject: q } }\n  ] }\n}\n"));
  }

  @Test
  void aStreamIsImportedOnce() throws Exception {
    assertEquals(List.of(where(5) + ": imports: Error adding stream import \"x.a\": stream import "
            + "already exists"),
        errors(ab("{ stream: \"x.>\" }", "{ stream: { account: A, subject: \"x.a\" } }\n"
            + "    { stream: { account: A, subject: \"x.a\" }, prefix: p }")));
  }

  @Test
  void importsAreCheckedOnlyAfterAnErrorFreeBlock() throws Exception {
    // As nats-server: one error, not a second one about the import of the broken export.
    assertEquals(List.of(where(2) + ": stream: Expected stream name to be string, got int64"),
        errors(ab("{ stream: 1 }", "{ stream: { account: A, subject: y } }")));
  }

  // ---- system account ----

  @Test
  void theSystemAccountMustBeConfigured() throws Exception {
    assertEquals(List.of(where(2) + ": system_account: error resolving system account: account "
            + "missing (\"NOPE\" is not in accounts)"),
        errors("accounts { A: {} }\nsystem_account: NOPE\n"));
    // As nats-server, which does not create $SYS when it is named.
    assertEquals(List.of(where(1) + ": system: error resolving system account: account "
            + "missing (\"$SYS\" is not in accounts)"),
        errors("system: \"$SYS\"\n"));
    assertEquals(List.of(where(1) + ": system_account: system account name must be a string"),
        errors("system_account: 1\n"));
  }

  @Test
  void systemAccountWarnings() throws Exception {
    assertEquals(List.of(where(1) + ": System_Account: ignored: nats-server reads only "
            + "\"system_account\" and \"system\", in lower case"),
        warnings("System_Account: NOPE\n"));
    assertEquals(List.of(where(1) + ": system_account: the global account is the system account: "
            + "clients without an account of their own get its privileges (as in nats-server)"),
        warnings("system_account: \"$G\"\n"));
  }

  // ---- side by side with nats-server ----

  /**
   * natsvx and nats-server -t (when installed) refuse the same files with the same words. Only
   * messages that do not depend on the order nats-server happens to visit keys in (a Go map),
   * nor on its version (2.9 has no stream import `to`, so prefix-and-to is 2.10's alone).
   */
  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      accounts { A { exports [{stream: "a.>", accounts: [B]}] }, B { imports [{stream: {account: A, subject: "b.x"}}] } } | Error adding stream import "b.x": stream import not authorized
      accounts { A { exports [{service: "q"}] }, B { imports [{service: {account: A, subject: "r"}}] } } | Error adding service import "r": service import not authorized
      accounts { A { exports [{stream: "a.>", accounts: [C]}] }, B { } }                                | "C" account not defined for stream export
      accounts { A { }, B { imports [{stream: {account: C, subject: "a.x"}}] } }                          | "C" account not defined for stream import
      accounts { A { }, B { imports [{service: {account: C, subject: "a.x"}}] } }                         | "C" account not defined for service import
      accounts { A { exports [{stream: "a.>"}] }, B { imports [{stream: {account: A, subject: "a.x"}, prefix: "p.*"}] } } | stream import prefix can not contain wildcard tokens
      accounts { A { exports [{stream: "x"}], imports [{stream: {account: B, subject: "x"}}] }, B { exports [{stream: "x"}], imports [{stream: {account: A, subject: "x"}}] } } | import forms a cycle
      accounts { A { exports [{service: "x"}], imports [{service: {account: B, subject: "x"}}] }, B { exports [{service: "x"}], imports [{service: {account: A, subject: "x"}}] } } | import forms a cycle
      accounts { A { exports [{stream: "x"}] }, B { imports [{stream: {account: A, subject: "x"}}, {stream: {account: A, subject: "x"}, prefix: p}] } } | stream import already exists
      accounts { A { exports [{service: "x"}] }, B { imports [{service: {account: A, subject: "x"}}, {service: {account: A, subject: "x"}}] } } | Duplicate service import subject "x", previously used in import for account "A", subject "x"
      accounts { A { users [{user: a}] }, B { users [{user: a}] } }                                       | Duplicate user "a" detected
      accounts { A { exports [{stream: "x", response_type: stream}] } }                                   | Detected response directive on non-service
      accounts { A { exports [{service: "x", response_type: foo}] } }                                     | Unknown response type: "foo"
      accounts { A { exports [{service: "x", response_threshold: "abc"}] } }                              | Expected response threshold to be a parseable time duration, got "abc"
      accounts { A { imports [{service: {account: A}}] } }                                                | Expect an account name and a subject
      accounts { A { nkey: foo } }                                                                        | Not a valid public nkey for an account: "foo"
      accounts { $G { } }                                                                                 | "$G" is a Reserved Account
      accounts { A: 1 }                                                                                   | Expected map entries for accounts
      """)
  void natsServerRefusesTheSame(String conf, String message) throws Exception {
    List<String> e = errors(conf + "\n");
    assertTrue(e.stream().anyMatch(x -> x.endsWith(": " + message)), e.toString());
    NatsServerCheck.assertRejects(dir.resolve("t.conf"), message);
  }
}
