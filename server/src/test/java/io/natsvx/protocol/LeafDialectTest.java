package io.natsvx.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The leaf node dialect: LS+/LS-, LMSG and HMSG without an account, cut anywhere. */
class LeafDialectTest {

  private static final class Leaf implements LeafProtocolHandler {
    final List<String> events = new ArrayList<>();

    @Override public void onConnect(byte[] j, int o, int l) { events.add("CONNECT"); }
    @Override public void onInfo(byte[] j, int o, int l) { events.add("INFO " + new String(j, o, l)); }
    @Override public void onPing() { events.add("PING"); }
    @Override public void onPong() { events.add("PONG"); }
    @Override public void onOk() { }
    @Override public void onErr(String text) { events.add("-ERR " + text); }
    @Override public void onSub(byte[] a, int o, int l) { events.add("SUB"); }
    @Override public void onUnsub(byte[] a, int o, int l) { events.add("UNSUB"); }
    @Override public void onPub(PubArgs pa, ByteBuf payload, int index) { events.add("PUB"); }
    @Override public void onProtocolError(ProtocolError e, String d) { events.add("ERROR " + e); }

    @Override
    public void onLeafSub(byte[] a, int o, int l, boolean add) {
      events.add((add ? "LS+ " : "LS- ") + new String(a, o, l, StandardCharsets.UTF_8));
    }

    @Override
    public void onLeafMsg(PubArgs pa, ByteBuf payload, int index) {
      StringBuilder q = new StringBuilder();
      for (int i = 0; i < pa.queueCount; i++) {
        q.append(' ').append(pa.queue(i));
      }
      events.add("MSG " + pa.subject() + " " + pa.reply() + q + " " + pa.headerSize + " "
          + payload.toString(index, pa.size, StandardCharsets.UTF_8));
    }
  }

  private static List<String> parse(byte[] bytes, int cut) {
    Leaf h = new Leaf();
    ProtocolParser p = ProtocolParser.forLeaf(h);
    p.parse(Unpooled.wrappedBuffer(bytes, 0, cut));
    if (!p.isClosed() && cut < bytes.length) {
      p.parse(Unpooled.wrappedBuffer(bytes, cut, bytes.length - cut));
    }
    return h.events;
  }

  @Test
  void everyOperationAtEverySplit() {
    String in = "LS+ foo\r\nLS+ work q 3\r\nLS- foo\r\nLMSG foo 5\r\nhello\r\nLMSG foo r 2\r\nhi\r\n"
        + "LMSG foo + r q1 q2 2\r\nhi\r\nLMSG foo | q1 2\r\nhi\r\nHMSG foo r 5 7\r\nh\r\n\r\nhi\r\nPING\r\n";
    List<String> expected = List.of("LS+ foo", "LS+ work q 3", "LS- foo", "MSG foo null -1 hello",
        "MSG foo r -1 hi", "MSG foo r q1 q2 -1 hi", "MSG foo null q1 -1 hi", "MSG foo r 5 h\r\n\r\nhi", "PING");
    byte[] bytes = in.getBytes(StandardCharsets.UTF_8);
    for (int cut = 1; cut <= bytes.length; cut++) {
      assertEquals(expected, parse(bytes, cut), "split at " + cut);
    }
  }

  @Test
  void routeOperationsAndBadArgumentsAreRefused() {
    assertEquals(List.of("ERROR UNKNOWN_OPERATION"), parse("RS+ $G foo\r\n".getBytes(StandardCharsets.UTF_8), 11));
    assertEquals(List.of("ERROR BAD_ROUTED_MSG_ARGS"), parse("LMSG foo\r\n".getBytes(StandardCharsets.UTF_8), 10));
    assertEquals(List.of("ERROR UNKNOWN_OPERATION"), parse("LX foo\r\n".getBytes(StandardCharsets.UTF_8), 8));
  }
}
