package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.Subscription;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StorageType;
import io.natsvx.config.AuthOptions;
import io.natsvx.config.ClusterOptions;
import io.natsvx.config.JetStreamOptions;
import io.natsvx.config.TlsOptions;
import io.natsvx.config.WebSocketOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients over WebSocket: jnats on ws:// beside a TCP client, a compressing Vert.x WebSocket
 * client sending the protocol split at odd places, the refused upgrades and close frames
 * compared with nats-server's.
 */
class WebSocketIT {

  private static TestServer server;
  private static Vertx vertx;
  @TempDir
  static Path dir;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(b -> b.maxPayload(1024 * 1024)
        .jetStream(JetStreamOptions.DISABLED.withEnabled(true).withStoreDir(dir.toString()))
        .webSocket(new WebSocketOptions("127.0.0.1", -1, null, null, true, false, List.of(), true, Duration.ZERO)));
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    server.close();
  }

  private static String wsUrl() {
    return "ws://127.0.0.1:" + server.verticle.webSocketPort();
  }

  @Test
  void jnatsOverWebSocketAndOverTcpSeeEachOther() throws Exception {
    try (Connection ws = Nats.connect(new Options.Builder().server(wsUrl()).build());
        Connection tcp = Nats.connect(server.url())) {
      Subscription fromTcp = ws.subscribe("to.ws");
      Subscription fromWs = tcp.subscribe("to.tcp");
      ws.flush(Duration.ofSeconds(5));
      tcp.flush(Duration.ofSeconds(5));
      int[] sizes = {0, 1, 125, 126, 65_535, 65_536, 300_000};
      for (int size : sizes) {
        tcp.publish("to.ws", payload(size));
        ws.publish("to.tcp", payload(size));
      }
      for (int size : sizes) {
        assertArrayEquals(payload(size), next(fromTcp).getData(), "tcp -> ws, " + size + " bytes");
        assertArrayEquals(payload(size), next(fromWs).getData(), "ws -> tcp, " + size + " bytes");
      }
      ws.createDispatcher(m -> ws.publish(m.getReplyTo(), ("re:" + new String(m.getData())).getBytes()))
          .subscribe("svc");
      ws.flush(Duration.ofSeconds(5));
      Message reply = tcp.request("svc", "x".getBytes(), Duration.ofSeconds(5));
      assertEquals("re:x", new String(reply.getData()));
      assertEquals(0, ws.getStatistics().getReconnects());
    }
  }

  @Test
  void jetStreamOverWebSocket() throws Exception {
    try (Connection ws = Nats.connect(new Options.Builder().server(wsUrl()).build())) {
      ws.jetStreamManagement().addStream(StreamConfiguration.builder().name("WS").subjects("ws.js.>")
          .storageType(StorageType.File).build());
      JetStream js = ws.jetStream();
      for (int i = 0; i < 20; i++) {
        assertEquals(i + 1, js.publish("ws.js.a", ("m" + i).getBytes()).getSeqno());
      }
      JetStreamSubscription sub = js.subscribe("ws.js.>", PullSubscribeOptions.builder().durable("d").build());
      List<Message> got = sub.fetch(20, Duration.ofSeconds(5));
      assertEquals(20, got.size());
      for (int i = 0; i < 20; i++) {
        assertEquals("m" + i, new String(got.get(i).getData()));
        got.get(i).ackSync(Duration.ofSeconds(5));
      }
      assertEquals(20, ws.jetStreamManagement().getConsumerInfo("WS", "d").getAckFloor().getStreamSequence());
    }
  }

  @Test
  void compressedFramesCarryTheProtocolWhereverItIsSplit() throws Exception {
    try (Client c = Client.connect(new WebSocketClientOptions().setTryUsePerMessageCompression(true)
        .setCompressionAllowClientNoContext(true), new WebSocketConnectOptions().setHost("127.0.0.1")
        .setPort(server.verticle.webSocketPort()).setURI("/any/path"))) {
      compressedExchange(c.ws(), c.in());
    }
  }

  private static void compressedExchange(WebSocket ws, StringBuilder in) throws Exception {
    Await.until("INFO", () -> text(in).startsWith("INFO {"));
    assertTrue(ws.headers().get("Sec-WebSocket-Extensions").startsWith("permessage-deflate"),
        "compression negotiated: " + ws.headers());
    String proto = "CONNECT {\"verbose\":false}\r\nSUB a 1\r\nPUB a 5\r\nhello\r\nPING\r\n";
    int[] cuts = {3, 27, 30, 41, proto.length()};
    int from = 0;
    for (int i = 0; i < cuts.length; i++) {
      Buffer part = Buffer.buffer(proto.substring(from, cuts[i]));
      boolean fin = i == cuts.length - 1;
      // a message in fragments: the first frame, then continuations
      ws.writeFrame(i == 0 ? WebSocketFrame.binaryFrame(part, fin) : WebSocketFrame.continuationFrame(part, fin));
      from = cuts[i];
    }
    Await.until("the message and PONG", () -> text(in).endsWith("MSG a 1 5\r\nhello\r\nPONG\r\n"));
    ws.writeBinaryMessage(Buffer.buffer("PUB a 2\r\nhi\r\n"));
    ws.writeTextMessage("PING\r\n"); // text frames carry the protocol too
    Await.until("the second message", () -> text(in).endsWith("MSG a 1 2\r\nhi\r\nPONG\r\n"));
    ws.close();
  }

  @Test
  void aClientPastMaxPayloadGetsTheErrorThenACloseFrameWithItsReason() throws Exception {
    try (RawWebSocket raw = RawWebSocket.connect(server.verticle.webSocketPort())) {
      raw.send("CONNECT {}\r\nPUB a 2000000\r\n");
      RawWebSocket.Received got = raw.readUntilClose();
      assertEquals(1009, got.closeStatus(), got.toString());
      assertEquals("Maximum Message Payload Exceeded", got.closeReason());
      assertTrue(got.data().endsWith("-ERR 'Maximum Payload Violation'\r\n"), got.data());
    }
  }

  @Test
  void wssWithTheBlocksOwnCertificate() throws Exception {
    assumeTrue(TestCertificates.available(), "openssl not installed");
    Path certDir = Files.createDirectories(dir.resolve("certs"));
    TestCertificates certs = TestCertificates.create(certDir);
    TlsOptions tls = new TlsOptions(certs.path("server.pem"), certs.path("server-key.pem"), certs.path("ca.pem"),
        false, false, Duration.ofSeconds(2), List.of(), null, false);
    try (TestServer s = TestServer.start(b -> b.webSocket(
        new WebSocketOptions("127.0.0.1", -1, null, tls, false, false, List.of(), false, Duration.ZERO)))) {
      try (Connection wss = Nats.connect(new Options.Builder().server("wss://127.0.0.1:" + s.verticle.webSocketPort())
          .sslContext(certs.clientContext(null)).noReconnect().build());
          Connection tcp = Nats.connect(s.url())) {
        Subscription sub = tcp.subscribe("secure");
        tcp.flush(Duration.ofSeconds(5));
        wss.publish("secure", "over wss".getBytes());
        assertEquals("over wss", new String(next(sub).getData()));
      }
      // plain WebSocket on a wss port gets no answer but a closed socket
      assertEquals("closed", answerOrClosed(s.verticle.webSocketPort(), "GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    }
  }

  @Test
  void webSocketClientsAuthenticateAsTcpClientsDo() throws Exception {
    try (TestServer s = TestServer.start(b -> b.authorization(new AuthOptions(null,
        List.of(new AuthOptions.UserOptions("u", "p", null, null)), null, null))
        .webSocket(new WebSocketOptions("127.0.0.1", -1, null, null, true, false, List.of(), false, Duration.ZERO)))) {
      String url = "ws://127.0.0.1:" + s.verticle.webSocketPort();
      try (RawWebSocket raw = RawWebSocket.connect(s.verticle.webSocketPort())) {
        raw.send("CONNECT {\"user\":\"u\",\"pass\":\"wrong\"}\r\n");
        RawWebSocket.Received got = raw.readUntilClose();
        assertEquals(1008, got.closeStatus(), got.toString());
        assertEquals("Authentication Failure", got.closeReason());
        assertTrue(got.data().startsWith("INFO {") && got.data().contains("\"auth_required\":true"), got.data());
        assertTrue(got.data().endsWith("-ERR 'Authorization Violation'\r\n"), got.data());
      }
      try (Connection ok = Nats.connect(new Options.Builder().server(url).userInfo("u", "p").build())) {
        assertEquals(Connection.Status.CONNECTED, ok.getStatus());
      }
    }
  }

  @Test
  void varzShowsTheBlockAsNatsServerDoes() throws Exception {
    WebSocketOptions w = new WebSocketOptions("127.0.0.1", -1, null, null, true, true,
        List.of("https://app.example"), true, Duration.ofSeconds(2));
    try (TestServer s = TestServer.start(b -> b.httpPort(-1).webSocket(w))) {
      io.vertx.core.json.JsonObject ours = Http.json(s.verticle.monitorPort(), "/varz").getJsonObject("websocket");
      assertEquals(s.verticle.webSocketPort(), ours.getInteger("port"));
      try (Connection ws = Nats.connect(new Options.Builder().server("ws://127.0.0.1:" + s.verticle.webSocketPort())
          .build()); Connection tcp = Nats.connect(s.url())) {
        List<String> types = Http.json(s.verticle.monitorPort(), "/connz").getJsonArray("connections").stream()
            .map(c -> ((io.vertx.core.json.JsonObject) c).getString("type")).sorted().toList();
        assertEquals(List.of("nats", "websocket"), types, "connz tells a WebSocket client apart, as nats-server");
      }
      assumeTrue(NatsServerProcess.available(), "nats-server not installed");
      int wsPort = NatsServerProcess.freePort();
      int monitor = NatsServerProcess.freePort();
      Path conf = dir.resolve("varz.conf");
      Files.writeString(conf, "http_port: " + monitor + "\nwebsocket {\n  listen: \"127.0.0.1:" + wsPort + "\"\n"
          + "  no_tls: true\n  same_origin: true\n  allowed_origins: [\"https://app.example\"]\n"
          + "  compression: true\n  handshake_timeout: \"2s\"\n}\n");
      try (NatsServerProcess ref = NatsServerProcess.start("-c", conf.toString())) {
        io.vertx.core.json.JsonObject theirs = Await.value("nats-server's /varz", Duration.ofSeconds(10),
            () -> Http.json(monitor, "/varz"), v -> true).getJsonObject("websocket");
        assertEquals(wsPort, theirs.getInteger("port"));
        ours.remove("port");
        theirs.remove("port");
        assertEquals(theirs, ours);
      }
    }
  }

  /** In a cluster a WebSocket client's INFO lists the nodes' WebSocket URLs (ws_connect_urls over routes). */
  @Test
  void webSocketClientsAreToldTheClustersWebSocketUrls() throws Exception {
    WebSocketOptions w = new WebSocketOptions("127.0.0.1", -1, null, null, true, false, List.of(), false, Duration.ZERO);
    try (TestServer a = TestServer.start(o -> o.serverName("A").webSocket(w)
            .cluster(ClusterOptions.NONE.withListen("127.0.0.1", -1).withName("ws")));
        TestServer b = TestServer.start(o -> o.serverName("B").webSocket(w)
            .cluster(ClusterOptions.NONE.withListen("127.0.0.1", -1).withName("ws")
                .withRoutes(List.of(ClusterIT.routeTo(a)))))) {
      ClusterIT.awaitMesh(a, b);
      String wsA = "127.0.0.1:" + a.verticle.webSocketPort();
      String wsB = "127.0.0.1:" + b.verticle.webSocketPort();
      Await.until("A's WebSocket clients told of both nodes", () -> {
        try (RawWebSocket raw = RawWebSocket.connect(a.verticle.webSocketPort())) {
          raw.send("PING\r\n");
          String info = raw.readLine();
          return info.contains("\"connect_urls\":[\"" + wsA + "\",\"" + wsB + "\"]");
        }
      });
      String tcpInfo = new String(io.natsvx.client.ClientInfo.build(a.verticle.server(), 1, null, false, false, null,
          false, false, false), StandardCharsets.UTF_8);
      assertTrue(!tcpInfo.contains(wsB) && tcpInfo.contains("127.0.0.1:" + b.port()), tcpInfo);
    }
  }

  /** A Vert.x WebSocket client: what it was sent, and the close status when the server closes. */
  private record Client(WebSocketClient client, WebSocket ws, StringBuilder in, CompletableFuture<Short> closed)
      implements AutoCloseable {
    /** Handlers are set before the upgrade, so that the INFO right behind the 101 is not missed. */
    static Client connect(WebSocketClientOptions options, WebSocketConnectOptions to) throws Exception {
      WebSocketClient client = vertx.createWebSocketClient(options);
      ClientWebSocket ws = client.webSocket();
      Client c = new Client(client, ws, new StringBuilder(), new CompletableFuture<>());
      ws.handler(b -> {
        synchronized (c.in) {
          c.in.append(b.toString(StandardCharsets.UTF_8));
        }
      });
      ws.closeHandler(v -> c.closed.complete(ws.closeStatusCode()));
      ws.connect(to).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      return c;
    }

    String text() {
      return WebSocketIT.text(in);
    }

    @Override
    public void close() throws Exception {
      client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** The block's own user replaces the server's token for WebSocket clients only (nats-server's authOverride). */
  @Test
  void theBlocksOwnCredentialsAreForWebSocketClientsOnly() throws Exception {
    WebSocketOptions w = new WebSocketOptions("127.0.0.1", -1, null, null, true, false, List.of(), false,
        Duration.ZERO, "wsu", "wsp", null, null, Duration.ZERO);
    try (TestServer s = TestServer.start(b -> b.authorization(new AuthOptions("tcp-secret", List.of(), null, null))
        .webSocket(w))) {
      String ws = "ws://127.0.0.1:" + s.verticle.webSocketPort();
      try (Connection a = Nats.connect(new Options.Builder().server(ws).userInfo("wsu", "wsp").build());
          Connection b = Nats.connect(new Options.Builder().server(s.url()).token("tcp-secret".toCharArray()).build())) {
        assertEquals(Connection.Status.CONNECTED, a.getStatus());
        assertEquals(Connection.Status.CONNECTED, b.getStatus());
      }
      refused(new Options.Builder().server(ws).token("tcp-secret".toCharArray()));
      refused(new Options.Builder().server(s.url()).userInfo("wsu", "wsp"));
    }
  }

  /** The block's no_auth_user lets WebSocket clients in without credentials, as that server user. */
  @Test
  void theBlocksNoAuthUserIsForWebSocketClientsOnly() throws Exception {
    WebSocketOptions w = new WebSocketOptions("127.0.0.1", -1, null, null, true, false, List.of(), false,
        Duration.ZERO, null, null, null, "b", Duration.ZERO);
    try (TestServer s = TestServer.start(b -> b.authorization(new AuthOptions(null,
        List.of(new AuthOptions.UserOptions("a", "pa", null, null), new AuthOptions.UserOptions("b", "pb", null, null)),
        null, null)).webSocket(w))) {
      try (Connection ws = Nats.connect(new Options.Builder().server("ws://127.0.0.1:" + s.verticle.webSocketPort())
          .build())) {
        assertEquals(Connection.Status.CONNECTED, ws.getStatus());
      }
      refused(new Options.Builder().server(s.url()));
    }
  }

  private static void refused(Options.Builder options) {
    try (Connection c = Nats.connect(options.noReconnect().maxReconnects(0).connectionTimeout(Duration.ofSeconds(2))
        .build())) {
      throw new AssertionError("connected: " + c.getConnectedUrl());
    } catch (java.io.IOException | InterruptedException e) {
      assertTrue(e.getMessage() == null || !e.getMessage().isEmpty());
    }
  }

  private static String answerOrClosed(int port, String request) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      return s.getInputStream().read() < 0 ? "closed" : "answered";
    } catch (java.net.SocketException e) {
      return "closed";
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** A peer that asks for it sends unmasked frames (Nats-No-Masking), as nats-server takes them. */
  @Test
  void unmaskedFramesAfterNoMaskingIsAgreed() throws Exception {
    unmaskedPingPong(server.verticle.webSocketPort());
    assumeTrue(NatsServerProcess.available(), "nats-server not installed");
    int wsPort = NatsServerProcess.freePort();
    Path conf = dir.resolve("ws-nomask.conf");
    Files.writeString(conf, "websocket { listen: \"127.0.0.1:" + wsPort + "\", no_tls: true }\n");
    try (NatsServerProcess ref = NatsServerProcess.start("-c", conf.toString())) {
      Await.until("nats-server's websocket port", () -> {
        try (Socket s = new Socket("127.0.0.1", wsPort)) {
          return true;
        }
      });
      unmaskedPingPong(wsPort);
    }
  }

  private static void unmaskedPingPong(int port) throws Exception {
    try (RawWebSocket raw = RawWebSocket.connectUnmasked(port)) {
      assertTrue(raw.readLine().startsWith("INFO "));
      raw.send("CONNECT {\"verbose\":false}\r\nPING\r\n");
      assertEquals("PONG\r\n", raw.readLine());
    }
  }

  /** The refusals, side by side with nats-server's: status line and body. */
  @Test
  void refusedUpgradesGetNatsServersAnswers() throws Exception {
    String ok = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
    List<String> requests = List.of(
        ok.replace("GET", "POST") + "Content-Length: 0\r\n\r\n",
        ok.replace("Upgrade: websocket\r\n", "") + "\r\n",
        ok.replace("Connection: Upgrade", "Connection: keep-alive") + "\r\n",
        ok.replace("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", "") + "\r\n",
        ok.replace("Version: 13", "Version: 8") + "\r\n",
        ok + "\r\n");
    List<String> ours = requests.stream().map(r -> answer(server.verticle.webSocketPort(), r)).toList();
    assertEquals("HTTP/1.1 405 Method Not Allowed|Method Not Allowed\n", ours.get(0));
    assertEquals("HTTP/1.1 400 Bad Request|Bad Request\n", ours.get(1));
    assertEquals("HTTP/1.1 101 Switching Protocols|", ours.get(5).substring(0, ours.get(5).indexOf('|') + 1));
    assumeTrue(NatsServerProcess.available(), "nats-server not installed");
    int wsPort = NatsServerProcess.freePort();
    Path conf = dir.resolve("ws.conf");
    Files.writeString(conf, "websocket { listen: \"127.0.0.1:" + wsPort + "\", no_tls: true }\n");
    try (NatsServerProcess ref = NatsServerProcess.start("-c", conf.toString())) {
      Await.until("nats-server's websocket port", () -> {
        try (Socket s = new Socket("127.0.0.1", wsPort)) {
          return true;
        }
      });
      for (int i = 0; i < requests.size() - 1; i++) {
        assertEquals(answer(wsPort, requests.get(i)), ours.get(i), "request " + i);
      }
    }
  }

  /** The response's status line and, for a refusal, its body, as "status|body". */
  private static String answer(int port, String request) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String head = readHead(in);
      String status = head.substring(0, head.indexOf("\r\n"));
      if (status.contains(" 101 ")) {
        return status + "|";
      }
      int length = 0;
      for (String line : head.split("\r\n")) {
        if (line.toLowerCase().startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(15).trim());
        }
      }
      return status + "|" + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String readHead(InputStream in) throws Exception {
    StringBuilder b = new StringBuilder();
    while (!b.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        break;
      }
      b.append((char) c);
    }
    return b.toString();
  }

  private static String text(StringBuilder in) {
    synchronized (in) {
      return in.toString();
    }
  }

  private static Message next(Subscription s) throws InterruptedException {
    Message m = s.nextMessage(Duration.ofSeconds(5));
    assertNotNull(m, "a message on " + s.getSubject());
    return m;
  }

  private static byte[] payload(int size) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) ('a' + i % 26);
    }
    return b;
  }
}
