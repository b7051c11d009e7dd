package io.natsvx.config;

import io.natsvx.config.GatewayOptions.Remote;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The {@code gateway} block, with nats-server's keys and words (opts.go parseGateway, parseGateways). */
final class GatewayReader {

  private final ValueReader values;
  private String name;
  private String host;
  private int port;
  private String advertise;
  private String user;
  private String password;
  private Duration authTimeout;
  private TlsOptions tls;
  private boolean rejectUnknown;
  private int connectRetries;
  private List<Remote> gateways;

  GatewayReader(ValueReader values) {
    this.values = values;
  }

  GatewayOptions read(ConfNode block, String key) {
    GatewayOptions n = GatewayOptions.NONE;
    if (!block.isMap()) {
      values.error(block, key, "Expected gateway to be a map, got " + ValueReader.describe(block));
      return n;
    }
    host = n.host();
    port = n.port();
    authTimeout = n.authTimeout();
    gateways = List.of();
    new ConfKeys(values)
        .string("name", s -> name = s)
        .on("listen", (v, k) -> ConfKeys.set(values.hostPort(v, k), hp -> {
          host = hp.host().isEmpty() ? host : hp.host();
          port = hp.port();
        }))
        .integer("port", -1, 65535, p -> port = p)
        .string("host net", h -> host = h)
        .on("authorization", this::authorization)
        .on("tls", (v, k) -> ConfKeys.set(new TlsReader(values).read(v, k), t -> tls = t))
        .string("advertise", a -> advertise = a)
        .integer("connect_retries", 0, Integer.MAX_VALUE, r -> connectRetries = r)
        .on("gateways", (v, k) -> ConfKeys.set(gateways(v, k), g -> gateways = g))
        .bool("reject_unknown reject_unknown_cluster", b -> rejectUnknown = b)
        .read(block.asMap(), key);
    GatewayOptions o = new GatewayOptions(name, host, port, advertise, user, password, authTimeout, tls,
        rejectUnknown, connectRetries, gateways);
    validate(block, key, o);
    return o;
  }

  /** nats-server's validateGatewayOptions. */
  private void validate(ConfNode block, String key, GatewayOptions o) {
    if ((o.name() == null || o.name().isEmpty()) && o.port() == 0) {
      return;
    }
    if (o.name() == null || o.name().isEmpty()) {
      values.error(block, key, "gateway has no name");
      return;
    }
    if (o.name().contains(" ")) {
      values.error(block, key, "gateway name \"" + o.name() + "\" cannot contain spaces");
    }
    if (o.port() == 0) {
      values.error(block, key, "gateway \"" + o.name() + "\" has no port specified (select -1 for random port)");
    }
    for (int i = 0; i < o.gateways().size(); i++) {
      Remote g = o.gateways().get(i);
      if (g.name() == null || g.name().isEmpty()) {
        values.error(block, key, "gateway in the list " + i + " has no name");
      } else if (g.urls().isEmpty()) {
        values.error(block, key, "gateway \"" + g.name() + "\" has no URL");
      }
    }
  }

  /** nats-server's parseAuthorization for a gateway: one user, no users list, no token. */
  private void authorization(ConfNode v, String key) {
    if (!v.isMap()) {
      values.error(v, key, "Expected map to define authorization, got " + ValueReader.describe(v));
      return;
    }
    new ConfKeys(values)
        .string("user username", u -> user = u)
        .string("pass password", p -> password = p)
        .on("timeout", (n, k) -> ConfKeys.set(values.seconds(n, k), d -> authTimeout = d))
        .on("users", (n, k) -> values.error(v, key, "Gateway authorization does not allow multiple users"))
        .on("token", (n, k) -> values.error(v, key, "Gateway authorization does not support tokens"))
        .read(v.asMap(), key);
  }

  private List<Remote> gateways(ConfNode v, String key) {
    if (!v.isList()) {
      values.error(v, key, "Expected gateways field to be an array, got " + ValueReader.describe(v));
      return null;
    }
    List<Remote> out = new ArrayList<>();
    for (ConfNode g : v.asList()) {
      if (!g.isMap()) {
        values.error(g, key, "Expected gateway entry to be a map/struct, got " + ValueReader.describe(g));
        continue;
      }
      String[] gname = new String[1];
      List<URI> urls = new ArrayList<>();
      TlsOptions[] t = new TlsOptions[1];
      new ConfKeys(values)
          .string("name", s -> gname[0] = s)
          .on("tls", (n, k) -> ConfKeys.set(new TlsReader(values).readDialer(n, k), x -> t[0] = x))
          .on("url", (n, k) -> urls.addAll(values.urls(n, k, "gateway")))
          .on("urls", (n, k) -> {
            urls.clear();
            urls.addAll(values.urls(n, k, "gateway"));
          })
          .read(g.asMap(), key);
      out.add(new Remote(gname[0], urls, t[0]));
    }
    return out;
  }

}
