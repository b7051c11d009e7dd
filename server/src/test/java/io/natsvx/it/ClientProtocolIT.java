package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client protocol over a raw socket: framing, replies and every error's outcome. */
class ClientProtocolIT {

  private static final String NON_VERBOSE = "CONNECT {\"verbose\":false,\"pedantic\":false}\r\n";
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(b -> b.maxPayload(1024).maxControlLine(256).maxSubscriptions(3));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private RawClient client() throws Exception {
    RawClient c = RawClient.connect(server.port());
    c.send(NON_VERBOSE);
    return c;
  }

  @Test
  void infoHasNatsServerFields() throws Exception {
    try (RawClient c = new RawClient(server.port())) {
      String line = c.readLine();
      assertTrue(line.startsWith("INFO {"), line);
      assertTrue(line.endsWith("} "), "INFO ends with a blank before CRLF: " + line);
      JsonObject info = new JsonObject(line.substring(5).trim());
      assertTrue(info.getString("server_id").matches("N[A-Z2-7]{55}"), info.encode());
      assertEquals("2.10.0", info.getString("version"));
      assertEquals(1, info.getInteger("proto"));
      assertEquals(server.port(), info.getInteger("port"));
      assertEquals(true, info.getBoolean("headers"));
      assertEquals(1024, info.getInteger("max_payload"));
      assertTrue(info.getLong("client_id") > 0);
      assertEquals("127.0.0.1", info.getString("client_ip"));
      assertFalse(info.containsKey("auth_required"));
    }
  }

  @Test
  void connectWithoutVerboseMeansVerbose() throws Exception {
    try (RawClient c = RawClient.connect(server.port())) {
      c.send("CONNECT {}\r\n").expect("\\+OK");
      c.send("SUB foo 1\r\n").expect("\\+OK");
      c.send("PUB foo 2\r\nhi\r\n").expect("\\+OK");
      c.expect("MSG foo 1 2");
      assertEquals("hi", c.readLine());
      c.send("UNSUB 1\r\n").expect("\\+OK");
      c.send("PING\r\n").expect("PONG");
    }
  }

  @Test
  void pubSubWithReplyAndWildcards() throws Exception {
    try (RawClient sub = client(); RawClient pub = client()) {
      sub.send("SUB a.* 1\r\nSUB a.> 2\r\nSUB a.b 3\r\n").sync();
      pub.send("PUB a.b reply.x 5\r\nhello\r\n").sync();
      java.util.Set<String> lines = new java.util.HashSet<>();
      for (int i = 0; i < 3; i++) {
        lines.add(sub.next());
        assertEquals("hello", sub.readLine());
      }
      assertEquals(java.util.Set.of("MSG a.b 1 reply.x 5", "MSG a.b 2 reply.x 5", "MSG a.b 3 reply.x 5"), lines);
      pub.send("PUB a.b.c 0\r\n\r\n").sync();
      sub.expect("MSG a.b.c 2 0");
      assertEquals("", sub.readLine());
    }
  }

  @Test
  void byteByByteAndManyOpsPerWrite() throws Exception {
    try (RawClient sub = client(); RawClient pub = client()) {
      sub.send("SUB split 9\r\n").sync();
      byte[] script = "PUB split 3\r\nabc\r\nHPUB split 12 15\r\nNATS/1.0\r\n\r\nxyz\r\nPING\r\n".getBytes(StandardCharsets.UTF_8);
      pub.send("CONNECT {\"verbose\":false,\"pedantic\":false,\"headers\":true}\r\n");
      for (byte b : script) {
        pub.send(new byte[] {b});
      }
      pub.expect("PONG");
      sub.expect("MSG split 9 3");
      assertEquals("abc", sub.readLine());
      // The subscriber did not ask for headers: the HPUB arrives as a plain MSG without them.
      sub.expect("MSG split 9 3");
      assertEquals("xyz", sub.readLine());
    }
  }

  @Test
  void headersArriveAsHmsg() throws Exception {
    try (RawClient sub = RawClient.connect(server.port()); RawClient pub = RawClient.connect(server.port())) {
      String hdrs = "CONNECT {\"verbose\":false,\"pedantic\":false,\"headers\":true}\r\n";
      sub.send(hdrs).send("SUB h 1\r\n").sync();
      pub.send(hdrs).send("HPUB h r 26 31\r\nNATS/1.0\r\nA: bcdefghij\r\n\r\nhello\r\n").sync();
      sub.expect("HMSG h 1 r 26 31");
      assertEquals("NATS/1.0", sub.readLine());
      assertEquals("A: bcdefghij", sub.readLine());
      assertEquals("", sub.readLine());
      assertEquals("hello", sub.readLine());
    }
  }

  @Test
  void queueGroupDeliversToOneMember() throws Exception {
    try (RawClient a = client(); RawClient b = client(); RawClient pub = client()) {
      a.send("SUB q g 1\r\n").sync();
      b.send("SUB q g 1\r\n").sync();
      int n = 40;
      for (int i = 0; i < n; i++) {
        pub.send("PUB q 1\r\nx\r\n");
      }
      pub.sync();
      a.send("PING\r\n");
      b.send("PING\r\n");
      int got = countMsgs(a) + countMsgs(b);
      assertEquals(n, got);
    }
  }

  private static int countMsgs(RawClient c) throws Exception {
    int n = 0;
    while (true) {
      String line = c.next();
      if (line.equals("PONG")) {
        return n;
      }
      if (line.startsWith("MSG ")) {
        c.readLine();
        n++;
      }
    }
  }

  @Test
  void unsubWithMaxCountsAlreadyReceived() throws Exception {
    try (RawClient sub = client(); RawClient pub = client()) {
      sub.send("SUB m 1\r\n").sync();
      pub.send("PUB m 1\r\na\r\n").sync();
      sub.expect("MSG m 1 1");
      sub.readLine();
      sub.send("UNSUB 1 2\r\n").sync();
      for (int i = 0; i < 3; i++) {
        pub.send("PUB m 1\r\nb\r\n");
      }
      pub.sync();
      sub.send("PING\r\n");
      assertEquals(1, countMsgs(sub));
    }
  }

  /**
   * Once its publisher has the PONG, a message is ahead of anything the subscriber is sent
   * later, though they sit on different event loops (nats-server's order, which clients rely on).
   */
  @Test
  void aMessageConfirmedToItsPublisherPrecedesTheSubscribersNextPong() throws Exception {
    try (RawClient sub = client(); RawClient pub = client()) {
      sub.send("SUB m 1\r\n").sync();
      for (int i = 0; i < 200; i++) {
        pub.send("PUB m 1\r\n" + (i % 10) + "\r\n").sync();
        sub.send("PING\r\n");
        assertEquals("MSG m 1 1", sub.readLine(), "round " + i);
        assertEquals(Integer.toString(i % 10), sub.readLine());
        assertEquals("PONG", sub.readLine(), "round " + i);
      }
    }
  }

  @Test
  void echoOff() throws Exception {
    try (RawClient c = RawClient.connect(server.port())) {
      c.send("CONNECT {\"verbose\":false,\"echo\":false}\r\nSUB e 1\r\nPUB e 1\r\nx\r\nPING\r\n");
      c.expect("PONG");
      c.send("CONNECT {\"verbose\":false,\"echo\":true}\r\nPUB e 1\r\ny\r\nPING\r\n");
      c.expect("MSG e 1 1");
      assertEquals("y", c.readLine());
      c.expect("PONG");
    }
  }

  @Test
  void noRespondersGets503() throws Exception {
    try (RawClient c = RawClient.connect(server.port())) {
      c.send("CONNECT {\"verbose\":false,\"headers\":true,\"no_responders\":true}\r\n");
      c.send("SUB _INBOX.abc.* 7\r\nPUB nobody _INBOX.abc.1 0\r\n\r\n");
      c.expect("HMSG _INBOX.abc.1 7 16 16");
      assertEquals("NATS/1.0 503", c.readLine());
      assertEquals("", c.readLine());
      assertEquals("", c.readLine());
      c.sync();
    }
  }

  @Test
  void noRespondersWithoutHeadersIsRefused() throws Exception {
    try (RawClient c = RawClient.connect(server.port())) {
      c.send("CONNECT {\"verbose\":false,\"no_responders\":true}\r\n");
      c.expect("-ERR 'no responders requires headers support'");
      assertTrue(c.isClosedByServer(2000));
    }
  }

  @Test
  void pedanticRejectsWildcardPublishButKeepsConnection() throws Exception {
    try (RawClient c = RawClient.connect(server.port())) {
      c.send("CONNECT {\"verbose\":false,\"pedantic\":true}\r\nPUB foo.* 0\r\n\r\n");
      c.expect("-ERR 'Invalid Publish Subject'");
      c.sync();
    }
  }

  @Test
  void reservedPrefixesAreRefusedAsNatsServer210Does() throws Exception {
    try (RawClient c = client()) {
      c.send("PUB _GR_.x 1\r\nx\r\n").expect("-ERR 'Permissions Violation for Publish to \"_GR_.x\"'");
      c.send("PUB a _R_.y 1\r\nx\r\n").expect("-ERR 'Permissions Violation for Publish with Reply of \"_R_.y\"'");
      c.send("PUB a $JS.ACK.s.c.1 1\r\nx\r\n")
          .expect("-ERR 'Permissions Violation for Publish with Reply of \"\\$JS.ACK.s.c.1\"'");
      c.sync();
    }
  }

  @Test
  void invalidSubjectKeepsConnection() throws Exception {
    try (RawClient c = client()) {
      c.send("SUB foo..bar 1\r\n").expect("-ERR 'Invalid Subject'");
      c.send("SUB foo.>.bar 2\r\n").expect("-ERR 'Invalid Subject'");
      c.sync();
    }
  }

  @Test
  void maxSubscriptionsKeepsConnection() throws Exception {
    try (RawClient c = client()) {
      c.send("SUB a 1\r\nSUB b 2\r\nSUB c 3\r\nSUB d 4\r\n");
      c.expect("-ERR 'maximum subscriptions exceeded'");
      c.sync();
    }
  }

  @Test
  void unknownOperationCloses() throws Exception {
    for (String bad : new String[] {"FOO\r\n", "\r\n", "MSG foo 1 1\r\nx\r\n", "PUX foo 1\r\n", "SUBfoo 1\r\n"}) {
      try (RawClient c = client()) {
        c.send(bad);
        c.expect("-ERR 'Unknown Protocol Operation'");
        assertTrue(c.isClosedByServer(2000), bad);
      }
    }
  }

  @Test
  void payloadLongerThanDeclaredCloses() throws Exception {
    try (RawClient c = client()) {
      c.send("PUB foo 2\r\nabc\r\n");
      c.expect("-ERR 'Unknown Protocol Operation'");
      assertTrue(c.isClosedByServer(2000));
    }
  }

  @Test
  void maxPayloadClosesAtTheControlLine() throws Exception {
    try (RawClient c = client()) {
      c.send("PUB foo 1025\r\n");
      c.expect("-ERR 'Maximum Payload Violation'");
      assertTrue(c.isClosedByServer(2000));
    }
  }

  @Test
  void maxControlLineCloses() throws Exception {
    try (RawClient c = client()) {
      c.send("SUB " + "x".repeat(300) + " 1\r\n");
      c.expect("-ERR 'maximum control line exceeded'");
      assertTrue(c.isClosedByServer(2000));
    }
    try (RawClient c = client()) {
      c.send("PUB " + "y".repeat(300)); // no line end yet: refused as soon as it is too long
      c.expect("-ERR 'maximum control line exceeded'");
      assertTrue(c.isClosedByServer(2000));
    }
  }

  @Test
  void malformedArgumentsCloseSilently() throws Exception {
    String[] bad = {"PUB foo\r\n", "PUB foo bar baz qux\r\n", "PUB foo x\r\n", "SUB foo\r\n",
        "SUB a b c d\r\n", "UNSUB\r\n", "CONNECT {bad json\r\n", "HPUB foo 1 1\r\n"};
    for (String b : bad) {
      try (RawClient c = client()) {
        c.send(b);
        assertTrue(c.isClosedByServer(2000), b);
      }
    }
  }

  @Test
  void hpubHeaderLargerThanTotalClosesSilently() throws Exception {
    try (RawClient c = RawClient.connect(server.port())) {
      c.send("CONNECT {\"verbose\":false,\"headers\":true}\r\nHPUB foo 10 5\r\n");
      assertTrue(c.isClosedByServer(2000));
    }
  }

  @Test
  void clientErrCloses() throws Exception {
    try (RawClient c = client()) {
      c.send("-ERR 'oops'\r\n");
      assertTrue(c.isClosedByServer(2000));
    }
  }

  @Test
  void badConnectionDoesNotAffectOthers() throws Exception {
    try (RawClient good = client(); RawClient bad = client()) {
      good.send("SUB x 1\r\n").sync();
      bad.send("GARBAGE\r\n");
      bad.expect("-ERR 'Unknown Protocol Operation'");
      good.send("PUB x 2\r\nok\r\n");
      good.expect("MSG x 1 2");
      assertEquals("ok", good.readLine());
    }
  }

  @Test
  void messagesBeforeAProtocolErrorAreDelivered() throws Exception {
    try (RawClient good = client(); RawClient bad = client(); RawClient later = client()) {
      good.send("SUB d 1\r\n").sync();
      long start = System.nanoTime();
      bad.send("PUB d 5\r\nfirst\r\nBOGUS\r\n");
      bad.expect("-ERR 'Unknown Protocol Operation'");
      good.expect("MSG d 1 5");
      // At once, not whenever something else (the first keepalive PING) flushes the subscriber.
      assertTrue(System.nanoTime() - start < 1_000_000_000L, "delivered late");
      assertEquals("first", good.readLine());
      later.send("PUB d 6\r\nsecond\r\n").sync();
      good.expect("MSG d 1 6");
      assertEquals("second", good.readLine());
    }
  }

  @Test
  void invalidProtocolVersionCloses() throws Exception {
    try (RawClient c = RawClient.connect(server.port())) {
      c.send("CONNECT {\"verbose\":false,\"protocol\":2}\r\n");
      c.expect("-ERR 'invalid client protocol'");
      assertTrue(c.isClosedByServer(2000));
    }
  }

  @Test
  void payloadSplitAcrossWrites() throws Exception {
    try (RawClient sub = client(); RawClient pub = client()) {
      sub.send("SUB big 1\r\n").sync();
      String body = "z".repeat(1000);
      pub.send("PUB big 1000\r\n" + body.substring(0, 400));
      pub.send(body.substring(400) + "\r");
      pub.send("\n").sync();
      sub.expect("MSG big 1 1000");
      assertEquals(body, sub.readLine());
    }
  }
}
