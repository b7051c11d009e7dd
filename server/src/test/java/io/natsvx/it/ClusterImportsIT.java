package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nats.client.Connection;
import io.nats.client.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Service and stream imports across a cluster: the exporter's clients on one node, the
 * importer's on another, each message once; side by side with a nats-server cluster.
 */
class ClusterImportsIT extends Resources {

  private static final String SHARING = "accounts {\n"
      + "  S { users [{user: s, password: s}], exports [{service: \"svc.>\"}, {stream: \"feed.>\"}] }\n"
      + "  A { users [{user: a, password: a}], imports [{service: {account: S, subject: \"svc.>\"}}, "
      + "{stream: {account: S, subject: \"feed.>\"}}] }\n}\n";

  @Test
  void importsCrossTheNodesOfANatsvxCluster() throws Exception {
    TestServer one = keep(TestServer.fromConf("server_name: one\n" + SHARING
        + "cluster { name: c, listen: \"127.0.0.1:-1\" }\n"));
    TestServer two = keep(TestServer.fromConf("server_name: two\n" + SHARING
        + "cluster { name: c, listen: \"127.0.0.1:-1\", routes: [\"nats-route://127.0.0.1:"
        + one.verticle.clusterPort() + "\"] }\n"));
    ClusterIT.awaitRoutes(1, one, two);
    importsCross(one.port(), two.port());
  }

  @Test
  void importsCrossTheNodesOfANatsServerCluster() throws Exception {
    assumeTrue(NatsServerProcess.available(), "nats-server not installed");
    int r1 = NatsServerProcess.freePort();
    NatsServerProcess one = natsServer("server_name: one\n" + SHARING + "cluster { name: c, listen: \"127.0.0.1:"
        + r1 + "\" }\n");
    NatsServerProcess two = natsServer("server_name: two\n" + SHARING + "cluster { name: c, listen: \"127.0.0.1:"
        + NatsServerProcess.freePort() + "\", routes: [\"nats-route://127.0.0.1:" + r1 + "\"] }\n");
    importsCross(one.port(), two.port());
  }

  @Test
  void importsCrossAClusterOfANatsvxAndANatsServerNode() throws Exception {
    assumeTrue(NatsServerProcess.available(), "nats-server not installed");
    TestServer ours = keep(TestServer.fromConf("server_name: ours\n" + SHARING
        + "cluster { name: c, listen: \"127.0.0.1:-1\" }\n"));
    NatsServerProcess theirs = natsServer("server_name: theirs\n" + SHARING + "cluster { name: c, listen: \"127.0.0.1:"
        + NatsServerProcess.freePort() + "\", routes: [\"nats-route://127.0.0.1:" + ours.verticle.clusterPort()
        + "\"] }\n");
    ClusterIT.awaitRoutes(1, ours);
    importsCross(ours.port(), theirs.port());
    importsCross(theirs.port(), ours.port());
  }

  private void importsCross(int exporterPort, int importerPort) throws Exception {
    Connection exporter = connect("nats://s:s@127.0.0.1:" + exporterPort);
    Connection importer = connect("nats://a:a@127.0.0.1:" + importerPort);
    io.nats.client.Dispatcher d = exporter.createDispatcher(m -> exporter.publish(m.getReplyTo(), m.getData()));
    d.subscribe("svc.echo");
    exporter.flush(Duration.ofSeconds(2));
    LeafNodeIT.awaitService(importer, "svc.echo");
    String subject = "feed." + exporterPort;
    Subscription feed = importer.subscribe(subject);
    importer.flush(Duration.ofSeconds(2));
    LeafNodeIT.awaitFlow(exporter, feed, subject);
    for (int i = 0; i < 10; i++) {
      exporter.publish(subject, ("m" + i).getBytes(StandardCharsets.UTF_8));
    }
    exporter.flush(Duration.ofSeconds(2));
    for (int i = 0; i < 10; i++) {
      assertEquals("m" + i, new String(feed.nextMessage(Duration.ofSeconds(5)).getData(), StandardCharsets.UTF_8));
    }
    assertNull(feed.nextMessage(Duration.ofMillis(300)), "once each");
  }
}
