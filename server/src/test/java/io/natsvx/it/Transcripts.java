package io.natsvx.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** What a server answers a raw protocol script, line by line, for side-by-side comparisons. */
final class Transcripts {

  private Transcripts() {}

  /** Sends the script then a PING; records lines until PONG, the close, or a quiet second. */
  static List<String> of(int port, String script) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(1500);
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      readLine(in); // INFO
      out.write((script + "PING\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      while (true) {
        String line;
        try {
          line = readLine(in);
        } catch (SocketTimeoutException e) {
          lines.add("<silent>");
          return lines;
        } catch (IOException e) {
          lines.add("<closed>");
          return lines;
        }
        if (line == null) {
          lines.add("<closed>");
          return lines;
        }
        lines.add(line);
        if (line.equals("PONG")) {
          return lines;
        }
      }
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int prev = -1;
    while (true) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      if (prev == '\r' && b == '\n') {
        sb.setLength(sb.length() - 1);
        return sb.toString();
      }
      sb.append((char) b);
      prev = b;
    }
  }

}
