package io.natsvx.it;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a plain socket, for tests that must see every frame the server sends
 * in order (data and close), with nothing between: the upgrade, masked binary frames out, and
 * frames in until the server's close frame.
 */
final class RawWebSocket implements AutoCloseable {

  /** What the server sent: its data, and its close frame's status and reason (0 and null when none came). */
  record Received(String data, int closeStatus, String closeReason) {}

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private boolean masked = true;

  private RawWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** Upgrades a new connection; fails unless the server answers 101. */
  static RawWebSocket connect(int port) throws IOException {
    return connect(port, "");
  }

  /**
   * Upgrades asking for unmasked frames (nats-server's {@code Nats-No-Masking}), which it then
   * sends; fails unless the server answers 101 and agrees.
   */
  static RawWebSocket connectUnmasked(int port) throws IOException {
    RawWebSocket ws = connect(port, "Nats-No-Masking: true\r\n");
    if (!ws.head.contains("Nats-No-Masking: true\r\n")) {
      throw new IOException("no masking refused: " + ws.head);
    }
    ws.masked = false;
    return ws;
  }

  private String head;

  private static RawWebSocket connect(int port, String headers) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(10_000);
    RawWebSocket ws = new RawWebSocket(s);
    ws.out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" + headers + "\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = ws.in.read();
      if (c < 0) {
        throw new IOException("closed during the upgrade: " + head);
      }
      head.append((char) c);
    }
    if (!head.toString().startsWith("HTTP/1.1 101 ")) {
      throw new IOException("upgrade refused: " + head);
    }
    ws.head = head.toString();
    return ws;
  }

  /** Sends {@code text} in one binary frame, masked unless upgraded without masking. */
  void send(String text) throws IOException {
    byte[] data = text.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write(0x82);
    int maskBit = masked ? 0x80 : 0;
    if (data.length < 126) {
      f.write(maskBit | data.length);
    } else {
      f.write(maskBit | 126);
      f.write(data.length >> 8);
      f.write(data.length & 0xff);
    }
    if (!masked) {
      f.write(data);
      out.write(f.toByteArray());
      out.flush();
      return;
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    f.write(mask);
    for (int i = 0; i < data.length; i++) {
      f.write(data[i] ^ mask[i % 4]);
    }
    out.write(f.toByteArray());
    out.flush();
  }

  /** The data of the next data frame (the server's first is its INFO). */
  String readLine() throws IOException {
    while (true) {
      int b0 = in.readUnsignedByte();
      byte[] payload = payload();
      int op = b0 & 0x0f;
      if (op == 0 || op == 1 || op == 2) {
        return new String(payload, StandardCharsets.UTF_8);
      }
    }
  }

  private byte[] payload() throws IOException {
    int b1 = in.readUnsignedByte();
    long len = b1 & 0x7f;
    if (len == 126) {
      len = in.readUnsignedShort();
    } else if (len == 127) {
      len = in.readLong();
    }
    byte[] payload = new byte[(int) len];
    in.readFully(payload);
    return payload;
  }

  /** Reads frames until the server's close frame or the end of the stream. */
  Received readUntilClose() throws IOException {
    StringBuilder data = new StringBuilder();
    while (true) {
      int b0 = in.read();
      if (b0 < 0) {
        return new Received(data.toString(), 0, null);
      }
      byte[] payload = payload();
      int op = b0 & 0x0f;
      if (op == 8) {
        int status = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 0;
        String reason = payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
        return new Received(data.toString(), status, reason);
      }
      if (op == 0 || op == 1 || op == 2) {
        data.append(new String(payload, StandardCharsets.UTF_8));
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
