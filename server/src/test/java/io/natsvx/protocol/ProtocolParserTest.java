package io.natsvx.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProtocolParserTest {

  /** Records every callback as a line of text. */
  static final class Recorder implements ProtocolHandler {
    final List<String> events = new ArrayList<>();

    @Override public void onConnect(byte[] j, int o, int l) { events.add("CONNECT " + new String(j, o, l)); }
    @Override public void onInfo(byte[] j, int o, int l) { events.add("INFO " + new String(j, o, l)); }
    @Override public void onPing() { events.add("PING"); }
    @Override public void onPong() { events.add("PONG"); }
    @Override public void onOk() { events.add("+OK"); }
    @Override public void onErr(String text) { events.add("-ERR " + text); }
    @Override public void onSub(byte[] a, int o, int l) { events.add("SUB " + new String(a, o, l)); }
    @Override public void onUnsub(byte[] a, int o, int l) { events.add("UNSUB " + new String(a, o, l)); }
    @Override public void onProtocolError(ProtocolError e, String d) { events.add("ERROR " + e); }

    @Override
    public void onPub(PubArgs pa, ByteBuf payload, int index) {
      events.add((pa.hasHeaders() ? "HPUB " : "PUB ") + pa.subject() + " " + pa.reply() + " " + pa.headerSize + " "
          + pa.size + " [" + payload.toString(index, pa.size, StandardCharsets.UTF_8) + "]");
    }
  }

  private static List<String> parseWhole(String input) {
    Recorder r = new Recorder();
    ProtocolParser p = new ProtocolParser(r, 4096, 1024 * 1024);
    p.headersSupported(true);
    p.parse(Unpooled.copiedBuffer(input, StandardCharsets.UTF_8));
    return r.events;
  }

  /** Feeds the input split at every offset (two reads), and byte by byte; all must agree. */
  private static List<String> parseAllSplits(String input) {
    List<String> whole = parseWhole(input);
    byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
    for (int cut = 1; cut < bytes.length; cut++) {
      Recorder r = new Recorder();
      ProtocolParser p = new ProtocolParser(r, 4096, 1024 * 1024);
      p.headersSupported(true);
      p.parse(Unpooled.wrappedBuffer(bytes, 0, cut));
      if (!p.isClosed()) {
        p.parse(Unpooled.wrappedBuffer(bytes, cut, bytes.length - cut));
      }
      assertEquals(whole, r.events, "split at " + cut);
    }
    Recorder r = new Recorder();
    ProtocolParser p = new ProtocolParser(r, 4096, 1024 * 1024);
    p.headersSupported(true);
    for (byte b : bytes) {
      if (!p.isClosed()) {
        p.parse(Unpooled.wrappedBuffer(new byte[] {b}));
      }
    }
    assertEquals(whole, r.events, "byte by byte");
    return whole;
  }

  @Test
  void everyOperation() {
    String in = "CONNECT {\"verbose\":false}\r\nPING\r\nPONG\r\nSUB foo q 1\r\nUNSUB 1 5\r\n"
        + "PUB foo 5\r\nhello\r\nPUB foo bar 0\r\n\r\nHPUB h r 12 14\r\nNATS/1.0\r\n\r\nhi\r\n"
        + "INFO {}\r\n+OK\r\n-ERR 'boom'\r\n";
    assertEquals(List.of(
        "CONNECT {\"verbose\":false}", "PING", "PONG", "SUB foo q 1", "UNSUB 1 5",
        "PUB foo null -1 5 [hello]", "PUB foo bar -1 0 []", "HPUB h r 12 14 [NATS/1.0\r\n\r\nhi]",
        "INFO {}", "+OK", "-ERR boom"), parseAllSplits(in));
  }

  @Test
  void caseInsensitiveAndTabs() {
    assertEquals(List.of("PUB a null -1 1 [x]", "PING", "SUB a\t1"),
        parseAllSplits("pub\ta  1\r\nx\r\nping\r\nsub  a\t1\r\n"));
  }

  @Test
  void lineFeedOnlyIsAccepted() {
    assertEquals(List.of("PING", "PUB a null -1 1 [x]"), parseAllSplits("PING\nPUB a 1\nx\r\n"));
  }

  @Test
  void unknownOperations() {
    for (String bad : new String[] {"FOO\r\n", "\r\n", "MSG a 1 1\r\n", "PUX\r\n", "PUBX a 1\r\n", "SUBa 1\r\n", "X"}) {
      assertEquals(List.of("ERROR UNKNOWN_OPERATION"), parseWhole(bad), bad);
    }
  }

  @Test
  void payloadMismatch() {
    assertEquals(List.of("ERROR UNKNOWN_OPERATION"), parseAllSplits("PUB a 2\r\nabc\r\n"));
    assertEquals(List.of("ERROR UNKNOWN_OPERATION"), parseAllSplits("PUB a 2\r\nabXY"));
  }

  @Test
  void badPubArguments() {
    assertEquals(List.of("ERROR BAD_PUB_ARGS"), parseWhole("PUB a\r\n"));
    assertEquals(List.of("ERROR BAD_PUB_ARGS"), parseWhole("PUB a b c d\r\n"));
    assertEquals(List.of("ERROR BAD_PUB_ARGS"), parseWhole("PUB a -1\r\n"));
    assertEquals(List.of("ERROR BAD_PUB_ARGS"), parseWhole("PUB a 1234567890\r\n"));
    assertEquals(List.of("ERROR BAD_HPUB_ARGS"), parseWhole("HPUB a 5 3\r\n"));
    assertEquals(List.of("ERROR BAD_HPUB_ARGS"), parseWhole("HPUB a 3\r\n"));
  }

  @Test
  void headersMustBeNegotiated() {
    Recorder r = new Recorder();
    new ProtocolParser(r, 4096, 1024).parse(Unpooled.copiedBuffer("HPUB a 1 1\r\nx\r\n", StandardCharsets.UTF_8));
    assertEquals(List.of("ERROR HEADERS_NOT_SUPPORTED"), r.events);
  }

  @Test
  void limits() {
    Recorder r = new Recorder();
    ProtocolParser p = new ProtocolParser(r, 16, 10);
    p.parse(Unpooled.copiedBuffer("PUB a 11\r\n", StandardCharsets.UTF_8));
    assertEquals(List.of("ERROR MAX_PAYLOAD"), r.events);

    r = new Recorder();
    p = new ProtocolParser(r, 16, 10);
    p.parse(Unpooled.copiedBuffer("SUB 0123456789abcdef 1\r\n", StandardCharsets.UTF_8));
    assertEquals(List.of("ERROR MAX_CONTROL_LINE"), r.events);

    // A line of exactly max_control_line bytes passes.
    r = new Recorder();
    p = new ProtocolParser(r, 16, 10);
    p.parse(Unpooled.copiedBuffer("SUB 0123456789abc 1\r\n", StandardCharsets.UTF_8));
    assertEquals(List.of("SUB 0123456789abc 1"), r.events);
  }

  @Test
  void nothingAfterAnError() {
    Recorder r = new Recorder();
    ProtocolParser p = new ProtocolParser(r, 4096, 1024);
    p.parse(Unpooled.copiedBuffer("FOO\r\nPING\r\n", StandardCharsets.UTF_8));
    p.parse(Unpooled.copiedBuffer("PING\r\n", StandardCharsets.UTF_8));
    assertEquals(List.of("ERROR UNKNOWN_OPERATION"), r.events);
    assertTrue(p.isClosed());
  }

  @Test
  void largePayloadAcrossManyReads() {
    String body = "0123456789".repeat(5000);
    List<String> events = parseWhole("PUB big 50000\r\n" + body + "\r\n");
    assertEquals(1, events.size());
    Recorder r = new Recorder();
    ProtocolParser p = new ProtocolParser(r, 4096, 1024 * 1024);
    byte[] bytes = ("PUB big 50000\r\n" + body + "\r\nPING\r\n").getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i += 333) {
      p.parse(Unpooled.wrappedBuffer(bytes, i, Math.min(333, bytes.length - i)));
    }
    assertEquals(List.of("PUB big null -1 50000 [" + body + "]", "PING"), r.events);
  }

  @Test
  void randomInputNeverThrowsAndStopsAtTheFirstError() {
    java.util.Random random = new java.util.Random(42);
    String[] pieces = {"PUB ", "HPUB ", "SUB ", "UNSUB ", "PING", "PONG", "CONNECT ", "INFO ", "+OK", "-ERR ",
        "a.b", " ", "\t", "\r\n", "\n", "\r", "5", "12", "999999999", "hello", "NATS/1.0", "*", ">", "{}", "x"};
    for (int round = 0; round < 3000; round++) {
      StringBuilder sb = new StringBuilder();
      int n = 1 + random.nextInt(12);
      for (int i = 0; i < n; i++) {
        sb.append(random.nextInt(10) == 0 ? String.valueOf((char) random.nextInt(256)) : pieces[random.nextInt(pieces.length)]);
      }
      byte[] bytes = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
      Recorder r = new Recorder();
      ProtocolParser p = new ProtocolParser(r, 64, 1024);
      p.headersSupported(random.nextBoolean());
      int i = 0;
      while (i < bytes.length && !p.isClosed()) {
        int len = 1 + random.nextInt(bytes.length - i);
        p.parse(Unpooled.wrappedBuffer(bytes, i, len));
        i += len;
      }
      long errors = r.events.stream().filter(e -> e.startsWith("ERROR")).count();
      assertTrue(errors <= 1, "one error at most: " + r.events);
      if (errors == 1) {
        assertTrue(r.events.get(r.events.size() - 1).startsWith("ERROR"), "nothing after the error: " + r.events);
        assertTrue(p.isClosed());
      }
    }
  }
}
