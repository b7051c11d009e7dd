package io.natsvx.config;

import static io.natsvx.jwt.TestTokens.claims;
import static io.natsvx.jwt.TestTokens.pub;
import static io.natsvx.jwt.TestTokens.sign;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nats.client.NKey;
import io.natsvx.it.NatsServerProcess;
import io.natsvx.jwt.TestTokens;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operator-mode keys, with nats-server's rules for what may go with them. */
class OperatorConfigTest extends ConfigFileTest {

  private NKey operator;
  private String operatorJwt;
  private String sys;

  @BeforeEach
  void operator() throws Exception {
    operator = TestTokens.operatorKey();
    sys = pub(TestTokens.accountKey());
    var c = claims(operator, pub(operator), "operator");
    c.getJsonObject("nats").put("system_account", sys);
    operatorJwt = sign(operator, c);
  }

  @Test
  void operatorFileMemoryResolverAndPreloadAreRead() throws Exception {
    NKey account = TestTokens.accountKey();
    String accountJwt = sign(operator, claims(operator, pub(account), "account"));
    write("op.jwt", TestTokens.decorated("OPERATOR", operatorJwt));
    ServerOptions o = OptionsReader.load(write("t.conf", "operator: op.jwt\nresolver: MEMORY\n"
        + "resolver_preload { " + pub(account) + ": " + accountJwt + " }\n")).options();

    assertEquals(List.of(operatorJwt), o.operator().operatorJwts());
    assertEquals("memory-resolver", o.operator().resolver().pluginId());
    assertEquals(Map.of(pub(account), accountJwt), o.operator().preload());
    assertEquals(sys, o.systemAccount(), "the operator's system account applies");
  }

  @Test
  void operatorNeedsAResolver() throws Exception {
    String conf = "operator: " + operatorJwt + "\n";
    assertEquals(List.of(where(1) + ": operator: operators require an account resolver to be configured"),
        errors(conf));
    // nats-server 2.9 falls back to the operator's account_server_url and fails to fetch from ""
    assertReferenceRefuses(conf, "could not fetch");
  }

  /**
   * nats-server, when installed, refuses to start on the same file with the same words (its
   * {@code -t} does not run these checks).
   */
  private void assertReferenceRefuses(String conf, String message) throws Exception {
    String binary = NatsServerProcess.binary();
    if (binary == null) {
      return;
    }
    Process p = new ProcessBuilder(binary, "-a", "127.0.0.1", "-p", "-1", "-c", write("ref.conf", conf).toString())
        .redirectErrorStream(true).start();
    if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
      p.destroy();
      p.waitFor();
      throw new AssertionError("nats-server started on a config it should refuse");
    }
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(1, p.exitValue(), out);
    org.junit.jupiter.api.Assertions.assertTrue(out.contains(message), out);
  }

  @Test
  void resolverNeedsAnOperator() throws Exception {
    assertEquals(List.of(where(1) + ": resolver: resolver requires an operator to be configured"),
        errors("resolver: MEMORY\n"));
  }

  @Test
  void operatorsDoNotAllowAccountsOrUsers() throws Exception {
    assertEquals(List.of(
            where(1) + ": operator: operators do not allow Accounts to be configured directly",
            where(1) + ": operator: operators do not allow users to be configured directly"),
        errors("operator: " + operatorJwt + "\nresolver: MEMORY\naccounts { A {} }\n"
            + "authorization { users: [{user: a, password: b}] }\n"));
    assertReferenceRefuses("operator: " + operatorJwt + "\nresolver: MEMORY\naccounts { A {} }\n",
        "operators do not allow Accounts to be configured directly");
    assertReferenceRefuses("operator: " + operatorJwt + "\nresolver: MEMORY\n"
        + "authorization { users: [{user: a, password: b}] }\n", "operators do not allow users to be configured directly");
  }

  @Test
  void badTokensAndFilesAreNamed() throws Exception {
    NKey other = TestTokens.operatorKey();
    String account = pub(TestTokens.accountKey());
    String stranger = sign(other, claims(other, account, "account"));

    assertEquals(List.of(where(1) + ": operator: error parsing operator JWT: open missing.jwt: no such file or directory"),
        errors("operator: missing.jwt\nresolver: MEMORY\n"));
    assertEquals(List.of(where(4) + ": " + account + ": invalid account JWT: account " + account
            + " not issued by a trusted operator"),
        errors("operator: " + operatorJwt + "\nresolver: MEMORY\nresolver_preload {\n  " + account + ": "
            + stranger + "\n}\n"));
    assertEquals(List.of(where(1) + ": operator: error parsing operator JWT: expected 3 chunks"),
        errors("operator: eyJhbGciOi.x\nresolver: MEMORY\n"));
  }

  @Test
  void everyResolverKindIsRead() throws Exception {
    String op = "operator: " + operatorJwt + "\n";
    assertEquals(ResolverOptions.memory(), resolver(op + "resolver: MEM\n"));
    ResolverOptions url = resolver(op + "resolver: URL(\"http://localhost:9090/jwt/v1/accounts/\")\n");
    assertEquals("url-resolver", url.pluginId());
    assertEquals("http://localhost:9090/jwt/v1/accounts/", url.config().getString("url"));

    ResolverOptions full = resolver(op + "resolver { type: full, dir: \"" + dir.resolve("jwt") + "\", allow_delete: true,"
        + " interval: \"30s\", limit: 5, timeout: \"1s\" }\n");
    assertEquals("dir-resolver", full.pluginId());
    assertEquals("natsvx-resolver-dir.jar", full.bundledJar());
    assertEquals("full", full.config().getString("type"));
    assertEquals(true, full.config().getBoolean("allow_delete"));
    assertEquals(5L, full.config().getLong("limit"));
    assertEquals(1000, full.fetchTimeoutMillis());
    assertEquals(30_000, full.syncIntervalMillis());

    ResolverOptions cache = resolver(op + "account_resolver { type: CACHE, dir: jwt, ttl: \"1h\", limit: 10 }\n");
    assertEquals("cache", cache.config().getString("type"));
    assertEquals(3_600_000L, cache.config().getLong("ttl_ms"));
    assertEquals(0, cache.syncIntervalMillis(), "a cache does not sync");

    ResolverOptions plugin = resolver(op + "resolver { type: plugin, plugin: vault-accounts }\n");
    assertEquals("vault-accounts", plugin.pluginId());
    assertEquals(null, plugin.bundledJar());
  }

  @Test
  void operatorAccountServerIsTheUrlResolver() throws Exception {
    var c = claims(operator, pub(operator), "operator");
    c.getJsonObject("nats").put("account_server_url", "http://localhost:9/jwt/v1");
    ResolverOptions r = resolver("operator: " + sign(operator, c) + "\n");
    assertEquals("http://localhost:9/jwt/v1/accounts", r.config().getString("url"));
  }

  private ResolverOptions resolver(String conf) throws Exception {
    return OptionsReader.load(write("r.conf", conf)).options().operator().resolver();
  }

  @Test
  void resolverMistakesAreNamed() throws Exception {
    String op = "operator: " + operatorJwt + "\n";
    java.nio.file.Files.writeString(dir.resolve("a-file"), "x");
    String jwt = "\"" + dir.resolve("jwt") + "\"";
    String[][] cases = {
        {"resolver { type: full }", "resolver: dir has no value and needs to point to a directory"},
        {"resolver { type: full, dir: \"" + dir.resolve("a-file") + "\" }", "dir: dir needs to point to an accessible directory"},
        {"resolver { type: cache, dir: " + jwt + ", interval: \"1m\" }", "interval: CACHE does not accept sync"},
        {"resolver { type: cache, dir: " + jwt + ", allow_delete: true }", "allow_delete: CACHE does not accept allow_delete"},
        {"resolver { type: cache, dir: " + jwt + ", hard_delete: true }", "hard_delete: CACHE does not accept hard_delete"},
        {"resolver { type: full, dir: " + jwt + ", ttl: \"1m\" }", "ttl: FULL does not accept ttl"},
        {"resolver { type: full, dir: " + jwt + ", hard_delete: true }", "hard_delete: hard_delete has no effect without delete"},
        {"resolver { type: full, dir: " + jwt + ", timeout: \"0s\" }", "timeout: Fetch timeout 0s is too smal"},
        {"resolver { type: sideways, dir: " + jwt + " }", "resolver: error parsing account resolver, should be MEM or "
            + " URL(\"url\") or a map containing dir and type state=[FULL|CACHE])"},
        {"resolver: FILES", "resolver: error parsing account resolver, should be MEM or "
            + " URL(\"url\") or a map containing dir and type state=[FULL|CACHE])"},
        {"resolver: URL(ftp://x)", "resolver: error parsing account resolver url [\"ftp://x\"]"},
        {"resolver: URL(\"http://localhost:1/\")\nresolver_preload {}",
            "resolver_preload: resolver preloads only available for writeable resolver types MEM/DIR/CACHE_DIR"},
    };
    for (String[] c : cases) {
      List<String> errors = errors(op + c[0] + "\n");
      assertEquals(1, errors.size(), c[0] + " gave " + errors);
      org.junit.jupiter.api.Assertions.assertTrue(errors.get(0).startsWith(where(2)) || errors.get(0).startsWith(where(3)),
          errors.get(0));
      org.junit.jupiter.api.Assertions.assertTrue(errors.get(0).endsWith(c[1]), c[0] + " gave " + errors.get(0));
    }
    assertReferenceRefuses(op + "resolver { type: cache, dir: " + jwt + ", allow_delete: true }\n", "CACHE does not accept allow_delete");
    assertReferenceRefuses(op + "resolver { type: full, dir: " + jwt + ", ttl: \"1m\" }\n", "FULL does not accept ttl");
    assertReferenceRefuses(op + "resolver { type: sideways, dir: " + jwt + " }\n", "error parsing account resolver, should be MEM");
  }
}
