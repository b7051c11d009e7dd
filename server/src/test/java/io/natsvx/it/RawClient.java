package io.natsvx.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** A plain socket speaking the text protocol, for exact framing and error cases. */
final class RawClient implements AutoCloseable {

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

  RawClient(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(5000);
    socket.setTcpNoDelay(true);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  /** Connects and consumes the INFO line, returning it. */
  static RawClient connect(int port) throws IOException {
    RawClient c = new RawClient(port);
    String info = c.readLine();
    if (!info.startsWith("INFO ")) {
      throw new IOException("expected INFO, got " + info);
    }
    return c;
  }

  RawClient send(String s) throws IOException {
    out.write(s.getBytes(StandardCharsets.UTF_8));
    out.flush();
    return this;
  }

  RawClient send(byte[] b) throws IOException {
    out.write(b);
    out.flush();
    return this;
  }

  /** Reads one CRLF-terminated line (without the CRLF). */
  String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int prev = -1;
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed after: " + line.toString(StandardCharsets.UTF_8));
      }
      if (prev == '\r' && b == '\n') {
        byte[] bytes = line.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
      }
      line.write(b);
      prev = b;
    }
  }

  /** Reads exactly n bytes. */
  String readBytes(int n) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length < n) {
      throw new IOException("closed");
    }
    return new String(b, StandardCharsets.UTF_8);
  }

  /** Reads the next line, skipping the server's keepalive PINGs (answered). */
  String next() throws IOException {
    while (true) {
      String line = readLine();
      if (line.equals("PING")) {
        send("PONG\r\n");
        continue;
      }
      return line;
    }
  }

  /**
   * As {@link #next}, also skipping the interest a route announces for the system account's
   * services ({@code RS+ $SYS ...}), which nats-server sends a new route too.
   */
  String nextOnRoute() throws IOException {
    while (true) {
      String line = next();
      if (!line.startsWith("RS+ $SYS ")) {
        return line;
      }
    }
  }

  /** Reads the next line and checks it against a regex. */
  String expect(String regex) throws IOException {
    String line = next();
    if (!Pattern.compile(regex).matcher(line).matches()) {
      throw new AssertionError("expected /" + regex + "/ but got: " + line);
    }
    return line;
  }

  /** True when the server closed the connection (within the timeout), after reading what was sent. */
  boolean isClosedByServer(int timeoutMillis) throws IOException {
    socket.setSoTimeout(timeoutMillis);
    try {
      while (true) {
        int b = in.read();
        if (b < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    } finally {
      socket.setSoTimeout(5000);
    }
  }

  /** Round-trips a PING: everything the server had to say before it has been read. */
  void sync() throws IOException {
    send("PING\r\n");
    expect("PONG");
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** The CONNECT (and a PING) jnats sends for a creds file, for the INFO line the server sent. */
  static String signedConnect(String info, java.nio.file.Path creds) throws Exception {
    String nonce = new io.vertx.core.json.JsonObject(info.substring("INFO ".length())).getString("nonce");
    io.nats.client.AuthHandler h = io.nats.client.Nats.credentials(creds.toString());
    String sig = java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString(h.sign(nonce.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    return "CONNECT " + new io.vertx.core.json.JsonObject().put("verbose", false).put("jwt", new String(h.getJWT()))
        .put("sig", sig).encode() + "\r\nPING\r\n";
  }
}
