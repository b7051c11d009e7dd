package io.natsvx.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The websocket block as nats-server reads it (opts.go parseWebsocket, validateWebsocketOptions). */
class WebSocketConfigTest extends ConfigFileTest {

  private WebSocketOptions load(String conf) throws Exception {
    return OptionsReader.load(write("t.conf", conf)).options().webSocket();
  }

  @Test
  void theBlockAndItsAliases() throws Exception {
    WebSocketOptions w = load("websocket {\n  listen: \"127.0.0.1:8080\"\n  no_tls: true\n  advertise: \"ws.example:80\"\n"
        + "  same_origin: true\n  allowed_origins: [\"https://a.example\", \"http://b.example:8080\"]\n"
        + "  compress: true\n  handshake_timeout: \"2s\"\n}\n");
    assertTrue(w.enabled());
    assertEquals("127.0.0.1", w.host());
    assertEquals(8080, w.port());
    assertTrue(w.noTls());
    assertNull(w.tls());
    assertEquals("ws.example:80", w.advertise());
    assertTrue(w.sameOrigin());
    assertEquals(List.of("https://a.example", "http://b.example:8080"), w.allowedOrigins());
    assertTrue(w.compression());
    assertEquals(Duration.ofSeconds(2), w.handshakeTimeout());
    assertEquals(9090, load("ws { port: 9090, no_tls: true, origin: \"http://c.example\" }\n").port());
    assertFalse(load("port: 4222\n").enabled(), "no block, no listener");
    assertFalse(load("websocket { no_tls: true }\n").enabled(), "no port, no listener");
  }

  @Test
  void theBlocksOwnCredentials() throws Exception {
    WebSocketOptions w = load("websocket {\n  port: 8080, no_tls: true\n"
        + "  authorization { user: wsu, password: wsp, timeout: 3 }\n}\n");
    assertTrue(w.authOverride());
    assertEquals("wsu", w.username());
    assertEquals("wsp", w.password());
    assertEquals(Duration.ofSeconds(3), w.authTimeout());
    assertEquals("t0k", load("websocket { port: 8080, no_tls: true, authorization { token: t0k } }\n").token());
    WebSocketOptions n = load("authorization { users: [{user: a, password: b}] }\n"
        + "websocket { port: 8080, no_tls: true, no_auth_user: a }\n");
    assertEquals("a", n.noAuthUser());
    assertFalse(load("websocket { port: 8080, no_tls: true }\n").authOverride());
  }

  @Test
  void mistakesAreNamed() throws Exception {
    assertEquals(List.of(where(1) + ": websocket: websocket requires TLS configuration"),
        errors("websocket { port: 8080 }\n"));
    assertEquals(List.of(where(1) + ": websocket: Expected websocket to be a map, got an integer (8080)"),
        errors("websocket: 8080\n"));
    assertEquals(List.of(where(1) + ": jwt_cookie: not supported yet"),
        errors("websocket { port: 8080, no_tls: true, jwt_cookie: my_jwt }\n"));
    assertEquals(List.of(where(2) + ": websocket: websocket authentication username not compatible with presence of "
        + "users/nkeys"), errors("authorization { users: [{user: a, password: b}] }\n"
        + "websocket { port: 8080, no_tls: true, authorization { user: w, password: p } }\n"));
    assertEquals(List.of(where(1) + ": websocket: no_auth_user: \"x\" present, but users/nkeys are not defined"),
        errors("websocket { port: 8080, no_tls: true, no_auth_user: x }\n"));
    assertEquals(List.of(where(2) + ": websocket: no_auth_user: \"x\" not present as user or nkey in authorization "
        + "block or account configuration"), errors("authorization { users: [{user: a, password: b}] }\n"
        + "websocket { port: 8080, no_tls: true, no_auth_user: x }\n"));
    assertEquals(List.of(where(1) + ": unknown field \"colour\" in websocket (ignored)"),
        warnings("websocket { port: 8080, no_tls: true, colour: red }\n"));
  }
}
