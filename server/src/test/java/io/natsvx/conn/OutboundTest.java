package io.natsvx.conn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsvx.subject.Subscriber;
import io.natsvx.subject.Subscription;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One connection's outbound bytes: results and flags of each append (OK, STALLED, SLOW, CLOSED,
 * SKIPPED; FIRST, LAST), the MSG/HMSG framing, staging by other loops and its hand-over, and
 * what {@code take} gives to write. No channel: nothing is in flight in Netty.
 */
class OutboundTest {

  private static final int OWNER = 0;
  private static final int OTHER = 1;
  private static final int THIRD = 2;
  private static final int SLOTS = 3;
  private static final long MIB = 1024 * 1024;

  private static final Subscriber CLIENT = () -> 42;

  /** "MSG foo 1 5\r\nhello\r\n": what {@link #hello} takes in the buffer. */
  private static final int HELLO_LEN = "MSG foo 1 5\r\nhello\r\n".length();

  private final List<ByteBuf> payloads = new ArrayList<>();
  private final List<Outbound> outbounds = new ArrayList<>();

  @AfterEach
  void release() {
    for (Outbound o : outbounds) {
      o.handOver(OTHER);
      o.handOver(THIRD);
      o.close(); // releases whatever a test left buffered or handed over
    }
    for (ByteBuf b : payloads) {
      b.release();
    }
  }

  private Outbound outbound(long maxPending) {
    Outbound o = new Outbound(maxPending, null, OWNER, SLOTS);
    outbounds.add(o);
    return o;
  }

  private static Subscription sub(String sid) {
    return new Subscription(CLIENT, "foo", null, sid);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private ByteBuf keep(ByteBuf b) {
    payloads.add(b);
    return b;
  }

  /** A frame for {@code subject}, with {@code headers} (null: none) before {@code body}, in a heap buffer. */
  private MsgFrame frame(String subject, String reply, String headers, String body) {
    String all = (headers == null ? "" : headers) + body;
    return frame(subject, reply, headers == null ? -1 : headers.length(), keep(Unpooled.wrappedBuffer(ascii(all))), 0,
        all.length());
  }

  private static MsgFrame frame(String subject, String reply, int headerSize, ByteBuf payload, int index, int size) {
    byte[] s = ascii(subject);
    byte[] r = reply == null ? null : ascii(reply);
    return new MsgFrame().set(s, 0, s.length, r, r == null ? -1 : 0, r == null ? 0 : r.length, headerSize, size,
        payload, index);
  }

  private MsgFrame hello() {
    return frame("foo", null, null, "hello");
  }

  /** Everything {@code take} hands out, as text; the chunks are released. */
  private static String take(Outbound out) {
    List<ByteBuf> chunks = new ArrayList<>();
    int n = out.take(chunks);
    StringBuilder text = new StringBuilder();
    for (ByteBuf b : chunks) {
      text.append(b.toString(StandardCharsets.ISO_8859_1));
      b.release();
    }
    assertEquals(text.length(), n, "take returns how many bytes it gave");
    return text.toString();
  }

  private static int result(int r) {
    return r & Outbound.RESULT;
  }

  private static boolean first(int r) {
    return (r & Outbound.FIRST) != 0;
  }

  private static boolean last(int r) {
    return (r & Outbound.LAST) != 0;
  }

  // ---- framing ----

  @Test
  void msgWithoutHeadersIsFramedAsNatsServerDoes() {
    Outbound out = outbound(MIB);
    out.appendMsg(frame("foo", null, null, "hello"), sub("1"), false, OWNER);
    out.appendMsg(frame("foo.bar", "_INBOX.x", null, "hi"), sub("22"), false, OWNER);
    out.appendMsg(frame("empty", null, null, ""), sub("3"), false, OWNER);
    assertEquals("MSG foo 1 5\r\nhello\r\n" + "MSG foo.bar 22 _INBOX.x 2\r\nhi\r\n" + "MSG empty 3 0\r\n\r\n",
        take(out));
  }

  @Test
  void hmsgCarriesHeaderAndTotalSizes() {
    String headers = "NATS/1.0\r\nA: b\r\n\r\n";
    Outbound out = outbound(MIB);
    out.appendMsg(frame("foo", null, headers, "hi"), sub("1"), false, OWNER);
    out.appendMsg(frame("foo", "r.1", headers, "hi"), sub("1"), false, OWNER);
    int h = headers.length();
    assertEquals("HMSG foo 1 " + h + " " + (h + 2) + "\r\n" + headers + "hi\r\n"
        + "HMSG foo 1 r.1 " + h + " " + (h + 2) + "\r\n" + headers + "hi\r\n", take(out));
  }

  @Test
  void strippedHeadersLeaveAPlainMsgWithTheBody() {
    String headers = "NATS/1.0\r\nA: b\r\n\r\n";
    Outbound out = outbound(MIB);
    out.appendMsg(frame("foo", null, headers, "hi"), sub("1"), true, OWNER);
    out.appendMsg(frame("foo", "r.1", headers, "hi"), sub("1"), true, OWNER);
    out.appendMsg(frame("foo", null, null, "plain"), sub("1"), true, OWNER); // nothing to strip
    assertEquals("MSG foo 1 2\r\nhi\r\n" + "MSG foo 1 r.1 2\r\nhi\r\n" + "MSG foo 1 5\r\nplain\r\n", take(out));
    assertEquals(2 + 2 + 5, out.bytes(), "the body is what was delivered");
  }

  /** Heap, direct and composite payloads (the copy has a fast path for the first two), from an offset. */
  @Test
  void everyKindOfPayloadBufferIsCopiedFromItsIndex() {
    String headers = "NATS/1.0\r\n\r\n";
    String around = "xx" + headers + "body" + "yy";
    ByteBuf heap = keep(Unpooled.wrappedBuffer(ascii(around)));
    ByteBuf direct = keep(Unpooled.directBuffer(around.length()).writeBytes(ascii(around)));
    ByteBuf composite = keep(Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(ascii(around.substring(0, 7))),
        Unpooled.wrappedBuffer(ascii(around.substring(7)))));
    assertTrue(heap.hasArray());
    assertFalse(composite.hasArray() || composite.hasMemoryAddress(), "the composite takes the plain path");
    int size = headers.length() + 4;
    String expected = "HMSG foo 1 " + headers.length() + " " + size + "\r\n" + headers + "body\r\n"
        + "MSG foo 1 4\r\nbody\r\n";
    for (ByteBuf payload : List.of(heap, direct, composite)) {
      Outbound out = outbound(MIB);
      MsgFrame f = frame("foo", null, headers.length(), payload, 2, size);
      out.appendMsg(f, sub("1"), false, OWNER);
      out.appendMsg(f, sub("1"), true, OWNER);
      assertEquals(expected, take(out), payload.getClass().getSimpleName());
    }
  }

  @Test
  void framedAppendsAndProtocolBytesGoAsTheyAre() {
    Outbound out = outbound(MIB);
    out.append(ascii("PONG\r\n"));
    ByteBuf payload = keep(Unpooled.wrappedBuffer(ascii("..payload..")));
    byte[] head = ascii("MSG bar 9 7\r\nunused");
    out.appendFramed(head, "MSG bar 9 7\r\n".length(), payload, 2, 7, OWNER);
    assertEquals("PONG\r\nMSG bar 9 7\r\npayload\r\n", take(out));
    assertEquals(1, out.msgs());
    assertEquals(7, out.bytes());
  }

  // ---- take ----

  /** What another loop handed over before the owner's next bytes is written before them. */
  @Test
  void handedOverBytesGoBeforeTheOwnersLaterOnes() {
    Outbound out = outbound(64 * MIB);
    out.append(ascii("PONG\r\n"));
    out.appendMsg(frame("a", null, null, "1"), sub("2"), false, OTHER);
    out.handOver(OTHER);
    out.append(ascii("PONG\r\n"));
    out.appendMsg(frame("b", null, null, "2"), sub("2"), false, OTHER);
    out.handOver(OTHER);
    long pending = out.pending();
    assertEquals("PONG\r\nMSG a 2 1\r\n1\r\nPONG\r\nMSG b 2 1\r\n2\r\n", take(out));
    assertEquals(40, pending, "nothing counted twice while moved");
    assertEquals(0, out.pending());
  }

  /** Enough messages for several 64 KiB chunks: each producer's come back whole and in order. */
  @Test
  void takeGivesEachProducersBytesInOrderAcrossChunks() {
    Outbound out = outbound(64 * MIB);
    String body = "b".repeat(1000);
    Subscription own = sub("1");
    Subscription other = sub("2");
    for (int i = 0; i < 300; i++) {
      out.appendMsg(frame("own." + i, null, null, body), own, false, OWNER);
      out.appendMsg(frame("other." + i, null, null, body), other, false, OTHER);
      if (i % 50 == 0) {
        out.append(ascii("PING\r\n"));
      }
    }
    out.handOver(OTHER);
    String text = take(out);
    Map<String, List<String>> bySid = frames(text);
    List<String> expectedOwn = new ArrayList<>();
    List<String> expectedOther = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      expectedOwn.add("own." + i);
      expectedOther.add("other." + i);
    }
    assertEquals(expectedOwn, bySid.get("1"));
    assertEquals(expectedOther, bySid.get("2"));
    assertEquals(6, bySid.get("PING").size());
    assertEquals("", take(out), "taken once");
    assertEquals(0, out.pending());
  }

  /** The subjects of the MSG frames in {@code text} by sid, checking each frame's size and CRLF. */
  private static Map<String, List<String>> frames(String text) {
    Map<String, List<String>> bySid = new LinkedHashMap<>();
    int at = 0;
    while (at < text.length()) {
      int eol = text.indexOf("\r\n", at);
      String[] line = text.substring(at, eol).split(" ");
      if (line[0].equals("PING")) {
        bySid.computeIfAbsent("PING", k -> new ArrayList<>()).add("PING");
        at = eol + 2;
        continue;
      }
      assertEquals("MSG", line[0], "a frame starts at " + at);
      int size = Integer.parseInt(line[line.length - 1]);
      at = eol + 2 + size;
      assertEquals("\r\n", text.substring(at, at + 2), "the payload of " + line[1] + " ends with CRLF");
      at += 2;
      bySid.computeIfAbsent(line[2], k -> new ArrayList<>()).add(line[1]);
    }
    return bySid;
  }

  // ---- stall and slow ----

  /** stallAt = max(64 KiB, min(max_pending / 2, 8 MiB)): OK up to it, STALLED one byte past it. */
  @ParameterizedTest
  @CsvSource({
      "1048576, 524288", // half of max_pending
      "204800, 102400",
      "67108864, 8388608", // at most 8 MiB
      "262144, 131072",
      "131072, 65536",
      "102400, 65536", // at least 64 KiB
  })
  void stalledOncePendingPassesTheStallThreshold(long maxPending, long stallAt) {
    Outbound at = outbound(maxPending);
    at.append(new byte[(int) stallAt - HELLO_LEN]);
    assertEquals(Outbound.OK, result(at.appendMsg(hello(), sub("1"), false, OWNER)), "exactly at the threshold");
    assertEquals(stallAt, at.pending());
    assertEquals(Outbound.STALLED, result(at.appendMsg(hello(), sub("1"), false, OWNER)), "past it");

    Outbound past = outbound(maxPending);
    past.append(new byte[(int) stallAt - HELLO_LEN + 1]);
    assertEquals(Outbound.STALLED, result(past.appendMsg(hello(), sub("1"), false, OWNER)), "one byte past it");
    assertEquals(stallAt + 1, past.pending(), "a stalled append is appended");
    assertEquals(1, past.msgs());
  }

  /** With max_pending at or under 64 KiB the threshold is max_pending itself: no STALLED before SLOW. */
  @Test
  void smallMaxPendingGoesStraightToSlow() {
    long maxPending = 64 * 1024;
    Outbound out = outbound(maxPending);
    out.append(new byte[(int) maxPending - HELLO_LEN]);
    assertEquals(Outbound.OK, result(out.appendMsg(hello(), sub("1"), false, OWNER)));
    assertEquals(Outbound.SLOW, result(out.appendMsg(hello(), sub("1"), false, OWNER)));
  }

  @Test
  void slowWhenAnAppendWouldPassMaxPendingAndNothingIsAppended() {
    long maxPending = MIB;
    Outbound out = outbound(maxPending);
    Subscription s = sub("1");
    s.limit(5);
    out.append(new byte[(int) maxPending - HELLO_LEN]);
    int r = out.appendMsg(hello(), s, false, OWNER);
    assertEquals(Outbound.STALLED, result(r), "exactly max_pending is allowed (and past the stall threshold)");
    assertEquals(maxPending, out.pending());
    assertEquals(1, s.delivered());

    int slow = out.appendMsg(frame("foo", null, null, ""), s, false, OWNER);
    assertEquals(Outbound.SLOW, result(slow));
    assertFalse(first(slow) || last(slow), "no flags on a refused append");
    assertEquals(maxPending, out.pending(), "nothing appended");
    assertEquals(1, out.msgs());
    assertEquals(5, out.bytes());
    assertEquals(1, s.delivered(), "a refused delivery does not count against the UNSUB max");
    String text = take(out);
    assertTrue(text.endsWith("MSG foo 1 5\r\nhello\r\n"), "the last frame is the accepted one");
    assertEquals(maxPending, text.length());

    Outbound edge = outbound(maxPending);
    edge.append(new byte[(int) maxPending - HELLO_LEN + 1]);
    assertEquals(Outbound.SLOW, result(edge.appendMsg(hello(), sub("1"), false, OWNER)), "one byte past max_pending");
    ByteBuf payload = keep(Unpooled.wrappedBuffer(ascii("xxxxxxx"))); // framed as long as hello
    assertEquals(Outbound.SLOW, result(edge.appendFramed(ascii("MSG a 1 7\r\n"), 11, payload, 0, 7, OWNER)),
        "framed appends too");
    assertEquals(maxPending - HELLO_LEN + 1, edge.pending());
    assertEquals(0, edge.msgs());
  }

  @Test
  void maxPendingMovesBothThresholds() {
    Outbound out = outbound(MIB); // stalls past 512 KiB
    out.append(new byte[300 * 1024]);
    assertEquals(Outbound.OK, result(out.appendMsg(hello(), sub("1"), false, OWNER)));
    out.maxPending(512 * 1024); // stalls past 256 KiB
    assertEquals(Outbound.STALLED, result(out.appendMsg(hello(), sub("1"), false, OWNER)));
    out.maxPending(300 * 1024);
    assertEquals(Outbound.SLOW, result(out.appendMsg(hello(), sub("1"), false, OWNER)));
    out.maxPending(64 * MIB);
    assertEquals(Outbound.OK, result(out.appendMsg(hello(), sub("1"), false, OWNER)));
    assertEquals(3, out.msgs());
  }

  // ---- closed ----

  @Test
  void closedRefusesEveryAppendAndTakeGivesNothing() {
    Outbound out = outbound(MIB);
    out.appendMsg(hello(), sub("1"), false, OWNER);
    out.appendMsg(hello(), sub("1"), false, OTHER);
    assertTrue(out.handOver(OTHER), "a drain is scheduled, and has not run");
    out.appendMsg(hello(), sub("1"), false, THIRD); // staged before the close, handed over after it
    out.close();
    assertEquals(0, out.pending(), "what was buffered or handed over is dropped");
    assertEquals(Outbound.CLOSED, out.appendMsg(hello(), sub("1"), false, OWNER));
    assertEquals(Outbound.CLOSED, out.appendMsg(hello(), sub("1"), false, OTHER));
    assertEquals(Outbound.CLOSED, out.append(ascii("PONG\r\n")));
    ByteBuf payload = keep(Unpooled.wrappedBuffer(ascii("x")));
    assertEquals(Outbound.CLOSED, out.appendFramed(ascii("MSG a 1 1\r\n"), 11, payload, 0, 1, OWNER));
    assertTrue(out.handOver(THIRD), "a late hand-over gets a drain even with one pending, to release it");
    assertEquals(HELLO_LEN, out.pending(), "handed over, until the drain");
    assertEquals("", take(out), "the drain writes nothing");
    assertEquals(0, out.pending());
  }

  // ---- FIRST ----

  @Test
  void firstMarksTheOwnersFirstAppendUntilTheNextTake() {
    Outbound out = outbound(MIB);
    assertTrue(first(out.appendMsg(hello(), sub("1"), false, OWNER)));
    assertFalse(first(out.appendMsg(hello(), sub("1"), false, OWNER)));
    assertEquals(Outbound.OK, out.append(ascii("PONG\r\n")), "no FIRST for protocol bytes either");
    take(out);
    assertEquals(Outbound.FIRST, out.append(ascii("PONG\r\n")), "protocol bytes are a first append too");
    assertFalse(first(out.appendMsg(hello(), sub("1"), false, OWNER)));
    take(out);
    ByteBuf payload = keep(Unpooled.wrappedBuffer(ascii("x")));
    assertTrue(first(out.appendFramed(ascii("MSG a 1 1\r\n"), 11, payload, 0, 1, OWNER)));
  }

  @Test
  void firstMarksEachOtherLoopsFirstAppendUntilItsHandOver() {
    Outbound out = outbound(MIB);
    assertTrue(first(out.appendMsg(hello(), sub("1"), false, OWNER)));
    assertTrue(first(out.appendMsg(hello(), sub("1"), false, OTHER)), "slots are independent");
    assertTrue(first(out.appendMsg(hello(), sub("1"), false, THIRD)));
    assertFalse(first(out.appendMsg(hello(), sub("1"), false, OTHER)));
    take(out);
    assertFalse(first(out.appendMsg(hello(), sub("1"), false, OTHER)), "the owner's take is not its hand-over");
    out.handOver(OTHER);
    assertTrue(first(out.appendMsg(hello(), sub("1"), false, OTHER)));
    assertFalse(first(out.appendMsg(hello(), sub("1"), false, THIRD)), "the third loop has not handed over");
  }

  /** A refused append is not a first one: the producer must still be told to remember the target. */
  @Test
  void aRefusedAppendLeavesFirstForTheNextOne() {
    Outbound out = outbound(128 * 1024);
    ByteBuf big = keep(Unpooled.wrappedBuffer(new byte[100 * 1024]));
    out.appendFramed(ascii("MSG a 1 102400\r\n"), 16, big, 0, 100 * 1024, THIRD);
    out.handOver(THIRD);
    int slowOwn = out.appendFramed(ascii("MSG a 1 102400\r\n"), 16, big, 0, 100 * 1024, OWNER);
    int slowOther = out.appendFramed(ascii("MSG a 1 102400\r\n"), 16, big, 0, 100 * 1024, OTHER);
    assertEquals(Outbound.SLOW, slowOwn);
    assertEquals(Outbound.SLOW, slowOther);
    out.maxPending(64 * MIB); // room again, with no take or hand-over in between
    assertTrue(first(out.appendMsg(hello(), sub("1"), false, OWNER)));
    assertTrue(first(out.appendMsg(hello(), sub("1"), false, OTHER)));
  }

  // ---- other loops: staging and hand-over ----

  @Test
  void anotherLoopsAppendsCountOnceHandedOver() {
    Outbound out = outbound(MIB);
    out.appendMsg(hello(), sub("1"), false, OTHER);
    out.appendMsg(hello(), sub("1"), false, OTHER);
    assertEquals(0, out.pending(), "staged: not the owner's yet");
    assertEquals(0, out.msgs());
    assertEquals(0, out.bytes());
    assertEquals("", take(out), "the owner cannot take what is staged");

    assertTrue(out.handOver(OTHER), "the first hand-over schedules the drain");
    assertEquals(2 * HELLO_LEN, out.pending());
    assertEquals(2, out.msgs());
    assertEquals(10, out.bytes());
    assertFalse(out.handOver(OTHER), "nothing staged: nothing to hand over");
    out.appendMsg(hello(), sub("1"), false, THIRD);
    assertFalse(out.handOver(THIRD), "a drain is already scheduled");
    assertEquals(3 * HELLO_LEN, out.pending());

    assertEquals("MSG foo 1 5\r\nhello\r\n".repeat(3), take(out));
    assertEquals(0, out.pending());
    assertEquals(3, out.msgs(), "counts stay after the take");
    assertEquals(15, out.bytes());
    out.appendMsg(hello(), sub("1"), false, OTHER);
    assertTrue(out.handOver(OTHER), "after the drain, the next hand-over schedules one again");
    take(out);
  }

  /**
   * Another loop's limit check sees its own staged bytes and what was handed over, not the
   * owner's own buffer (the owner's fields are not shared between loops).
   */
  @Test
  void anotherLoopChecksItsStagingAndTheHandedOverBytes() {
    long maxPending = MIB;
    int size = (int) maxPending - 64 * 1024;
    ByteBuf big = keep(Unpooled.wrappedBuffer(new byte[size]));
    byte[] head = ascii("MSG a 1 " + size + "\r\n");

    Outbound own = outbound(maxPending);
    own.appendFramed(head, head.length, big, 0, size, OWNER);
    assertEquals(Outbound.OK, result(own.appendMsg(hello(), sub("1"), false, OTHER)),
        "the owner's own bytes are not seen");
    assertEquals(Outbound.SLOW, own.appendFramed(head, head.length, big, 0, size, OWNER), "but the owner sees them");

    Outbound staged = outbound(maxPending);
    staged.appendFramed(head, head.length, big, 0, size, OTHER);
    assertEquals(Outbound.SLOW, staged.appendFramed(head, head.length, big, 0, size, OTHER), "its own staging counts");
    assertEquals(Outbound.STALLED, result(staged.appendFramed(head, head.length, big, 0, size, THIRD)),
        "another loop's staging does not (past the stall threshold by its own bytes alone)");

    staged.handOver(OTHER);
    assertEquals(Outbound.SLOW, staged.appendFramed(head, head.length, big, 0, size, OWNER), "handed over counts");
    assertEquals(Outbound.SLOW, result(staged.appendMsg(frame("foo", null, null, "x".repeat(64 * 1024)), sub("1"),
        false, OTHER)), "for every loop");
  }

  @Test
  void stagedAppendsStallAsTheOwnersDo() {
    Outbound out = outbound(MIB); // stalls past 512 KiB
    int size = 512 * 1024 - HELLO_LEN - 18; // "MSG a 1 NNNNNN\r\n" and the CRLF after the payload: 18
    ByteBuf big = keep(Unpooled.wrappedBuffer(new byte[size]));
    byte[] head = ascii("MSG a 1 " + size + "\r\n");
    assertEquals(18, head.length + 2);
    assertEquals(Outbound.OK, result(out.appendFramed(head, head.length, big, 0, size, OTHER)));
    assertEquals(Outbound.OK, result(out.appendMsg(hello(), sub("1"), false, OTHER)), "exactly at the threshold");
    assertEquals(Outbound.STALLED, result(out.appendMsg(hello(), sub("1"), false, OTHER)));
  }

  // ---- UNSUB max ----

  @Test
  void lastFlagsTheFinalDeliveryAndLaterOnesAreSkipped() {
    Outbound out = outbound(MIB);
    Subscription s = sub("1");
    assertTrue(s.limit(2));
    int one = out.appendMsg(hello(), s, false, OWNER);
    assertEquals(Outbound.OK, result(one));
    assertFalse(last(one));
    int two = out.appendMsg(hello(), s, false, OTHER);
    assertEquals(Outbound.OK, result(two));
    assertTrue(last(two), "the second of two is the last");
    long pending = out.pending();
    int three = out.appendMsg(hello(), s, false, OWNER);
    assertEquals(Outbound.SKIPPED, three, "no flags either");
    assertEquals(Outbound.SKIPPED, out.appendMsg(hello(), s, false, OTHER));
    assertEquals(pending, out.pending(), "nothing appended");
    assertEquals(1, out.msgs());
    out.handOver(OTHER);
    assertEquals("MSG foo 1 5\r\nhello\r\n".repeat(2), take(out));

    Subscription unlimited = sub("2");
    for (int i = 0; i < 10; i++) {
      assertFalse(last(out.appendMsg(hello(), unlimited, false, OWNER)), "no max, no last");
    }
  }

  @Test
  void lastComesWithTheOtherFlags() {
    Outbound out = outbound(MIB);
    Subscription s = sub("1");
    s.limit(1);
    out.append(new byte[512 * 1024]);
    take(out);
    out.append(new byte[512 * 1024]);
    int r = out.appendMsg(hello(), s, false, OWNER);
    assertEquals(Outbound.STALLED | Outbound.LAST, r, "stalled, last, not first (the protocol bytes were)");
    Subscription t = sub("2");
    t.limit(1);
    assertEquals(Outbound.OK | Outbound.LAST | Outbound.FIRST, out.appendMsg(hello(), t, false, OTHER));
  }
}
