package io.natsvx.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The leafnodes block as nats-server reads it (opts.go parseLeafNodes, validateLeafNode). */
class LeafNodeConfigTest extends ConfigFileTest {

  private LeafNodeOptions load(String conf) throws Exception {
    return OptionsReader.load(write("t.conf", conf)).options().leafNodes();
  }

  @Test
  void theBlockTheRemotesAndTheirAliases() throws Exception {
    LeafNodeOptions l = load("accounts { A {}, B {} }\nleafnodes {\n  listen: \"127.0.0.1:7422\"\n"
        + "  advertise: \"edge:7422\"\n  no_advertise: true\n  reconnect: 3\n"
        + "  authorization { users [{user: u1, password: p1, account: A}, {user: u2, password: p2}], timeout: 5 }\n"
        + "  remotes [\n    { url: \"nats-leaf://h1:7422\", account: B, deny_imports: [\"a.>\"], deny_export: \"b\" }\n"
        + "    { urls: [\"nats-leaf://h2:7422\", \"nats-leaf://h3:7422\"], hub: true, dont_randomize: true,"
        + " first_info_timeout: \"3s\" }\n  ]\n}\n");
    assertTrue(l.listens());
    assertEquals("127.0.0.1", l.host());
    assertEquals(7422, l.port());
    assertEquals("edge:7422", l.advertise());
    assertTrue(l.noAdvertise());
    assertEquals(Duration.ofSeconds(3), l.reconnect());
    assertEquals(Duration.ofSeconds(5), l.authTimeout());
    assertEquals(List.of(new LeafNodeOptions.LeafUser("u1", "p1", "A"), new LeafNodeOptions.LeafUser("u2", "p2", null)),
        l.users());
    LeafNodeOptions.Remote r0 = l.remotes().get(0);
    assertEquals(List.of(URI.create("nats-leaf://h1:7422")), r0.urls());
    assertEquals("B", r0.accountOrGlobal());
    assertEquals(List.of("a.>"), r0.denyImports());
    assertEquals(List.of("b"), r0.denyExports());
    LeafNodeOptions.Remote r1 = l.remotes().get(1);
    assertEquals(2, r1.urls().size());
    assertTrue(r1.hub());
    assertTrue(r1.noRandomize());
    assertEquals("$G", r1.accountOrGlobal());
    assertEquals(Duration.ofSeconds(3), r1.firstInfoTimeout());
    assertFalse(load("port: 4222\n").enabled(), "no block, nothing");
    // nats-server reads the leaf authorization timeout as seconds: no warning for a number
    assertEquals(List.of(), warnings("leafnodes { port: 7422, authorization { user: a, password: b, timeout: 0.5 } }\n"));
    assertEquals(Duration.ofMillis(500),
        load("leafnodes { port: 7422, authorization { user: a, password: b, timeout: 0.5 } }\n").authTimeout());
    assertTrue(load("leaf { remotes [{url: \"nats://h:7422\"}] }\n").enabled(), "remotes only: no listener");
    LeafNodeOptions.Remote ws = load("leafnodes { remotes [{url: \"ws://h:8080\", ws_no_masking: true}] }\n")
        .remotes().get(0);
    assertEquals(List.of(URI.create("ws://h:8080")), ws.urls());
    assertTrue(ws.wsNoMasking());
    LeafNodeOptions.Remote wss = load("leafnodes { remotes [{urls: [\"wss://h:8443\", \"wss://i:8443\"], "
        + "ws_compression: true}] }\n").remotes().get(0);
    assertTrue(wss.wsCompression());
    assertEquals(2, wss.urls().size());
    String seed = new String(io.nats.client.NKey.createUser(null).getSeed());
    assertEquals(seed, load("leafnodes { remotes [{url: \"nats://h:1\", nkey: " + seed + "}] }\n").remotes().get(0)
        .nkey());
  }

  @Test
  void mistakesAreNamed() throws Exception {
    assertEquals(List.of(where(1) + ": leafnodes: Expected map to define a leafnode, got an integer (7422)"),
        errors("leafnodes: 7422\n"));
    assertEquals(List.of(where(1) + ": leafnodes: cannot find local account \"X\" specified in leafnode remote"),
        errors("leafnodes { remotes [{url: \"nats://h:1\", account: X}] }\n"));
    assertEquals(List.of(where(1) + ": leafnodes: cannot find local account \"Y\" specified in leafnode authorization"),
        errors("leafnodes { port: 7422, authorization { users [{user: a, password: b, account: Y}] } }\n"));
    assertEquals(List.of(where(1) + ": leafnodes: can not have a single user/pass and a users array"),
        errors("leafnodes { port: 7422, authorization { user: x, password: y, users [{user: a, password: b}] } }\n"));
    assertEquals(List.of(where(1) + ": users: duplicate user \"a\" detected in leafnode authorization"),
        errors("leafnodes { port: 7422, authorization { users [{user: a}, {user: a}] } }\n"));
    assertEquals(List.of(where(1) + ": remotes: remote leaf node configuration cannot have a mix of websocket and "
        + "non-websocket urls: [\"ws://h:1\" \"nats://h:2\"]"),
        errors("leafnodes { remotes [{urls: [\"ws://h:1\", \"nats://h:2\"]}] }\n"));
    assertEquals(List.of(where(1) + ": nkey: Not a valid public nkey for leafnode authorization"),
        errors("leafnodes { port: 7422, authorization { nkey: UBAD } }\n"));
    String account = new String(io.nats.client.NKey.createAccount(null).getSeed());
    assertEquals(List.of(where(1) + ": nkey: Remote leafnode nkey is not a valid seed: \"" + account + "\""),
        errors("leafnodes { remotes [{url: \"nats://h:1\", nkey: " + account + "}] }\n"));
    assertEquals(List.of(where(1) + ": nkey: Remote leafnode can not have both creds and nkey defined"),
        errors("leafnodes { remotes [{url: \"nats://h:1\", credentials: \"/x.creds\", nkey: "
            + new String(io.nats.client.NKey.createUser(null).getSeed()) + "}] }\n"));
  }
}
