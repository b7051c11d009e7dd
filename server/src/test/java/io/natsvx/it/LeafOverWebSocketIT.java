package io.natsvx.it;

import static io.natsvx.it.LeafNodeIT.ACCOUNTS;
import static io.natsvx.it.LeafNodeIT.awaitLeafs;
import static io.natsvx.it.LeafNodeIT.exchange;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nats.client.Connection;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leaf links over WebSocket ({@code ws://} and {@code wss://} remotes, the hub's {@code /leafnode}
 * path on its WebSocket port): natsvx and nats-server on either end, frames masked or not,
 * compressed or not; and remotes that sign the hub's nonce with an nkey seed.
 */
class LeafOverWebSocketIT extends Resources {

  private static final String LEAF_USERS = "authorization { users [{user: ln, password: p, account: B}] }";

  /** A natsvx hub taking leaf nodes on its leaf port and on its WebSocket port ({@code websocket} its block's body). */
  private TestServer natsvxHub(String websocket) throws Exception {
    return keep(TestServer.fromConf("server_name: HUB\nhttp_port: -1\n" + ACCOUNTS + "websocket { listen: "
        + "\"127.0.0.1:-1\", " + websocket + " }\nleafnodes { listen: \"127.0.0.1:-1\", " + LEAF_USERS + " }\n"));
  }

  private TestServer natsvxLeaf(String name, String url, String remoteExtra) throws Exception {
    return TestServer.fromConf("server_name: " + name + "\n" + ACCOUNTS + "leafnodes { remotes [{ url: \"" + url
        + "\", account: A " + remoteExtra + " }] }\n");
  }

  @Test
  void natsvxLeavesOverWebSocketOnANatsvxHub() throws Exception {
    TestServer hub = natsvxHub("no_tls: true, compression: true");
    int ws = hub.verticle.webSocketPort();
    String[] modes = {"", "ws_no_masking: true", "ws_compression: true", "ws_no_masking: true, ws_compression: true"};
    for (int i = 0; i < modes.length; i++) {
      try (TestServer leaf = natsvxLeaf("LEAF" + i, "ws://ln:p@127.0.0.1:" + ws, ", " + modes[i])) {
        awaitLeafs(leaf, 1);
        awaitLeafs(hub, 1);
        exchange(connect("nats://b:b@127.0.0.1:" + hub.port()), connect("nats://a:a@127.0.0.1:" + leaf.port()));
        // The hub's /leafz reads the link on the WebSocket listener's loop.
        JsonObject leafz = Http.json(hub.verticle.monitorPort(), "/leafz?subs=1");
        assertEquals(1, leafz.getInteger("leafnodes"), modes[i]);
        assertEquals("B", leafz.getJsonArray("leafs").getJsonObject(0).getString("account"));
      }
      awaitLeafs(hub, 0);
    }
  }

  @Test
  void aWebSocketLeafFailsOverToTheHubNodeItLearnedOf() throws Exception {
    String node = "server_name: %s\n" + ACCOUNTS + "websocket { listen: \"127.0.0.1:-1\", no_tls: true }\n"
        + "leafnodes { listen: \"127.0.0.1:-1\", " + LEAF_USERS + " }\ncluster { name: hub, listen: \"127.0.0.1:-1\" %s }\n";
    TestServer a = keep(TestServer.fromConf(String.format(node, "A", "")));
    TestServer b = keep(TestServer.fromConf(String.format(node, "B", ", routes: [\"nats-route://127.0.0.1:"
        + a.verticle.clusterPort() + "\"]")));
    ClusterIT.awaitRoutes(1, a, b);
    TestServer leaf = keep(natsvxLeaf("LEAF", "ws://ln:p@127.0.0.1:" + a.verticle.webSocketPort(), ""));
    awaitLeafs(a, 1);
    a.close();
    awaitLeafs(b, 1); // at B's WebSocket port, with the configured URL's user
    exchange(connect("nats://b:b@127.0.0.1:" + b.port()), connect("nats://a:a@127.0.0.1:" + leaf.port()));
  }

  @Test
  void aNatsServerLeafOverWebSocketOnANatsvxHub() throws Exception {
    assumeTrue(NatsServerProcess.available(), "nats-server not installed");
    TestServer hub = natsvxHub("no_tls: true, compression: true");
    NatsServerProcess leaf = natsServer(ACCOUNTS + "leafnodes { remotes [{ url: \"ws://ln:p@127.0.0.1:"
        + hub.verticle.webSocketPort() + "\", account: A, ws_compression: true, ws_no_masking: true }] }\n");
    awaitLeafs(hub, 1);
    exchange(connect("nats://b:b@127.0.0.1:" + hub.port()), connect("nats://a:a@127.0.0.1:" + leaf.port()));
  }

  @Test
  void natsvxLeafOverWebSocketOnANatsServerHub() throws Exception {
    assumeTrue(NatsServerProcess.available(), "nats-server not installed");
    for (String mode : new String[] {"", ", ws_no_masking: true, ws_compression: true"}) {
      int wsPort = NatsServerProcess.freePort();
      NatsServerProcess hub = natsServer(ACCOUNTS + "websocket { listen: \"127.0.0.1:" + wsPort + "\", no_tls: true, "
          + "compression: true }\nleafnodes { listen: \"127.0.0.1:" + NatsServerProcess.freePort() + "\", "
          + LEAF_USERS + " }\n");
      TestServer leaf = keep(natsvxLeaf("LEAF", "ws://ln:p@127.0.0.1:" + wsPort, mode));
      awaitLeafs(leaf, 1);
      exchange(connect("nats://b:b@127.0.0.1:" + hub.port()), connect("nats://a:a@127.0.0.1:" + leaf.port()));
    }
  }

  @Test
  void leavesOverSecureWebSocket(@TempDir Path dir) throws Exception {
    assumeTrue(TestCertificates.available(), "openssl not installed");
    TestCertificates certs = TestCertificates.create(dir);
    String serverTls = "tls { cert_file: \"" + certs.path("server.pem") + "\", key_file: \""
        + certs.path("server-key.pem") + "\" }";
    String trust = ", tls { ca_file: \"" + certs.path("ca.pem") + "\" }";

    // natsvx on both ends
    TestServer hub = natsvxHub(serverTls);
    try (TestServer leaf = natsvxLeaf("LEAF", "wss://ln:p@localhost:" + hub.verticle.webSocketPort(), trust)) {
      awaitLeafs(leaf, 1);
      exchange(connect("nats://b:b@127.0.0.1:" + hub.port()), connect("nats://a:a@127.0.0.1:" + leaf.port()));
    }
    awaitLeafs(hub, 0);
    // A leaf that does not trust the hub's certificate never binds, and keeps trying.
    try (TestServer stranger = natsvxLeaf("STRANGER", "wss://ln:p@localhost:" + hub.verticle.webSocketPort(), "")) {
      Await.until("failed TLS dials", () -> stranger.verticle.leafNodes().closedLinks() >= 2);
      assertEquals(0, stranger.verticle.leafNodes().count());
      assertEquals(0, hub.verticle.leafNodes().count());
    }
    if (!NatsServerProcess.available()) {
      return;
    }
    // a nats-server leaf on the natsvx hub
    NatsServerProcess theirLeaf = natsServer(ACCOUNTS + "leafnodes { remotes [{ url: \"wss://ln:p@localhost:"
        + hub.verticle.webSocketPort() + "\", account: A" + trust + " }] }\n");
    awaitLeafs(hub, 1);
    exchange(connect("nats://b:b@127.0.0.1:" + hub.port()), connect("nats://a:a@127.0.0.1:" + theirLeaf.port()));
    // a natsvx leaf on a nats-server hub
    int wsPort = NatsServerProcess.freePort();
    NatsServerProcess theirHub = natsServer(ACCOUNTS + "websocket { listen: \"127.0.0.1:" + wsPort + "\", "
        + serverTls + " }\nleafnodes { listen: \"127.0.0.1:" + NatsServerProcess.freePort() + "\", " + LEAF_USERS
        + " }\n");
    TestServer leaf = keep(natsvxLeaf("LEAF2", "wss://ln:p@localhost:" + wsPort, trust));
    awaitLeafs(leaf, 1);
    exchange(connect("nats://b:b@127.0.0.1:" + theirHub.port()), connect("nats://a:a@127.0.0.1:" + leaf.port()));
  }

  @Test
  void aLeafOnTheWebSocketPortOfAServerWithoutALeafPortIsClosed() throws Exception {
    TestServer server = keep(TestServer.fromConf("server_name: S\nwebsocket { listen: \"127.0.0.1:-1\", no_tls: true }\n"));
    try (TestServer leaf = natsvxLeaf("LEAF", "ws://127.0.0.1:" + server.verticle.webSocketPort(), "")) {
      Await.until("the link closed, and tried again", () -> leaf.verticle.leafNodes().closedLinks() >= 2);
      assertEquals(0, leaf.verticle.leafNodes().count());
    }
    // the server itself is unaffected
    Connection c = connect(server.url());
    assertEquals(Connection.Status.CONNECTED, c.getStatus());
  }

  @Test
  void aRemoteSignsTheHubsNonceWithItsNkey() throws Exception {
    io.nats.client.NKey key = io.nats.client.NKey.createUser(null);
    String seed = new String(key.getSeed());
    String accounts = "accounts { A { users [{user: a, password: a}] }, B { users [{user: b, password: b}, "
        + "{nkey: " + new String(key.getPublicKey()) + "}] } }\n";
    String remote = "leafnodes { remotes [{ url: \"nats-leaf://127.0.0.1:%d\", account: A, nkey: " + seed + " }] }\n";

    TestServer hub = keep(TestServer.fromConf("server_name: HUB\n" + accounts
        + "leafnodes { listen: \"127.0.0.1:-1\" }\n"));
    try (TestServer leaf = TestServer.fromConf("server_name: LEAF\n" + accounts
        + String.format(remote, hub.verticle.leafNodePort()))) {
      awaitLeafs(leaf, 1);
      awaitLeafs(hub, 1);
      exchange(connect("nats://b:b@127.0.0.1:" + hub.port()), connect("nats://a:a@127.0.0.1:" + leaf.port()));
    }
    // A seed the hub does not know of is refused.
    String strangerSeed = new String(io.nats.client.NKey.createUser(null).getSeed());
    try (TestServer stranger = TestServer.fromConf("server_name: STRANGER\n" + accounts
        + String.format(remote, hub.verticle.leafNodePort()).replace(seed, strangerSeed))) {
      Await.until("refused dials", () -> stranger.verticle.leafNodes().closedLinks() >= 2);
      assertEquals(0, stranger.verticle.leafNodes().count());
    }
    if (!NatsServerProcess.available()) {
      return;
    }
    int leafPort = NatsServerProcess.freePort();
    NatsServerProcess theirHub = natsServer(accounts + "leafnodes { listen: \"127.0.0.1:" + leafPort + "\" }\n");
    TestServer leaf = keep(TestServer.fromConf("server_name: LEAF2\n" + accounts + String.format(remote, leafPort)));
    awaitLeafs(leaf, 1);
    exchange(connect("nats://b:b@127.0.0.1:" + theirHub.port()), connect("nats://a:a@127.0.0.1:" + leaf.port()));
  }
}
