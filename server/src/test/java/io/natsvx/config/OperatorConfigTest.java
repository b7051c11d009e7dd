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
    assertEquals("MEMORY", o.operator().resolver());
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
  void onlyTheMemoryResolverExistsYet() throws Exception {
    assertEquals(List.of(where(2) + ": resolver: the URL resolver is not supported yet"),
        errors("operator: " + operatorJwt + "\nresolver: URL(http://localhost:9090/jwt/v1/accounts/)\n"));
  }
}
