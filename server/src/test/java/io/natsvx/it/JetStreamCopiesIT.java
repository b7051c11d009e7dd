package io.natsvx.it;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.Mirror;
import io.nats.client.api.Source;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Mirrors and sources, on natsvx and nats-server alike: what they copy, under which
 * sequences and headers, and that a restart or a SIGKILL of the server loses and repeats
 * nothing (each copy resumes where it stood).
 */
class JetStreamCopiesIT extends JetStreamSideBySide {

  private static StreamInfo awaitMessages(JetStreamManagement jsm, String stream, long msgs) {
    return Await.value(stream + " to hold " + msgs + " messages", Duration.ofSeconds(20),
        () -> jsm.getStreamInfo(stream), info -> info.getStreamState().getMsgCount() >= msgs);
  }

  /** Each sequence's subject, {@code -} for one that holds none. */
  private static String bySequence(JetStreamManagement jsm, String stream, long last) throws Exception {
    StringBuilder out = new StringBuilder();
    for (long q = 1; q <= last; q++) {
      String subject;
      try {
        subject = jsm.getMessage(stream, q).getSubject();
      } catch (io.nats.client.JetStreamApiException e) {
        subject = "-";
      }
      out.append(q == 1 ? "" : " ").append(q).append(':').append(subject);
    }
    return out.toString();
  }

  private static String perSubject(JetStreamManagement jsm, String stream) throws Exception {
    StreamInfo info = jsm.getStreamInfo(stream, io.nats.client.api.StreamInfoOptions.filterSubjects(">"));
    Map<String, Long> counts = new TreeMap<>();
    info.getStreamState().getSubjects().forEach(s -> counts.put(s.getName(), s.getCount()));
    return counts.toString();
  }

  @Test
  void aMirrorKeepsItsOriginsSequencesAcrossRestarts() throws Exception {
    bothTell("""
        msgs=4 first=1 last=5
        1:o.a 2:- 3:o.a 4:o.c 5:o.b
        mirror of ORIG, lag 0
        msgs=6 first=1 last=7
        msgs=8 first=1 last=9
        msgs=10 first=1 last=11""", side -> {
          Connection nc = side.connect();
          JetStreamManagement jsm = nc.jetStreamManagement();
          jsm.addStream(StreamConfiguration.builder().name("ORIG").subjects("o.>").storageType(StorageType.File).build());
          for (String s : List.of("o.a", "o.b", "o.a", "o.c", "o.b")) {
            publish(nc, s, null);
          }
          jsm.deleteMessage("ORIG", 2, false);
          jsm.addStream(StreamConfiguration.builder().name("M").storageType(StorageType.File)
              .mirror(Mirror.builder().sourceName("ORIG").build()).build());
          StreamInfo m = awaitMessages(jsm, "M", 4);
          StringBuilder out = new StringBuilder(state(jsm, "M")).append('\n').append(bySequence(jsm, "M", 5));
          out.append("\nmirror of ").append(m.getMirrorInfo().getName()).append(", lag ")
              .append(m.getMirrorInfo().getLag());
          publish(nc, "o.d", null);
          publish(nc, "o.d", null);
          awaitMessages(jsm, "M", 6);
          out.append('\n').append(state(jsm, "M"));
          for (boolean kill : new boolean[] {false, true}) {
            side.restart(kill);
            nc = side.connect();
            jsm = nc.jetStreamManagement();
            publish(nc, "o.e", null);
            publish(nc, "o.e", null);
            long expected = kill ? 10 : 8;
            awaitMessages(jsm, "M", expected);
            out.append('\n').append(state(jsm, "M"));
          }
          return out.toString();
        });
  }

  @Test
  void sourcesGatherTheirFilteredOriginsOnceAcrossRestarts() throws Exception {
    bothTell("""
        {a.1=1, a.2=1, b.x=2}
        A 1
        {a.1=1, a.2=1, a.3=1, b.x=3}
        {a.1=1, a.2=1, a.3=1, a.4=1, b.x=4}""", side -> {
          Connection nc = side.connect();
          JetStreamManagement jsm = nc.jetStreamManagement();
          jsm.addStream(StreamConfiguration.builder().name("A").subjects("a.>").storageType(StorageType.File).build());
          jsm.addStream(StreamConfiguration.builder().name("B").subjects("b.>").storageType(StorageType.File).build());
          for (String s : List.of("a.1", "a.2", "b.x", "b.y", "b.x")) {
            publish(nc, s, null);
          }
          jsm.addStream(StreamConfiguration.builder().name("S").storageType(StorageType.File)
              .sources(Source.builder().sourceName("A").build(),
                  Source.builder().sourceName("B").filterSubject("b.x").build()).build());
          awaitMessages(jsm, "S", 4);
          StringBuilder out = new StringBuilder(perSubject(jsm, "S"));
          out.append('\n').append(jsm.getLastMessage("S", "a.1").getHeaders().getFirst("Nats-Stream-Source"));
          long expected = 4;
          for (boolean kill : new boolean[] {false, true}) {
            side.restart(kill);
            nc = side.connect();
            jsm = nc.jetStreamManagement();
            publish(nc, kill ? "a.4" : "a.3", null);
            publish(nc, "b.x", null);
            publish(nc, "b.y", null);
            expected += 2;
            awaitMessages(jsm, "S", expected);
            out.append('\n').append(perSubject(jsm, "S"));
          }
          return out.toString();
        });
  }

  /** A mirror of more than the flow-control window (8 MiB): the window is answered as the copies are stored. */
  @Test
  void aMirrorTakesMoreThanTheFlowControlWindow() throws Exception {
    bothTell("msgs=4000 first=1 last=4000", side -> {
      Connection nc = side.connect();
      JetStreamManagement jsm = nc.jetStreamManagement();
      jsm.addStream(StreamConfiguration.builder().name("BIG").subjects("big").storageType(StorageType.File).build());
      byte[] payload = new byte[2048];
      List<java.util.concurrent.CompletableFuture<io.nats.client.api.PublishAck>> acks = new java.util.ArrayList<>();
      for (int i = 0; i < 4000; i++) {
        acks.add(nc.jetStream().publishAsync("big", payload));
      }
      for (var a : acks) {
        a.get(30, java.util.concurrent.TimeUnit.SECONDS);
      }
      jsm.addStream(StreamConfiguration.builder().name("M").storageType(StorageType.File)
          .mirror(Mirror.builder().sourceName("BIG").build()).build());
      awaitMessages(jsm, "M", 4000);
      return state(jsm, "M");
    });
  }

  @Test
  void copiesStartWhereTheyAreToldTo() throws Exception {
    bothTell("""
        mirror from 3: msgs=3 first=3 last=5
        source from 4: {o.d=1, o.e=1}""", side -> {
          Connection nc = side.connect();
          JetStreamManagement jsm = nc.jetStreamManagement();
          jsm.addStream(StreamConfiguration.builder().name("ORIG").subjects("o.>").storageType(StorageType.File).build());
          for (String s : List.of("o.a", "o.b", "o.c", "o.d", "o.e")) {
            publish(nc, s, null);
          }
          jsm.addStream(StreamConfiguration.builder().name("M").storageType(StorageType.File)
              .mirror(Mirror.builder().sourceName("ORIG").startSeq(3).build()).build());
          jsm.addStream(StreamConfiguration.builder().name("S").storageType(StorageType.File)
              .sources(Source.builder().sourceName("ORIG").startTime(jsm.getMessage("ORIG", 4).getTime()).build())
              .build());
          awaitMessages(jsm, "M", 3);
          awaitMessages(jsm, "S", 2);
          return "mirror from 3: " + state(jsm, "M") + "\nsource from 4: " + perSubject(jsm, "S");
        });
  }

  /** With the origin bucket deleted, a direct get of it is answered by its mirror (mirror_direct). */
  private static String directGetAfterOriginGone(Connection nc) throws Exception {
    nc.jetStreamManagement().deleteStream("KV_A");
    io.nats.client.Message answer = nc.request("$JS.API.DIRECT.GET.KV_A",
        "{\"last_by_subj\":\"$KV.A.k2\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8), Duration.ofSeconds(5));
    return answer == null ? "no answer" : new String(answer.getData(), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Key-value buckets that mirror or source another: the copy reads as the bucket it copies. */
  @Test
  void keyValueBucketsMirrorAndSourceOthers() throws Exception {
    bothTell("v1 v2 | 2 keys | origin gone, the mirror answers: v2", side -> {
      Connection nc = side.connect();
      var kvm = nc.keyValueManagement();
      kvm.create(io.nats.client.api.KeyValueConfiguration.builder().name("A").storageType(StorageType.File).build());
      var a = nc.keyValue("A");
      a.put("k1", "v1");
      a.put("k2", "v2");
      kvm.create(io.nats.client.api.KeyValueConfiguration.builder().name("C").storageType(StorageType.File)
          .mirror(Mirror.builder().sourceName("A").build()).build());
      awaitMessages(nc.jetStreamManagement(), "KV_C", 2);
      if (!side.reference) {
        // a bucket sourcing another has the keys renamed into its own by subject_transforms (nats-server 2.10's;
        // nats.go adds the transform itself, jnats leaves it to the caller)
        kvm.create(io.nats.client.api.KeyValueConfiguration.builder().name("B").storageType(StorageType.File)
            .sources(Source.builder().sourceName("A").subjectTransforms(io.nats.client.api.SubjectTransform.builder()
                .source("$KV.A.>").destination("$KV.B.>").build()).build()).build());
        var b = nc.keyValue("B");
        Await.until("B to hold A's keys", () -> b.get("k2") != null);
        org.junit.jupiter.api.Assertions.assertEquals("v1", new String(b.get("k1").getValue(),
            java.nio.charset.StandardCharsets.UTF_8));
      }
      var m = nc.jetStreamManagement();
      return new String(m.getLastMessage("KV_C", "$KV.A.k1").getData(), java.nio.charset.StandardCharsets.UTF_8) + " "
          + new String(m.getLastMessage("KV_C", "$KV.A.k2").getData(), java.nio.charset.StandardCharsets.UTF_8)
          + " | " + m.getStreamInfo("KV_C").getStreamState().getMsgCount() + " keys"
          + " | origin gone, the mirror answers: " + directGetAfterOriginGone(nc);
    });
  }

  /**
   * A mirror on a leaf node of a stream in the hub's JetStream domain (external API
   * {@code $JS.hub.API}), with a natsvx hub and a nats-server hub: it catches up after its own
   * server was SIGKILLed while the origin took more, and after the hub was SIGKILLed and came
   * back, with every origin sequence once.
   */
  @Test
  void aMirrorAcrossDomainsCatchesUpAfterEitherEndWasKilled() throws Exception {
    for (boolean referenceHub : NatsServerProcess.available() ? new boolean[] {false, true} : new boolean[] {false}) {
      String kind = referenceHub ? "nats-server hub" : "natsvx hub";
      java.nio.file.Path base = dir.resolve(referenceHub ? "ref-hub" : "vx-hub");
      int leafPort = NatsServerProcess.freePort();
      java.nio.file.Path hubConf = base.resolve("hub.conf");
      java.nio.file.Path leafConf = base.resolve("leaf.conf");
      java.nio.file.Files.createDirectories(base);
      java.nio.file.Files.writeString(hubConf, "server_name: HUB\njetstream { domain: hub, store_dir: \""
          + base.resolve("hub-store") + "\" }\nleafnodes { listen: \"127.0.0.1:" + leafPort + "\" }\n");
      java.nio.file.Files.writeString(leafConf, "server_name: LEAF\njetstream { domain: leaf, store_dir: \""
          + base.resolve("leaf-store") + "\" }\nleafnodes { remotes [{ url: \"nats-leaf://127.0.0.1:" + leafPort
          + "\" }] }\n");
      NatsServerProcess[] hub = {hubProcess(referenceHub, hubConf)};
      NatsServerProcess[] leaf = {NatsServerProcess.natsvx("-c", leafConf.toString())};
      try {
        try (Connection hc = io.nats.client.Nats.connect(hub[0].url())) {
          hc.jetStreamManagement().addStream(StreamConfiguration.builder().name("ORIG").subjects("o.>")
              .storageType(StorageType.File).build());
          for (int i = 1; i <= 5; i++) {
            publish(hc, "o." + i, null);
          }
        }
        try (Connection lc = io.nats.client.Nats.connect(leaf[0].url())) {
          JetStreamManagement jsm = lc.jetStreamManagement();
          jsm.addStream(StreamConfiguration.builder().name("M").storageType(StorageType.File)
              .mirror(Mirror.builder().sourceName("ORIG").external(io.nats.client.api.External.builder()
                  .api("$JS.hub.API").deliver("").build()).build()).build());
          awaitMessages(jsm, "M", 5);
        }
        leaf[0].kill();
        try (Connection hc = io.nats.client.Nats.connect(hub[0].url())) {
          for (int i = 6; i <= 10; i++) {
            publish(hc, "o." + i, null);
          }
        }
        leaf[0] = NatsServerProcess.natsvx("-c", leafConf.toString());
        try (Connection lc = io.nats.client.Nats.connect(leaf[0].url())) {
          awaitMessages(lc.jetStreamManagement(), "M", 10);
        }
        hub[0].kill();
        hub[0] = hubProcess(referenceHub, hubConf);
        try (Connection hc = io.nats.client.Nats.connect(hub[0].url())) {
          for (int i = 11; i <= 15; i++) {
            publish(hc, "o." + i, null);
          }
        }
        try (Connection lc = io.nats.client.Nats.connect(leaf[0].url())) {
          JetStreamManagement jsm = lc.jetStreamManagement();
          StreamInfo m = awaitMessages(jsm, "M", 15);
          org.junit.jupiter.api.Assertions.assertEquals("msgs=15 first=1 last=15", state(jsm, "M"), kind);
          StringBuilder expected = new StringBuilder();
          for (int q = 1; q <= 15; q++) {
            expected.append(q == 1 ? "" : " ").append(q).append(":o.").append(q);
          }
          org.junit.jupiter.api.Assertions.assertEquals(expected.toString(), bySequence(jsm, "M", 15), kind);
          org.junit.jupiter.api.Assertions.assertEquals("$JS.hub.API", m.getMirrorInfo().getExternal().getApi(), kind);
        }
      } finally {
        leaf[0].close();
        hub[0].close();
      }
    }
  }

  /**
   * A mirror of a stream in another account of the same server: the origin's account exports
   * its JetStream API, flow control and the deliveries, the mirror's account imports them
   * (JetStream API under {@code JS.A.API}); a client of B reaches A's API through the import too.
   */
  @Test
  void aMirrorOfAStreamInAnotherAccount() throws Exception {
    try (TestServer server = TestServer.fromConf("jetstream { store_dir: \"" + dir.resolve("accounts") + "\" }\n"
        + "accounts {\n"
        + "  A { jetstream: enabled, users [{user: a, password: a}],\n"
        + "      exports [{service: \"$JS.API.>\"}, {service: \"$JS.FC.>\"}, {stream: \"deliver.B.>\"}] }\n"
        + "  B { jetstream: enabled, users [{user: b, password: b}],\n"
        + "      imports [{service: {account: A, subject: \"$JS.API.>\"}, to: \"JS.A.API.>\"},\n"
        + "               {service: {account: A, subject: \"$JS.FC.>\"}},\n"
        + "               {stream: {account: A, subject: \"deliver.B.>\"}}] }\n"
        + "}\n");
         Connection a = io.nats.client.Nats.connect("nats://a:a@127.0.0.1:" + server.port());
         Connection b = io.nats.client.Nats.connect("nats://b:b@127.0.0.1:" + server.port())) {
      a.jetStreamManagement().addStream(StreamConfiguration.builder().name("ORIG").subjects("o.>")
          .storageType(StorageType.File).build());
      for (int i = 1; i <= 5; i++) {
        publish(a, "o." + i, null);
      }
      JetStreamManagement viaImport = b.jetStreamManagement(io.nats.client.JetStreamOptions.builder()
          .prefix("JS.A.API").build());
      org.junit.jupiter.api.Assertions.assertEquals(5, viaImport.getStreamInfo("ORIG").getStreamState().getMsgCount(),
          "B asks A's JetStream through the service import, and the answer comes back");
      JetStreamManagement jsm = b.jetStreamManagement();
      jsm.addStream(StreamConfiguration.builder().name("M").storageType(StorageType.File)
          .mirror(Mirror.builder().sourceName("ORIG").external(io.nats.client.api.External.builder()
              .api("JS.A.API").deliver("deliver.B").build()).build()).build());
      awaitMessages(jsm, "M", 5);
      publish(a, "o.6", null);
      awaitMessages(jsm, "M", 6);
      org.junit.jupiter.api.Assertions.assertEquals("1:o.1 2:o.2 3:o.3 4:o.4 5:o.5 6:o.6", bySequence(jsm, "M", 6));
    }
  }

  private static NatsServerProcess hubProcess(boolean reference, java.nio.file.Path conf) throws Exception {
    return reference ? NatsServerProcess.start("-c", conf.toString()) : NatsServerProcess.natsvx("-c", conf.toString());
  }
}
