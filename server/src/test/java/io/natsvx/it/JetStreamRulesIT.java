package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nats.client.Connection;
import io.nats.client.impl.NatsMessage;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * JetStream's rules where they are easy to get subtly wrong (retention, work queues, restarts
 * after a purge or a crash, deliver policies on wildcards), on natsvx and nats-server alike.
 */
class JetStreamRulesIT extends JetStreamSideBySide {

  @Test
  void anInterestStreamStoresNothingNoConsumerWants() throws Exception {
    bothTell("""
        1 2 3
        msgs=0 first=4 last=3
        4 5
        msgs=1 first=5 last=5""", side -> {
          Connection nc = side.connect();
          JetStreamManagement jsm = nc.jetStreamManagement();
          jsm.addStream(StreamConfiguration.builder().name("INT").subjects("int.>")
              .retentionPolicy(RetentionPolicy.Interest).storageType(StorageType.File).build());
          String first = publish(nc, "int.a", null) + " " + publish(nc, "int.a", null) + " "
              + publish(nc, "int.b", null);
          String empty = state(jsm, "INT");
          jsm.addOrUpdateConsumer("INT", ConsumerConfiguration.builder().durable("only-a").filterSubject("int.a")
              .ackPolicy(AckPolicy.Explicit).build());
          String filtered = publish(nc, "int.b", null) + " " + publish(nc, "int.a", null);
          return first + "\n" + empty + "\n" + filtered + "\n" + state(jsm, "INT");
        });
  }

  @Test
  void aWorkQueueRefusesConsumersThatWouldShareMessages() throws Exception {
    bothTell("""
        a: ok
        all: error 400 10099 multiple non-filtered consumers not allowed on workqueue stream
        a-too: error 400 10100 filtered consumer not unique on workqueue stream
        b: ok
        a again: ok""", side -> {
          JetStreamManagement jsm = side.jsm();
          jsm.addStream(StreamConfiguration.builder().name("WQ").subjects("wq.>")
              .retentionPolicy(RetentionPolicy.WorkQueue).storageType(StorageType.File).build());
          StringBuilder out = new StringBuilder();
          String[][] consumers = {{"a", "a", "wq.a.>"}, {"all", "all", null}, {"a-too", "a-too", "wq.a.x"},
              {"b", "b", "wq.b"}, {"a again", "a", "wq.a.>"}};
          for (String[] c : consumers) {
            ConsumerConfiguration.Builder b = ConsumerConfiguration.builder().durable(c[1]).ackPolicy(AckPolicy.Explicit);
            if (c[2] != null) {
              b.filterSubject(c[2]);
            }
            String result;
            try {
              jsm.addOrUpdateConsumer("WQ", b.build());
              result = "ok";
            } catch (JetStreamApiException e) {
              result = error(e);
            }
            out.append(out.length() == 0 ? "" : "\n").append(c[0]).append(": ").append(result);
          }
          if (!side.reference) {
            // nats-server 2.10 on refuses filters that merely collide (wq.a.y is in both); 2.9 checks subsets only
            try {
              jsm.addOrUpdateConsumer("WQ", ConsumerConfiguration.builder().durable("a-star").filterSubject("wq.*.y")
                  .ackPolicy(AckPolicy.Explicit).build());
              out.append("\na-star: ok");
            } catch (JetStreamApiException e) {
              assertEquals("error 400 10100 filtered consumer not unique on workqueue stream", error(e));
            }
          }
          return out.toString();
        });
  }

  @Test
  void aStreamsStorageCannotChange() throws Exception {
    bothTell("error 500 10052 stream configuration update can not change storage type", side -> {
      JetStreamManagement jsm = side.jsm();
      jsm.addStream(StreamConfiguration.builder().name("S").subjects("s").storageType(StorageType.File).build());
      try {
        jsm.updateStream(StreamConfiguration.builder().name("S").subjects("s").storageType(StorageType.Memory).build());
        return "updated";
      } catch (JetStreamApiException e) {
        return error(e);
      }
    });
  }

  @Test
  void sequencesAfterAPurgeOrTailDeletesSurviveRestarts() throws Exception {
    bothTell("""
        msgs=0 first=6 last=5 | msgs=0 first=6 last=5 | msgs=0 first=6 last=5
        msgs=3 first=1 last=5 | msgs=3 first=1 last=5 | msgs=3 first=1 last=5
        6 6""", side -> {
          Connection nc = side.connect();
          JetStreamManagement jsm = nc.jetStreamManagement();
          for (String name : List.of("P", "T")) {
            jsm.addStream(StreamConfiguration.builder().name(name).subjects(name.toLowerCase())
                .storageType(StorageType.File).build());
            for (int i = 0; i < 5; i++) {
              publish(nc, name.toLowerCase(), null);
            }
          }
          jsm.purgeStream("P");
          jsm.deleteMessage("T", 5);
          jsm.deleteMessage("T", 4);
          String p = state(jsm, "P");
          String t = state(jsm, "T");
          for (boolean kill : new boolean[] {false, true}) {
            side.restart(kill);
            jsm = side.jsm();
            p += " | " + state(jsm, "P");
            t += " | " + state(jsm, "T");
          }
          nc = side.connect();
          return p + "\n" + t + "\n" + publish(nc, "p", null) + " " + publish(nc, "t", null);
        });
  }

  @Test
  void duplicatesAreRecognisedAcrossRestartsAndKills() throws Exception {
    bothTell("1 2 | 1(dup) 2(dup) 3 | 1(dup) 3(dup) 4", side -> {
      Connection nc = side.connect();
      nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("D").subjects("d")
          .storageType(StorageType.File).duplicateWindow(Duration.ofMinutes(2)).build());
      String out = publish(nc, "d", "a") + " " + publish(nc, "d", "b");
      side.restart(false);
      nc = side.connect();
      out += " | " + publish(nc, "d", "a") + " " + publish(nc, "d", "b") + " " + publish(nc, "d", "c");
      side.restart(true);
      nc = side.connect();
      return out + " | " + publish(nc, "d", "a") + " " + publish(nc, "d", "c") + " " + publish(nc, "d", "e");
    });
  }

  @Test
  void everyDeliverPolicyOnAWildcardFilter() throws Exception {
    bothTell("""
        all: pending 4: 1 2 3 5
        last: pending 1: 5
        new: pending 0:
        by_start_sequence: pending 2: 3 5
        by_start_time: pending 2: 3 5
        last_per_subject: pending 2: 3 5""", side -> {
          Connection nc = side.connect();
          JetStreamManagement jsm = nc.jetStreamManagement();
          jsm.addStream(StreamConfiguration.builder().name("X").subjects("x.>").storageType(StorageType.File).build());
          for (String subject : List.of("x.a", "x.b", "x.a", "x.c.d", "x.b")) {
            publish(nc, subject, null);
          }
          java.time.ZonedDateTime third = jsm.getMessage("X", 3).getTime();
          StringBuilder out = new StringBuilder();
          for (io.nats.client.api.DeliverPolicy policy : List.of(io.nats.client.api.DeliverPolicy.All,
              io.nats.client.api.DeliverPolicy.Last, io.nats.client.api.DeliverPolicy.New,
              io.nats.client.api.DeliverPolicy.ByStartSequence, io.nats.client.api.DeliverPolicy.ByStartTime,
              io.nats.client.api.DeliverPolicy.LastPerSubject)) {
            ConsumerConfiguration.Builder b = ConsumerConfiguration.builder().durable("c-" + policy.ordinal())
                .filterSubject("x.*").deliverPolicy(policy).ackPolicy(AckPolicy.None);
            if (policy == io.nats.client.api.DeliverPolicy.ByStartSequence) {
              b.startSequence(3);
            }
            if (policy == io.nats.client.api.DeliverPolicy.ByStartTime) {
              b.startTime(third);
            }
            out.append(out.length() == 0 ? "" : "\n").append(policy).append(": ")
                .append(fetchAll(nc, jsm, "X", b.build()));
          }
          if (!side.reference) {
            // several filters are nats-server 2.10's; 2.9 takes only filter_subject
            assertEquals("pending 2: 3 4", fetchAll(nc, jsm, "X", ConsumerConfiguration.builder().durable("multi")
                .filterSubjects("x.a", "x.c.>").deliverPolicy(io.nats.client.api.DeliverPolicy.LastPerSubject)
                .ackPolicy(AckPolicy.None).build()));
            assertEquals("pending 3: 1 3 4", fetchAll(nc, jsm, "X", ConsumerConfiguration.builder()
                .durable("multi-all").filterSubjects("x.a", "x.c.>").ackPolicy(AckPolicy.None).build()));
            JetStreamApiException overlap = org.junit.jupiter.api.Assertions.assertThrows(JetStreamApiException.class,
                () -> jsm.addOrUpdateConsumer("X", ConsumerConfiguration.builder().durable("overlap")
                    .filterSubjects("x.a", "x.>").build()));
            assertEquals("error 400 10138 consumer subject filters cannot overlap", error(overlap));
          }
          return out.toString();
        });
  }

  /** A durable pull consumer from {@code config}: its pending count, then the sequences it delivers. */
  private static String fetchAll(Connection nc, JetStreamManagement jsm, String stream, ConsumerConfiguration config)
      throws Exception {
    jsm.addOrUpdateConsumer(stream, config);
    long pending = jsm.getConsumerInfo(stream, config.getDurable()).getNumPending();
    var sub = nc.jetStream().subscribe(null, io.nats.client.PullSubscribeOptions.bind(stream, config.getDurable()));
    StringBuilder seqs = new StringBuilder("pending " + pending + ":");
    for (io.nats.client.Message m : sub.fetch(10, Duration.ofMillis(500))) {
      seqs.append(' ').append(m.metaData().streamSequence());
    }
    sub.unsubscribe();
    return seqs.toString();
  }

  /**
   * Publishes in flight together (one burst, one commit here) are checked as if one at a time:
   * each expected sequence sees the ones before it, a message id repeated within them is a duplicate.
   */
  @Test
  void headerChecksSeeThePublishesBeforeThemInFlight() throws Exception {
    bothTell("""
        chain: 1..40
        ids: 41..50 then duplicates of 41..50
        stream chain: 51..60
        conflict: error 400 10071 wrong last sequence: 60""", side -> {
          Connection nc = side.connect();
          nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("F").subjects("f.>")
              .storageType(StorageType.File).build());
          var js = nc.jetStream();
          List<java.util.concurrent.CompletableFuture<io.nats.client.api.PublishAck>> acks = new java.util.ArrayList<>();
          for (int i = 0; i < 40; i++) {
            acks.add(js.publishAsync(NatsMessage.builder().subject("f.chain").data("x")
                .headers(new io.nats.client.impl.Headers().add("Nats-Expected-Last-Subject-Sequence", Long.toString(i)))
                .build()));
          }
          for (int i = 0; i < 20; i++) {
            acks.add(js.publishAsync(NatsMessage.builder().subject("f.ids").data("x")
                .headers(new io.nats.client.impl.Headers().add("Nats-Msg-Id", "m" + (i % 10))).build()));
          }
          for (int i = 0; i < 10; i++) {
            acks.add(js.publishAsync(NatsMessage.builder().subject("f.all").data("x")
                .headers(new io.nats.client.impl.Headers().add("Nats-Expected-Last-Sequence", Long.toString(50 + i)))
                .build()));
          }
          StringBuilder chain = new StringBuilder();
          for (var a : acks) {
            var ack = a.get(10, java.util.concurrent.TimeUnit.SECONDS);
            chain.append(ack.getSeqno()).append(ack.isDuplicate() ? "d" : "").append(' ');
          }
          String expected = java.util.stream.IntStream.rangeClosed(1, 50).mapToObj(Integer::toString)
              .collect(java.util.stream.Collectors.joining(" ")) + " "
              + java.util.stream.IntStream.rangeClosed(41, 50).mapToObj(q -> q + "d")
              .collect(java.util.stream.Collectors.joining(" ")) + " "
              + java.util.stream.IntStream.rangeClosed(51, 60).mapToObj(Integer::toString)
              .collect(java.util.stream.Collectors.joining(" ")) + " ";
          String conflict;
          try {
            js.publish(NatsMessage.builder().subject("f.chain").data("x")
                .headers(new io.nats.client.impl.Headers().add("Nats-Expected-Last-Sequence", "59")).build());
            conflict = "stored";
          } catch (JetStreamApiException e) {
            conflict = error(e);
          }
          return (chain.toString().equals(expected)
              ? "chain: 1..40\nids: 41..50 then duplicates of 41..50\nstream chain: 51..60" : chain.toString())
              + "\nconflict: " + conflict;
        });
  }
}
