package io.natsvx.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The route dialect's leaf-origin operations (nats-server's lnoc: LS+ with the origin, LS-,
 * LMSG with the origin and a header size) and the gateway dialect's A+/A-, cut anywhere.
 */
class LinkDialectsTest {

  private static final class Events implements GatewayProtocolHandler {
    final List<String> events = new ArrayList<>();

    @Override public void onConnect(byte[] j, int o, int l) { events.add("CONNECT"); }
    @Override public void onInfo(byte[] j, int o, int l) { events.add("INFO"); }
    @Override public void onPing() { events.add("PING"); }
    @Override public void onPong() { events.add("PONG"); }
    @Override public void onOk() { }
    @Override public void onErr(String text) { events.add("-ERR " + text); }
    @Override public void onSub(byte[] a, int o, int l) { events.add("SUB"); }
    @Override public void onUnsub(byte[] a, int o, int l) { events.add("UNSUB"); }
    @Override public void onPub(PubArgs pa, ByteBuf payload, int index) { events.add("PUB"); }
    @Override public void onProtocolError(ProtocolError e, String d) { events.add("ERROR " + e); }

    @Override
    public void onRemoteSub(byte[] a, int o, int l, boolean add) {
      events.add((add ? "RS+ " : "RS- ") + new String(a, o, l, StandardCharsets.UTF_8));
    }

    @Override
    public void onLeafOriginSub(byte[] a, int o, int l, boolean add) {
      events.add((add ? "LS+ " : "LS- ") + new String(a, o, l, StandardCharsets.UTF_8));
    }

    @Override
    public void onAccountSub(byte[] a, int o, int l, boolean add) {
      events.add((add ? "A+ " : "A- ") + new String(a, o, l, StandardCharsets.UTF_8));
    }

    @Override
    public void onRoutedMsg(PubArgs pa, ByteBuf payload, int index) {
      StringBuilder q = new StringBuilder();
      for (int i = 0; i < pa.queueCount; i++) {
        q.append(' ').append(pa.queue(i));
      }
      String origin = pa.originOff < 0 ? "-" : new String(pa.line, pa.originOff, pa.originLen, StandardCharsets.UTF_8);
      events.add("MSG " + origin + " " + pa.account() + " " + pa.subject() + " " + pa.reply() + q + " "
          + pa.headerSize + " " + payload.toString(index, pa.size, StandardCharsets.UTF_8));
    }
  }

  private static List<String> parse(boolean gateway, byte[] bytes, int cut) {
    Events h = new Events();
    ProtocolParser p = gateway ? ProtocolParser.forGateway(h) : ProtocolParser.forRoute(h);
    p.parse(Unpooled.wrappedBuffer(bytes, 0, cut));
    if (!p.isClosed() && cut < bytes.length) {
      p.parse(Unpooled.wrappedBuffer(bytes, cut, bytes.length - cut));
    }
    return h.events;
  }

  @Test
  void leafOriginOperationsOnARouteAtEverySplit() {
    String in = "LS+ L $G foo\r\nLS+ L $G work q 1\r\nLS- $G foo\r\nLMSG L $G foo 0 5\r\nhello\r\n"
        + "LMSG L $G foo r 0 2\r\nhi\r\nLMSG L $G foo + r q1 0 2\r\nhi\r\nLMSG L $G foo 3 5\r\nh\r\nhi\r\n"
        + "RMSG $G bar 2\r\nhi\r\n";
    List<String> expected = List.of("LS+ L $G foo", "LS+ L $G work q 1", "LS- $G foo", "MSG L $G foo null -1 hello",
        "MSG L $G foo r -1 hi", "MSG L $G foo r q1 -1 hi", "MSG L $G foo null 3 h\r\nhi", "MSG - $G bar null -1 hi");
    byte[] bytes = in.getBytes(StandardCharsets.UTF_8);
    for (int cut = 1; cut <= bytes.length; cut++) {
      assertEquals(expected, parse(false, bytes, cut), "split at " + cut);
    }
  }

  @Test
  void accountInterestOnAGatewayAtEverySplit() {
    String in = "A- $G\r\nA+ $G\r\nRS+ $G foo\r\nRMSG $G foo 2\r\nhi\r\n";
    List<String> expected = List.of("A- $G", "A+ $G", "RS+ $G foo", "MSG - $G foo null -1 hi");
    byte[] bytes = in.getBytes(StandardCharsets.UTF_8);
    for (int cut = 1; cut <= bytes.length; cut++) {
      assertEquals(expected, parse(true, bytes, cut), "split at " + cut);
    }
  }

  @Test
  void eachDialectRefusesTheOthersOperations() {
    assertEquals(List.of("ERROR UNKNOWN_OPERATION"), parse(false, "A+ $G\r\n".getBytes(StandardCharsets.UTF_8), 7));
    assertEquals(List.of("ERROR UNKNOWN_OPERATION"), parse(true, "LS+ L $G foo\r\n".getBytes(StandardCharsets.UTF_8),
        14));
    assertEquals(List.of("ERROR BAD_ROUTED_MSG_ARGS"), parse(false, "LMSG L $G 5\r\n".getBytes(StandardCharsets.UTF_8),
        13));
  }
}
