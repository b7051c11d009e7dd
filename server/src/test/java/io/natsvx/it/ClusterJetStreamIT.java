package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.natsvx.config.ClusterOptions;
import io.natsvx.config.JetStreamOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * JetStream's messages cross routes: the stream lives on node A, and a client connected to node
 * B (which has no JetStream of its own) creates it, publishes with acks, pulls, acks and reads
 * consumer state, all through the cluster.
 */
@Tag("cluster")
@Tag("jetstream")
class ClusterJetStreamIT {

  private static final int COUNT = 50;

  private TestServer a;
  private TestServer b;
  private Connection client;
  private Path dir;

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    for (TestServer s : new TestServer[] {b, a}) {
      if (s != null) {
        s.close();
      }
    }
  }

  private void clusterWithStreamsOnA() throws Exception {
    dir = Files.createTempDirectory("natsvx-cluster-js");
    a = TestServer.start(o -> o.serverName("A").httpPort(-1)
        .jetStream(JetStreamOptions.DISABLED.withEnabled(true).withStoreDir(dir.toString()))
        .cluster(ClusterOptions.NONE.withListen("127.0.0.1", -1).withName("it")));
    b = ClusterIT.node("B", List.of(ClusterIT.routeTo(a)));
    ClusterIT.awaitMesh(a, b);
    // B has heard that A serves the JetStream API before the client asks it anything.
    ClusterIT.awaitRemoteInterest(b, "$JS.API.INFO", 1);
    client = Nats.connect(new io.nats.client.Options.Builder().server(b.url()).build());
    JetStreamManagement jsm = client.jetStreamManagement();
    jsm.addStream(StreamConfiguration.builder().name("ORDERS").subjects("orders.>")
        .storageType(StorageType.File).build());
    ClusterIT.awaitRemoteInterest(b, "orders.x", 1);
  }

  @Test
  void aClientOnAnotherNodePublishesPullsAndAcks() throws Exception {
    clusterWithStreamsOnA();
    JetStream js = client.jetStream();
    for (int i = 1; i <= COUNT; i++) {
      PublishAck ack = js.publish("orders." + i, ("order " + i).getBytes(StandardCharsets.UTF_8));
      assertEquals("ORDERS", ack.getStream());
      assertEquals(i, ack.getSeqno(), "acks come back in order, one per publish");
    }

    JetStreamSubscription sub = js.subscribe("orders.>", PullSubscribeOptions.builder().durable("worker")
        .configuration(ConsumerConfiguration.builder().ackPolicy(AckPolicy.Explicit).build()).build());
    List<String> subjects = new ArrayList<>();
    Set<Long> sequences = new TreeSet<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (subjects.size() < COUNT && System.nanoTime() < deadline) {
      for (Message m : sub.fetch(COUNT - subjects.size(), Duration.ofSeconds(2))) {
        subjects.add(m.getSubject());
        assertTrue(sequences.add(m.metaData().streamSequence()), "delivered twice: " + m.metaData());
        m.ackSync(Duration.ofSeconds(5)); // the server confirms each ack across the route
      }
    }
    assertEquals(COUNT, subjects.size(), "every stored message reached the client on B");
    for (int i = 1; i <= COUNT; i++) {
      assertEquals("orders." + i, subjects.get(i - 1), "the stored subject, in stream order");
    }

    ConsumerInfo info = client.jetStreamManagement().getConsumerInfo("ORDERS", "worker");
    assertEquals(COUNT, info.getAckFloor().getStreamSequence(), "every ack reached the consumer on A");
    assertEquals(0, info.getNumAckPending());
    assertEquals(0, info.getNumPending());
  }

  @Test
  void aNodeWithItsOwnJetStreamAnswersItsClientsAlone() throws Exception {
    Path dirA = Files.createTempDirectory("natsvx-cluster-js-a");
    Path dirB = Files.createTempDirectory("natsvx-cluster-js-b");
    a = TestServer.start(o -> o.serverName("A").httpPort(-1)
        .jetStream(JetStreamOptions.DISABLED.withEnabled(true).withStoreDir(dirA.toString()))
        .cluster(ClusterOptions.NONE.withListen("127.0.0.1", -1).withName("it")));
    b = TestServer.start(o -> o.serverName("B").httpPort(-1)
        .jetStream(JetStreamOptions.DISABLED.withEnabled(true).withStoreDir(dirB.toString()))
        .cluster(ClusterOptions.NONE.withListen("127.0.0.1", -1).withName("it").withRoutes(List.of(ClusterIT.routeTo(a)))));
    ClusterIT.awaitMesh(a, b);
    try (Connection onA = Nats.connect(new io.nats.client.Options.Builder().server(a.url()).build())) {
      // A's interest arrives in order on the route: once B has this, it has had A's API too.
      onA.subscribe("probe");
      onA.flush(Duration.ofSeconds(2));
      ClusterIT.awaitRemoteInterest(b, "probe", 1);
      client = Nats.connect(new io.nats.client.Options.Builder().server(b.url()).build());
      client.jetStreamManagement().addStream(StreamConfiguration.builder().name("ONLY_B").subjects("b.>").build());
      assertEquals(List.of(), onA.jetStreamManagement().getStreamNames(), "B's stream was created on B only");
    }
    assertEquals(List.of("ONLY_B"), client.jetStreamManagement().getStreamNames());
  }

  @Test
  void aPushConsumerDeliversAcrossTheRoute() throws Exception {
    clusterWithStreamsOnA();
    JetStream js = client.jetStream();
    for (int i = 1; i <= COUNT; i++) {
      js.publish("orders." + i, new byte[] {(byte) i});
    }
    JetStreamSubscription sub = js.subscribe("orders.>", PushSubscribeOptions.builder()
        .configuration(ConsumerConfiguration.builder().ackPolicy(AckPolicy.Explicit).build()).build());
    for (int i = 1; i <= COUNT; i++) {
      Message m = sub.nextMessage(Duration.ofSeconds(10));
      assertNotNull(m, "message " + i + " of " + COUNT);
      assertEquals("orders." + i, m.getSubject());
      assertEquals(i, m.metaData().streamSequence());
      m.ack();
    }
    assertEquals(null, sub.nextMessage(Duration.ofMillis(300)), "nothing twice");
  }
}
