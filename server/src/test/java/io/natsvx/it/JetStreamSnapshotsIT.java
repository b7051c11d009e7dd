package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A stream backed up and restored over the API as {@code nats stream backup/restore} do it:
 * the snapshot in acknowledged chunks, the restore fed chunk by chunk, and the stream back with
 * its messages under their sequences and times, its deletes, and its consumers' places, across
 * a restart too.
 */
class JetStreamSnapshotsIT extends JetStreamTests {

  private static final Duration WAIT = Duration.ofSeconds(5);

  private static JsonObject request(Connection nc, String subject, JsonObject body) throws Exception {
    Message m = nc.request(subject, body.encode().getBytes(StandardCharsets.UTF_8), WAIT);
    return new JsonObject(new String(m.getData(), StandardCharsets.UTF_8));
  }

  /** The snapshot's chunks, each acknowledged, up to the empty end. */
  private static List<byte[]> backup(Connection nc, String stream, JsonObject[] answer) throws Exception {
    String inbox = nc.createInbox();
    Subscription sub = nc.subscribe(inbox);
    answer[0] = request(nc, "$JS.API.STREAM.SNAPSHOT." + stream, new JsonObject().put("deliver_subject", inbox)
        .put("chunk_size", 1024));
    List<byte[]> chunks = new ArrayList<>();
    while (true) {
      Message m = sub.nextMessage(WAIT);
      assertNotNull(m, "a chunk or the end, after " + chunks.size() + " chunks");
      if (m.getData() == null || m.getData().length == 0) {
        break;
      }
      chunks.add(m.getData());
      nc.publish(m.getReplyTo(), new byte[0]);
    }
    sub.unsubscribe();
    return chunks;
  }

  private static JsonObject restore(Connection nc, String stream, JsonObject snapshot, List<byte[]> chunks)
      throws Exception {
    JsonObject started = request(nc, "$JS.API.STREAM.RESTORE." + stream, new JsonObject()
        .put("config", snapshot.getJsonObject("config")).put("state", snapshot.getJsonObject("state")));
    if (started.containsKey("error")) {
      return started;
    }
    String to = started.getString("deliver_subject");
    for (byte[] chunk : chunks) {
      assertNotNull(nc.request(to, chunk, WAIT), "each chunk is acknowledged");
    }
    return new JsonObject(new String(nc.request(to, new byte[0], Duration.ofSeconds(30)).getData(),
        StandardCharsets.UTF_8));
  }

  @Test
  void aStreamComesBackFromItsSnapshot() throws Exception {
    List<MessageInfo> before = new ArrayList<>();
    try (TestServer server = start(); Connection nc = Nats.connect(server.url())) {
      JetStreamManagement jsm = nc.jetStreamManagement();
      jsm.addStream(StreamConfiguration.builder().name("S").subjects("s.>").storageType(StorageType.File).build());
      for (int i = 1; i <= 300; i++) {
        Headers h = i % 3 == 0 ? new Headers().add("Kind", "third") : null;
        nc.jetStream().publish(NatsMessage.builder().subject(i % 2 == 0 ? "s.even" : "s.odd").headers(h)
            .data(("payload " + i + " ").repeat(10).getBytes(StandardCharsets.UTF_8)).build());
      }
      jsm.deleteMessage("S", 5, false);
      jsm.deleteMessage("S", 300, false); // at the tail: the last sequence stays 300
      jsm.addOrUpdateConsumer("S", ConsumerConfiguration.builder().durable("d").ackPolicy(AckPolicy.Explicit).build());
      var pull = nc.jetStream().subscribe(null, io.nats.client.PullSubscribeOptions.bind("S", "d"));
      for (Message m : pull.fetch(7, WAIT)) {
        m.ackSync(WAIT);
      }
      long floor = jsm.getConsumerInfo("S", "d").getAckFloor().getStreamSequence();
      for (long q = 1; q <= 299; q++) {
        before.add(q == 5 ? null : jsm.getMessage("S", q));
      }

      JsonObject[] answer = new JsonObject[1];
      List<byte[]> chunks = backup(nc, "S", answer);
      assertEquals(298, answer[0].getJsonObject("state").getLong("messages"));
      assertEquals("S", answer[0].getJsonObject("config").getString("name"));
      jsm.deleteStream("S");

      JsonObject restored = restore(nc, "S", answer[0], chunks);
      assertEquals("io.nats.jetstream.api.v1.stream_create_response", restored.getString("type"), restored.encode());
      JsonObject state = restored.getJsonObject("state");
      assertEquals(298, state.getLong("messages"), restored.encode());
      assertEquals(1, state.getLong("first_seq"));
      assertEquals(300, state.getLong("last_seq"));
      assertEquals(2, state.getLong("num_deleted"));
      assertSameMessages(jsm, before);
      assertEquals(floor, jsm.getConsumerInfo("S", "d").getAckFloor().getStreamSequence(), "the consumer's place");

      assertEquals(10130, restore(nc, "S", answer[0], chunks).getJsonObject("error").getInteger("err_code"),
          "the name is taken now");
      assertEquals(10015, request(nc, "$JS.API.STREAM.SNAPSHOT.S", new JsonObject()).getJsonObject("error")
          .getInteger("err_code"), "a snapshot needs a deliver subject");
      JsonObject garbage = restore(nc, "OTHER", new JsonObject().put("config", new JsonObject().put("name", "OTHER")
          .put("subjects", new io.vertx.core.json.JsonArray().add("other"))), List.of(bytes("not a snapshot")));
      assertEquals(10062, garbage.getJsonObject("error").getInteger("err_code"), garbage.encode());
      assertEquals(List.of("S"), jsm.getStreamNames(), "a failed restore leaves no stream behind");
    }
    try (TestServer again = start(); Connection nc = Nats.connect(again.url())) {
      JetStreamManagement jsm = nc.jetStreamManagement();
      assertSameMessages(jsm, before);
      assertEquals(301, nc.jetStream().publish("s.odd", bytes("after")).getSeqno(), "sequences go on");
    }
  }

  private static void assertSameMessages(JetStreamManagement jsm, List<MessageInfo> before) throws Exception {
    assertEquals(298, jsm.getStreamInfo("S").getStreamState().getMsgCount());
    for (int i = 0; i < before.size(); i++) {
      MessageInfo was = before.get(i);
      if (was == null) {
        continue;
      }
      MessageInfo now = jsm.getMessage("S", i + 1);
      assertEquals(was.getSubject(), now.getSubject());
      assertArrayEquals(was.getData(), now.getData(), "sequence " + (i + 1));
      assertEquals(was.getTime(), now.getTime(), "sequence " + (i + 1) + " keeps its time");
      assertEquals(was.getHeaders() == null ? null : was.getHeaders().getFirst("Kind"),
          now.getHeaders() == null ? null : now.getHeaders().getFirst("Kind"));
    }
  }
}
