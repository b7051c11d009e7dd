package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.natsvx.config.AccountOptions;
import io.natsvx.config.AccountOptions.Export;
import io.natsvx.config.AccountOptions.Import;
import io.natsvx.config.AccountOptions.ResponseType;
import io.natsvx.config.AuthOptions.UserOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Accounts: isolated subject spaces, and the streams and services they share on purpose. */
class AccountsIT {

  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    AccountOptions a = new AccountOptions("A", List.of(new UserOptions("a", "a", null, null)),
        List.of(new Export("events.>", false, null, null, null),
            new Export("svc.echo", true, List.of("B"), ResponseType.SINGLETON, null)),
        List.of());
    AccountOptions b = new AccountOptions("B", List.of(new UserOptions("b", "b", null, null)), List.of(),
        List.of(new Import(false, "A", "events.>", null, "from_a"),
            new Import(true, "A", "svc.echo", "echo", null)));
    AccountOptions limited = new AccountOptions("L", List.of(new UserOptions("l", "l", null, null)), List.of(),
        List.of(), new AccountOptions.Limits(2, 3, 8));
    server = TestServer.start(x -> x.accounts(List.of(a, b, limited)));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static RawClient login(String user) throws Exception {
    RawClient c = RawClient.connect(server.port());
    c.send("CONNECT {\"verbose\":false,\"headers\":true,\"no_responders\":true,\"user\":\"" + user + "\",\"pass\":\""
        + user + "\"}\r\n").sync();
    return c;
  }

  @Test
  void accountLimits() throws Exception {
    try (RawClient one = login("l"); RawClient two = login("l"); RawClient three = RawClient.connect(server.port())) {
      three.send("CONNECT {\"verbose\":false,\"user\":\"l\",\"pass\":\"l\"}\r\n");
      three.expect("-ERR 'maximum account active connections exceeded'");
      one.send("SUB s.1 1\r\nSUB s.2 2\r\n").sync();
      two.send("SUB s.3 1\r\nSUB s.4 2\r\n").expect("-ERR 'maximum subscriptions exceeded'");
      one.send("PUB s.1 8\r\n12345678\r\n");
      one.expect("MSG s.1 1 8");
      one.readLine();
      one.send("PUB s.1 9\r\n").expect("-ERR 'Maximum Payload Violation'");
    }
    // A slot is free again once a connection of the account is gone.
    Await.until("account L's connection to go",
        () -> server.verticle.server().accounts().get("L").connectionCount() == 0);
    try (RawClient again = login("l")) {
      again.sync();
    }
  }

  @Test
  void accountsAreIsolated() throws Exception {
    try (RawClient a = login("a"); RawClient b = login("b")) {
      a.send("SUB private 1\r\n").sync();
      b.send("PUB private 4\r\nfrom\r\n").sync();
      a.send("PUB private 2\r\nok\r\n");
      a.expect("MSG private 1 2"); // only its own account's message
      assertEquals("ok", a.readLine());
    }
  }

  @Test
  void streamExportImportedWithPrefix() throws Exception {
    try (RawClient a = login("a"); RawClient b = login("b")) {
      b.send("SUB from_a.events.* 1\r\nSUB events.x 2\r\n").sync();
      a.send("PUB events.x 5\r\nhello\r\n").sync();
      b.expect("MSG from_a.events.x 1 5");
      assertEquals("hello", b.readLine());
      b.sync(); // and not on its own events.x: that is B's own subject space
    }
  }

  @Test
  void serviceImportRoutesTheResponseBack() throws Exception {
    try (RawClient service = login("a"); RawClient client = login("b")) {
      service.send("SUB svc.echo 1\r\n").sync();
      client.send("SUB inbox.1 9\r\nPUB echo inbox.1 4\r\nping\r\n").sync();
      String request = service.expect("MSG svc.echo 1 _R_\\.\\S+ 4");
      assertEquals("ping", service.readLine());
      String routedReply = request.split(" ")[3];
      service.send("PUB " + routedReply + " 4\r\npong\r\n").sync();
      client.expect("MSG inbox.1 9 4");
      assertEquals("pong", client.readLine());
      // Singleton: a second answer to the same request goes nowhere.
      service.send("PUB " + routedReply + " 5\r\nagain\r\n").sync();
      client.sync();
    }
  }

  @Test
  void noRespondersAcrossAccounts() throws Exception {
    try (RawClient client = login("b")) {
      client.send("SUB inbox.2 3\r\nPUB echo inbox.2 0\r\n\r\n");
      client.expect("HMSG inbox.2 3 16 16");
      assertEquals("NATS/1.0 503", client.readLine());
    }
  }

  @Test
  void jnatsRequestAcrossAccounts() throws Exception {
    try (Connection service = Nats.connect(new Options.Builder().server(server.url()).userInfo("a", "a").build());
         Connection client = Nats.connect(new Options.Builder().server(server.url()).userInfo("b", "b").build())) {
      service.createDispatcher(m -> service.publish(m.getReplyTo(), ("re:" + new String(m.getData())).getBytes()))
          .subscribe("svc.echo");
      service.flush(Duration.ofSeconds(2));
      for (int i = 0; i < 20; i++) {
        Message reply = client.request("echo", ("m" + i).getBytes(), Duration.ofSeconds(2));
        assertEquals("re:m" + i, new String(reply.getData()));
      }
    }
  }
}
