package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Many connections sending garbage: each is dealt with alone, the others never notice. */
class GarbageIT {

  @Test
  void garbageClosesOnlyItsOwnConnection() throws Exception {
    try (TestServer server = TestServer.start(b -> b.maxControlLine(256).maxPayload(4096));
         RawClient sub = RawClient.connect(server.port());
         RawClient pub = RawClient.connect(server.port())) {
      sub.send("CONNECT {\"verbose\":false}\r\nSUB ok 1\r\n").sync();
      pub.send("CONNECT {\"verbose\":false}\r\n").sync();
      Random random = new Random(7);
      String[] pieces = {"PUB ok ", "SUB ", "UNSUB ", "HPUB ok 3 ", "CONNECT {", "PING\r\n", "5\r\n", "\r\n",
          "hello", "99999999\r\n", "x".repeat(300), "MSG ", "-ERR 'x'\r\n", "+OK\r\n"};
      for (int c = 0; c < 60; c++) {
        try (Socket bad = new Socket("127.0.0.1", server.port())) {
          OutputStream out = bad.getOutputStream();
          StringBuilder sb = new StringBuilder();
          for (int i = 0; i < 1 + random.nextInt(20); i++) {
            sb.append(random.nextInt(8) == 0 ? String.valueOf((char) random.nextInt(256)) : pieces[random.nextInt(pieces.length)]);
          }
          try {
            out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
          } catch (IOException closedAlready) {
            // the server may have cut it before the whole write went out
          }
        }
        pub.send("PUB ok 2\r\nhi\r\n");
        sub.expect("MSG ok 1 2");
        assertEquals("hi", sub.readLine());
      }
      // Every garbage connection is gone with whatever it subscribed to; the good ones remain.
      Await.until("only the two good connections", () -> server.verticle.server().connectionCount() == 2);
      Await.until("only the good subscription", () -> server.verticle.server().globalAccount().subjects().count() == 1);
      pub.sync();
    }
  }
}
