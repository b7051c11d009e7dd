package io.natsvx.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gateway block as nats-server reads it (opts.go parseGateway, parseGateways, validateGatewayOptions). */
class GatewayConfigTest extends ConfigFileTest {

  private ServerOptions load(String conf) throws Exception {
    return OptionsReader.load(write("t.conf", conf)).options();
  }

  @Test
  void theBlockAndItsGateways() throws Exception {
    GatewayOptions g = load("gateway {\n  name: A\n  listen: \"127.0.0.1:7222\"\n  advertise: \"gw.a:7222\"\n"
        + "  connect_retries: 3\n  reject_unknown_cluster: true\n"
        + "  authorization { user: gw, password: secret, timeout: 1.5 }\n"
        + "  gateways: [\n    { name: B, url: \"nats://b1:7222\" }\n"
        + "    { name: C, urls: [\"nats://c1:7222\", \"nats://u:p@c2:7222\"] }\n  ]\n}\n").gateway();
    assertTrue(g.enabled());
    assertEquals("A", g.name());
    assertEquals("127.0.0.1", g.host());
    assertEquals(7222, g.port());
    assertEquals("gw.a:7222", g.advertise());
    assertEquals(3, g.connectRetries());
    assertTrue(g.rejectUnknown());
    assertEquals("gw", g.user());
    assertEquals("secret", g.password());
    assertEquals(Duration.ofMillis(1500), g.authTimeout());
    assertEquals(List.of(new GatewayOptions.Remote("B", List.of(URI.create("nats://b1:7222")), null),
        new GatewayOptions.Remote("C", List.of(URI.create("nats://c1:7222"), URI.create("nats://u:p@c2:7222")), null)),
        g.gateways());
    assertFalse(load("port: 4222\n").gateway().enabled(), "no block, nothing");
    assertTrue(load("gateway { name: A, port: -1, reject_unknown: true }\n").gateway().rejectUnknown());
  }

  @Test
  void theClusterTakesTheGatewaysName() throws Exception {
    assertEquals("A", load("cluster { port: -1 }\ngateway { name: A, port: -1 }\n").cluster().name());
    assertEquals("A", load("cluster { name: A, port: -1 }\ngateway { name: A, port: -1 }\n").cluster().name());
    assertEquals(List.of(where(2) + ": gateway: cluster name conflicts between cluster and gateway definitions"),
        errors("cluster { name: X, port: -1 }\ngateway { name: A, port: -1 }\n"));
  }

  @Test
  void mistakesAreNamed() throws Exception {
    assertEquals(List.of(where(1) + ": gateway: Expected gateway to be a map, got an integer (7222)"),
        errors("gateway: 7222\n"));
    assertEquals(List.of(where(1) + ": gateway: gateway has no name"), errors("gateway { port: 7222 }\n"));
    assertEquals(List.of(where(1) + ": gateway: gateway \"A\" has no port specified (select -1 for random port)"),
        errors("gateway { name: A }\n"));
    assertEquals(List.of(where(1) + ": gateway: gateway in the list 0 has no name"),
        errors("gateway { name: A, port: -1, gateways: [{url: \"nats://h:1\"}] }\n"));
    assertEquals(List.of(where(1) + ": gateway: gateway \"B\" has no URL"),
        errors("gateway { name: A, port: -1, gateways: [{name: B}] }\n"));
    assertEquals(List.of(where(1) + ": authorization: Gateway authorization does not allow multiple users"),
        errors("gateway { name: A, port: -1, authorization { users: [{user: a, password: b}] } }\n"));
    assertEquals(List.of(where(1) + ": authorization: Gateway authorization does not support tokens"),
        errors("gateway { name: A, port: -1, authorization { token: t } }\n"));
  }
}
