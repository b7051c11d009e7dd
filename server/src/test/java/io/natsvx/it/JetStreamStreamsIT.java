package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.PurgeOptions;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Streams through unchanged jnats: create, publish with acks, read, purge, delete, and a restart on the same directory. */
class JetStreamStreamsIT extends JetStreamTests {

  @Test
  void fileStreamsKeepAcknowledgedMessagesAcrossARestart() throws Exception {
    try (TestServer server = start(); Connection nc = Nats.connect(server.url())) {
      assertTrue(nc.getServerInfo().isJetStreamAvailable(), "INFO says jetstream");
      JetStreamManagement jsm = nc.jetStreamManagement();
      StreamInfo created = jsm.addStream(StreamConfiguration.builder().name("ORDERS").subjects("orders.>")
          .storageType(StorageType.File).build());
      assertEquals("ORDERS", created.getConfiguration().getName());
      assertEquals(0, created.getStreamState().getMsgCount());
      JetStream js = nc.jetStream();
      for (int i = 1; i <= 5; i++) {
        PublishAck ack = js.publish("orders." + (i % 2 == 0 ? "even" : "odd"), bytes("order " + i));
        assertEquals("ORDERS", ack.getStream());
        assertEquals(i, ack.getSeqno());
      }
      StreamInfo info = jsm.getStreamInfo("ORDERS");
      assertEquals(5, info.getStreamState().getMsgCount());
      assertEquals(1, info.getStreamState().getFirstSequence());
      assertEquals(5, info.getStreamState().getLastSequence());
      assertEquals(2, info.getStreamState().getSubjectCount());
      MessageInfo third = jsm.getMessage("ORDERS", 3);
      assertEquals("orders.odd", third.getSubject());
      assertEquals("order 3", new String(third.getData(), StandardCharsets.UTF_8));
      assertEquals(4, jsm.getLastMessage("ORDERS", "orders.even").getSeq());
      assertEquals(List.of("ORDERS"), jsm.getStreamNames());
    }
    try (TestServer again = start(); Connection nc = Nats.connect(again.url())) {
      JetStreamManagement jsm = nc.jetStreamManagement();
      StreamInfo info = jsm.getStreamInfo("ORDERS");
      assertEquals(5, info.getStreamState().getMsgCount(), "every acknowledged message is back");
      assertEquals("order 5", new String(jsm.getMessage("ORDERS", 5).getData(), StandardCharsets.UTF_8));
      assertEquals(6, nc.jetStream().publish("orders.odd", bytes("order 6")).getSeqno(), "sequences go on");
    }
  }

  @Test
  void publishHeadersAreChecked() throws Exception {
    try (TestServer server = start(); Connection nc = Nats.connect(server.url())) {
      JetStreamManagement jsm = nc.jetStreamManagement();
      jsm.addStream(StreamConfiguration.builder().name("KV").subjects("kv.>").storageType(StorageType.Memory)
          .maxMessagesPerSubject(2).allowRollup(true).build());
      JetStream js = nc.jetStream();
      PublishAck first = js.publish(NatsMessage.builder().subject("kv.a").data(bytes("1"))
          .headers(new Headers().put("Nats-Msg-Id", "one")).build());
      PublishAck again = js.publish(NatsMessage.builder().subject("kv.a").data(bytes("1"))
          .headers(new Headers().put("Nats-Msg-Id", "one")).build());
      assertEquals(first.getSeqno(), again.getSeqno());
      assertTrue(again.isDuplicate(), "the same Nats-Msg-Id within the window is a duplicate");

      JetStreamApiException wrongSeq = assertThrows(JetStreamApiException.class, () -> js.publish(
          NatsMessage.builder().subject("kv.a").data(bytes("2")).headers(new Headers()
              .put("Nats-Expected-Last-Sequence", "7")).build()));
      assertEquals(10071, wrongSeq.getApiErrorCode());
      JetStreamApiException wrongSubjectSeq = assertThrows(JetStreamApiException.class, () -> js.publish(
          NatsMessage.builder().subject("kv.b").data(bytes("2")).headers(new Headers()
              .put("Nats-Expected-Last-Subject-Sequence", "1")).build()));
      assertEquals(10071, wrongSubjectSeq.getApiErrorCode());
      assertEquals(2, js.publish(NatsMessage.builder().subject("kv.b").data(bytes("2")).headers(new Headers()
          .put("Nats-Expected-Last-Subject-Sequence", "0")).build()).getSeqno());
      JetStreamApiException wrongStream = assertThrows(JetStreamApiException.class, () -> js.publish(
          NatsMessage.builder().subject("kv.b").data(bytes("3")).headers(new Headers()
              .put("Nats-Expected-Stream", "OTHER")).build()));
      assertEquals(10060, wrongStream.getApiErrorCode());

      js.publish("kv.a", bytes("3"));
      js.publish("kv.a", bytes("4"));
      assertEquals(2, jsm.getStreamInfo("KV").getStreamState().getMsgCount() - 1,
          "max_msgs_per_subject keeps two of kv.a (and kv.b's one)");
      js.publish(NatsMessage.builder().subject("kv.a").data(bytes("5")).headers(new Headers()
          .put("Nats-Rollup", "sub")).build());
      assertEquals(2, jsm.getStreamInfo("KV").getStreamState().getMsgCount(), "a rollup leaves one of kv.a");
    }
  }

  @Test
  void theDomainIsInAcksAndAccountInfo() throws Exception {
    var options = new io.natsvx.config.JetStreamOptions(true, dir.toString(), -1, -1, "hub", true,
        java.time.Duration.ofMinutes(2), 10_000);
    try (TestServer server = TestServer.start(b -> b.jetStream(options)); Connection nc = Nats.connect(server.url())) {
      nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("D").subjects("d").build());
      assertEquals("hub", nc.jetStream().publish("d", bytes("x")).getDomain());
      assertEquals("hub", nc.jetStreamManagement().getAccountStatistics().getDomain());
      java.net.URI uri = java.net.URI.create(server.url());
      try (java.net.Socket raw = new java.net.Socket(uri.getHost(), uri.getPort())) {
        String line = new java.io.BufferedReader(new java.io.InputStreamReader(raw.getInputStream(),
            StandardCharsets.UTF_8)).readLine();
        io.vertx.core.json.JsonObject info = new io.vertx.core.json.JsonObject(line.substring("INFO ".length()));
        assertEquals(true, info.getBoolean("jetstream"));
        assertEquals("hub", info.getString("domain"), "INFO names the domain");
      }
    }
  }

  /** An account's JetStream limits: reservations by max_bytes, and usage as messages come. */
  @Test
  void accountLimitsHold() throws Exception {
    java.nio.file.Path conf = java.nio.file.Files.writeString(dir.resolve("limits.conf"), "jetstream { store_dir: \""
        + dir.resolve("store") + "\" }\naccounts {\n  A: { jetstream: { max_file: 2KB, max_mem: 0 },"
        + " users: [{user: a, password: a}] }\n}\n");
    var loaded = io.natsvx.config.OptionsReader.load(conf).options().toBuilder();
    try (TestServer server = TestServer.start(b -> loaded.port(0).host("127.0.0.1").logtime(false));
         Connection nc = Nats.connect(io.nats.client.Options.builder().server(server.url()).userInfo("a", "a").build())) {
      JetStreamManagement jsm = nc.jetStreamManagement();
      JetStreamApiException tooBig = assertThrows(JetStreamApiException.class, () -> jsm.addStream(
          StreamConfiguration.builder().name("BIG").subjects("big").maxBytes(4096).build()));
      assertEquals(10047, tooBig.getApiErrorCode());
      JetStreamApiException noMemory = assertThrows(JetStreamApiException.class, () -> jsm.addStream(
          StreamConfiguration.builder().name("MEM").subjects("mem").storageType(StorageType.Memory).build()));
      assertEquals(10028, noMemory.getApiErrorCode());
      jsm.addStream(StreamConfiguration.builder().name("SMALL").subjects("small").build());
      JetStream js = nc.jetStream();
      byte[] payload = new byte[500];
      js.publish("small", payload);
      js.publish("small", payload);
      js.publish("small", payload);
      JetStreamApiException full = assertThrows(JetStreamApiException.class, () -> js.publish("small", payload));
      assertEquals(10002, full.getApiErrorCode());
      io.vertx.core.json.JsonObject stepDown = new io.vertx.core.json.JsonObject(new String(nc.request(
          "$JS.API.STREAM.LEADER.STEPDOWN.SMALL", new byte[0], java.time.Duration.ofSeconds(5)).getData(),
          StandardCharsets.UTF_8));
      assertEquals("io.nats.jetstream.api.v1.stream_leader_stepdown_response", stepDown.getString("type"));
      assertEquals(10006, stepDown.getJsonObject("error").getInteger("err_code"), "a lone server leads everything");
    }
  }

  /** The API's JSON has nats-server's keys: the installed 2.9 server's, plus what 2.10 added. */
  @Test
  void apiAnswersHaveNatsServersKeys() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(NatsServerProcess.available(), "nats-server not installed");
    // 2.10 added these; it also names a durable consumer in its config ("config.name")
    java.util.Set<String> added = java.util.Set.of("config.compression", "config.consumer_limits", "ts",
        "reserved_memory", "reserved_storage", "config.name");
    byte[] create = bytes("{\"name\":\"S\",\"subjects\":[\"s.>\"],\"max_msgs\":5}");
    try (TestServer server = start(); NatsServerProcess reference = NatsServerProcess.start("-js", "-sd",
        dir.resolve("reference").toString());
         Connection ours = Nats.connect(server.url());
         Connection theirs = Nats.connect("nats://127.0.0.1:" + reference.port())) {
      byte[] consumer = bytes("{\"stream_name\":\"S\",\"config\":{\"durable_name\":\"C\",\"ack_policy\":\"explicit\"}}");
      for (String[] r : new String[][] {{"$JS.API.STREAM.CREATE.S", "create"}, {"$JS.API.STREAM.INFO.S", ""},
          {"$JS.API.INFO", ""}, {"$JS.API.STREAM.INFO.NOPE", ""}, {"$JS.API.STREAM.NAMES", ""},
          {"$JS.API.CONSUMER.DURABLE.CREATE.S.C", "consumer"}, {"$JS.API.CONSUMER.INFO.S.C", ""},
          {"$JS.API.CONSUMER.INFO.S.NOPE", ""}, {"$JS.API.CONSUMER.NAMES.S", ""}, {"s.a", ""}, {"s.b", ""},
          {"s.b", ""}, {"$JS.API.STREAM.MSG.DELETE.S", "delete"}, {"$JS.API.STREAM.INFO.S", "details"}}) {
        byte[] body = switch (r[1]) {
          case "create" -> create;
          case "consumer" -> consumer;
          case "delete" -> bytes("{\"seq\":2}");
          case "details" -> bytes("{\"subjects_filter\":\"s.*\",\"deleted_details\":true}");
          default -> new byte[0];
        };
        var a = keys(new io.vertx.core.json.JsonObject(new String(ours.request(r[0], body, java.time.Duration.ofSeconds(5))
            .getData(), StandardCharsets.UTF_8)), "");
        var b = keys(new io.vertx.core.json.JsonObject(new String(theirs.request(r[0], body,
            java.time.Duration.ofSeconds(5)).getData(), StandardCharsets.UTF_8)), "");
        java.util.Set<String> missing = new java.util.TreeSet<>(b);
        missing.removeAll(a);
        java.util.Set<String> extra = new java.util.TreeSet<>(a);
        extra.removeAll(b);
        extra.removeAll(added);
        assertEquals(java.util.Set.of(), missing, r[0] + ": keys nats-server has");
        assertEquals(java.util.Set.of(), extra, r[0] + ": keys nats-server does not have");
      }
    }
  }

  private static java.util.Set<String> keys(io.vertx.core.json.JsonObject o, String prefix) {
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (String k : o.fieldNames()) {
      out.add(prefix + k);
      if (o.getValue(k) instanceof io.vertx.core.json.JsonObject inner) {
        out.addAll(keys(inner, prefix + k + "."));
      }
    }
    return out;
  }

  /** subject_transform stores matching messages under the destination; a bad destination is refused as nats-server does. */
  @Test
  void subjectTransformsRenameWhatIsStored() throws Exception {
    try (TestServer server = start(); Connection nc = Nats.connect(server.url())) {
      JetStreamManagement jsm = nc.jetStreamManagement();
      jsm.addStream(StreamConfiguration.builder().name("T").subjects("in.>")
          .subjectTransform(io.nats.client.api.SubjectTransform.builder().source("in.*.>")
              .destination("out.{{wildcard(1)}}.>").build()).build());
      JetStream js = nc.jetStream();
      assertEquals(1, js.publish("in.a.b.c", bytes("x")).getSeqno());
      assertEquals(2, js.publish("in.z", bytes("y")).getSeqno());
      assertEquals("out.a.b.c", jsm.getMessage("T", 1).getSubject());
      assertEquals("in.z", jsm.getMessage("T", 2).getSubject(), "what the source does not match stays");
      assertEquals("out.{{wildcard(1)}}.>", jsm.getStreamInfo("T").getConfiguration().getSubjectTransform()
          .getDestination());

      String[][] bad = {
          {"{\"name\":\"B\",\"subject_transform\":{\"src\":\"in.*\",\"dest\":\"out.$2\"}}",
              "10156", "stream transform: invalid mapping destination: wildcard index out of range in $2: [2]"},
          {"{\"name\":\"B\",\"subject_transform\":{\"src\":\"in..x\",\"dest\":\"out\"}}",
              "10155", "stream transform source: invalid subject in..x"},
          {"{\"name\":\"B\",\"subject_transform\":{\"src\":\"in.*\",\"dest\":\"out.{{nope(1)}}\"}}",
              "10156", "stream transform: invalid mapping destination: unknown function in {{nope(1)}}"}};
      for (String[] b : bad) {
        io.vertx.core.json.JsonObject error = new io.vertx.core.json.JsonObject(new String(nc.request(
            "$JS.API.STREAM.CREATE.B", bytes(b[0]), java.time.Duration.ofSeconds(5)).getData(),
            StandardCharsets.UTF_8)).getJsonObject("error");
        assertEquals(Integer.parseInt(b[1]), error.getInteger("err_code"), b[0]);
        assertEquals(b[2], error.getString("description"));
      }
    }
  }

  /** republish: each stored message goes out again on the destination with nats-server's headers. */
  @Test
  void republishSendsStoredMessagesOnWithTheirPlace() throws Exception {
    try (TestServer server = start(); Connection nc = Nats.connect(server.url())) {
      JetStreamManagement jsm = nc.jetStreamManagement();
      jsm.addStream(StreamConfiguration.builder().name("R").subjects("r.>")
          .republish(io.nats.client.api.Republish.builder().source("r.*").destination("copy.{{wildcard(1)}}").build()).build());
      jsm.addStream(StreamConfiguration.builder().name("H").subjects("h.>")
          .republish(io.nats.client.api.Republish.builder().source(">").destination("meta.>").headersOnly(true)
              .build()).build());
      io.nats.client.Subscription copies = nc.subscribe("copy.>");
      io.nats.client.Subscription meta = nc.subscribe("meta.>");
      nc.flush(java.time.Duration.ofSeconds(5));
      JetStream js = nc.jetStream();
      js.publish("r.a", bytes("1"));
      js.publish("r.b", bytes("2"));
      js.publish("r.a", bytes("3"));
      js.publish("r.x.y", bytes("not matched by r.*"));
      js.publish("h.z", bytes("12345"));
      long[][] expected = {{1, 0}, {2, 0}, {3, 1}};
      String[] subjects = {"r.a", "r.b", "r.a"};
      for (int i = 0; i < 3; i++) {
        io.nats.client.Message m = copies.nextMessage(java.time.Duration.ofSeconds(5));
        assertNotNull(m, "republished " + i);
        assertEquals("copy." + subjects[i].substring(2), m.getSubject());
        assertEquals("R", m.getHeaders().getFirst("Nats-Stream"));
        assertEquals(subjects[i], m.getHeaders().getFirst("Nats-Subject"));
        assertEquals(Long.toString(expected[i][0]), m.getHeaders().getFirst("Nats-Sequence"));
        assertEquals(Long.toString(expected[i][1]), m.getHeaders().getFirst("Nats-Last-Sequence"));
        assertNotNull(m.getHeaders().getFirst("Nats-Time-Stamp"));
        assertEquals(Integer.toString(i + 1), new String(m.getData(), StandardCharsets.UTF_8));
      }
      io.nats.client.Message h = meta.nextMessage(java.time.Duration.ofSeconds(5));
      assertEquals("meta.h.z", h.getSubject());
      assertEquals("5", h.getHeaders().getFirst("Nats-Msg-Size"));
      assertEquals(0, h.getData().length, "headers only");

      io.vertx.core.json.JsonObject error = new io.vertx.core.json.JsonObject(new String(nc.request(
          "$JS.API.STREAM.CREATE.C", bytes("{\"name\":\"C\",\"subjects\":[\"c.>\"],"
              + "\"republish\":{\"src\":\">\",\"dest\":\"c.again\"}}"), java.time.Duration.ofSeconds(5))
          .getData(), StandardCharsets.UTF_8)).getJsonObject("error");
      assertEquals(10052, error.getInteger("err_code"));
      assertEquals("stream configuration for republish destination forms a cycle", error.getString("description"));
    }
  }

  /** Stream info's details on request: messages per subject (filtered) and the deleted sequences. */
  @Test
  void streamInfoDetailsSubjectsAndDeletes() throws Exception {
    try (TestServer server = start(); Connection nc = Nats.connect(server.url())) {
      JetStreamManagement jsm = nc.jetStreamManagement();
      jsm.addStream(StreamConfiguration.builder().name("D").subjects("d.>").build());
      JetStream js = nc.jetStream();
      for (String s : List.of("d.a", "d.b", "d.a", "d.c.x", "d.b", "d.a")) {
        js.publish(s, bytes(s));
      }
      jsm.deleteMessage("D", 2);
      jsm.deleteMessage("D", 4);
      StreamInfo info = jsm.getStreamInfo("D", io.nats.client.api.StreamInfoOptions.builder()
          .filterSubjects("d.*").deletedDetails().build());
      java.util.Map<String, Long> subjects = new java.util.TreeMap<>();
      info.getStreamState().getSubjects().forEach(s -> subjects.put(s.getName(), s.getCount()));
      assertEquals(java.util.Map.of("d.a", 3L, "d.b", 1L), subjects);
      assertEquals(List.of(2L, 4L), info.getStreamState().getDeleted());
      assertEquals(2, info.getStreamState().getDeletedCount());
    }
  }

  @Test
  void limitsPurgeDeleteAndErrors() throws Exception {
    try (TestServer server = start(); Connection nc = Nats.connect(server.url())) {
      JetStreamManagement jsm = nc.jetStreamManagement();
      jsm.addStream(StreamConfiguration.builder().name("FULL").subjects("full").maxMessages(2)
          .discardPolicy(DiscardPolicy.New).storageType(StorageType.Memory).build());
      JetStream js = nc.jetStream();
      js.publish("full", bytes("1"));
      js.publish("full", bytes("2"));
      JetStreamApiException full = assertThrows(JetStreamApiException.class, () -> js.publish("full", bytes("3")));
      assertEquals(10077, full.getApiErrorCode());
      assertEquals("maximum messages exceeded", full.getErrorDescription());

      jsm.addStream(StreamConfiguration.builder().name("LOG").subjects("log.*").maxMessages(3).build());
      for (int i = 0; i < 5; i++) {
        js.publish("log." + (i % 2), bytes(Integer.toString(i)));
      }
      assertEquals(3, jsm.getStreamInfo("LOG").getStreamState().getFirstSequence(), "discard old keeps the newest three");
      assertTrue(jsm.deleteMessage("LOG", 4));
      assertEquals(1, jsm.getStreamInfo("LOG").getStreamState().getDeletedCount());
      assertEquals(1, jsm.purgeStream("LOG", PurgeOptions.builder().subject("log.0").keep(1).build()).getPurged());
      assertEquals(1, jsm.purgeStream("LOG").getPurged());
      assertEquals(6, jsm.getStreamInfo("LOG").getStreamState().getFirstSequence());

      JetStreamApiException overlap = assertThrows(JetStreamApiException.class, () -> jsm.addStream(
          StreamConfiguration.builder().name("OTHER").subjects("log.>").build()));
      assertEquals(10065, overlap.getApiErrorCode());
      JetStreamApiException taken = assertThrows(JetStreamApiException.class, () -> jsm.addStream(
          StreamConfiguration.builder().name("LOG").subjects("elsewhere").build()));
      assertEquals(10058, taken.getApiErrorCode());
      JetStreamApiException missing = assertThrows(JetStreamApiException.class, () -> jsm.getStreamInfo("NOPE"));
      assertEquals(10059, missing.getApiErrorCode());
      JetStreamApiException noMessage = assertThrows(JetStreamApiException.class, () -> jsm.getMessage("LOG", 99));
      assertEquals(10037, noMessage.getApiErrorCode());

      assertTrue(jsm.deleteStream("LOG"));
      assertEquals(List.of("FULL"), jsm.getStreamNames());
      var stats = jsm.getAccountStatistics();
      assertEquals(1, stats.getStreams());
      assertNotNull(stats.getLimits());
    }
  }
}
