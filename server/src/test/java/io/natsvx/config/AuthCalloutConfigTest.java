package io.natsvx.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.natsvx.jwt.TestTokens;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code authorization { auth_callout {...} }} as nats-server 2.10 reads it, with its words. */
class AuthCalloutConfigTest extends ConfigFileTest {

  @Test
  void theCalloutBlockIsRead() throws Exception {
    String issuer = TestTokens.pub(TestTokens.accountKey());
    ServerOptions o = OptionsReader.load(write("t.conf", "accounts { AUTH { users: [{user: auth, password: p}] } }\n"
        + "authorization { auth_callout { issuer: " + issuer + ", account: AUTH, auth_users: [auth] } }\n")).options();
    assertEquals(new AuthCalloutOptions(issuer, "AUTH", List.of("auth"), List.of(), null), o.authCallout());
    String xkey = io.natsvx.internal.CurveKeys.generate().publicKey();
    ServerOptions sealed = OptionsReader.load(write("t.conf", "authorization { users: [{user: auth, password: p}]\n"
        + "  auth_callout { issuer: " + issuer + ", auth_users: [auth], xkey: " + xkey + " } }\n")).options();
    assertEquals(xkey, sealed.authCallout().xkey());

    ServerOptions global = OptionsReader.load(write("t.conf", "authorization { users: [{user: auth, password: p}]\n"
        + "  auth_hook { issuer: " + issuer + ", users: [auth] } }\n")).options();
    assertEquals("$G", global.authCallout().account(), "the global account unless one is named");
  }

  @Test
  void mistakesAreNamed() throws Exception {
    String issuer = TestTokens.pub(TestTokens.accountKey());
    assertEquals(List.of(where(1) + ": auth_callout: Authorization callouts require an issuer to be specified"),
        errors("authorization { auth_callout { auth_users: [a] } }\n"));
    assertEquals(List.of(where(1) + ": auth_callout: Authorization callouts require authorized users to be specified"),
        errors("authorization { auth_callout { issuer: " + issuer + " } }\n"));
    assertEquals(List.of(where(1) + ": issuer: Expected callout user to be a valid public account nkey, got \"UABC\""),
        errors("authorization { auth_callout { issuer: UABC, auth_users: [a] } }\n"));
    assertEquals(List.of(where(1) + ": color: Unknown field \"color\" parsing authorization callout"),
        errors("authorization { auth_callout { issuer: " + issuer + ", auth_users: [a], color: red } }\n"));
    assertEquals(List.of(where(1) + ": xkey: Expected callout xkey to be a valid public xkey, got \"XABC\""),
        errors("authorization { auth_callout { issuer: " + issuer + ", auth_users: [a], xkey: XABC } }\n"));
    assertEquals(List.of(where(2) + ": allowed_accounts: auth_callout allowed account \"B\" not found in configured accounts"),
        errors("accounts { A {} }\nauthorization { auth_callout { issuer: " + issuer
            + ", auth_users: [a], allowed_accounts: [A, B] } }\n"));
  }
}
