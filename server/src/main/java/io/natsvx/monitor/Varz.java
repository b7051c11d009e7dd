package io.natsvx.monitor;

import io.natsvx.server.ServerContext;
import io.natsvx.server.Version;
import io.natsvx.config.ServerOptions;
import io.natsvx.conn.Connection;
import io.natsvx.client.ClientConnection;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/** /varz: nats-server's Varz, field for field (2.10). Worker only (reads /proc). */
public final class Varz {

  private Varz() {}

  /** nats-server's ClusterOptsVarz: empty without clustering. */
  /** nats-server's GatewayOptsVarz: this cluster's name, the listener, its timeouts and the configured gateways. */
  private static JsonObject gateway(ServerContext server) {
    io.natsvx.config.GatewayOptions g = server.options().gateway();
    JsonObject o = new JsonObject();
    if (!g.enabled()) {
      return o;
    }
    String url = server.gatewayUrl();
    int port = url == null ? g.port() : Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
    o.put("name", g.name()).put("host", g.host()).put("port", port)
        .put("auth_timeout", g.authTimeout().toMillis() / 1000.0)
        .put("tls_timeout", g.tls() != null ? g.tls().timeout().toMillis() / 1000.0 : 2.0);
    if (g.tls() != null) {
      o.put("tls_required", true).put("tls_verify", true);
    }
    if (g.advertise() != null && !g.advertise().isEmpty()) {
      o.put("advertise", g.advertise());
    }
    if (g.connectRetries() > 0) {
      o.put("connect_retries", g.connectRetries());
    }
    io.vertx.core.json.JsonArray gateways = new io.vertx.core.json.JsonArray();
    for (io.natsvx.config.GatewayOptions.Remote r : g.gateways()) {
      JsonObject ro = new JsonObject().put("name", r.name());
      if (r.tls() != null) {
        ro.put("tls_timeout", r.tls().timeout().toMillis() / 1000.0);
      }
      io.vertx.core.json.JsonArray urls = new io.vertx.core.json.JsonArray();
      r.urls().forEach(u -> urls.add(u.getHost() + ":" + u.getPort()));
      gateways.add(ro.put("urls", urls));
    }
    if (!gateways.isEmpty()) {
      o.put("gateways", gateways);
    }
    if (g.rejectUnknown()) {
      o.put("reject_unknown", true);
    }
    return o;
  }

  /** nats-server's LeafNodeOptsVarz: the listener, its timeouts, and each remote's account, URLs and denies. */
  private static JsonObject leaf(ServerContext server) {
    io.natsvx.config.LeafNodeOptions l = server.options().leafNodes();
    JsonObject o = new JsonObject();
    if (!l.enabled()) {
      return o;
    }
    if (l.listens()) {
      o.put("host", l.host()).put("port", server.leafNodePort());
    }
    o.put("auth_timeout", l.authTimeout().toMillis() / 1000.0)
        .put("tls_timeout", l.tls() != null ? l.tls().timeout().toMillis() / 1000.0 : 2.0);
    if (l.tls() != null) {
      o.put("tls_required", true);
      if (l.tls().requiresClientCertificate()) {
        o.put("tls_verify", true);
      }
    }
    if (!l.remotes().isEmpty()) {
      io.vertx.core.json.JsonArray remotes = new io.vertx.core.json.JsonArray();
      for (io.natsvx.config.LeafNodeOptions.Remote r : l.remotes()) {
        JsonObject ro = new JsonObject().put("local_account", r.accountOrGlobal());
        if (r.tls() != null) {
          ro.put("tls_timeout", r.tls().timeout().toMillis() / 1000.0);
        }
        io.vertx.core.json.JsonArray urls = new io.vertx.core.json.JsonArray();
        r.urls().forEach(u -> urls.add(u.getHost() + ":" + u.getPort()));
        ro.put("urls", urls);
        if (!r.denyExports().isEmpty() || !r.denyImports().isEmpty()) {
          JsonObject deny = new JsonObject();
          if (!r.denyExports().isEmpty()) {
            deny.put("exports", new io.vertx.core.json.JsonArray(r.denyExports()));
          }
          if (!r.denyImports().isEmpty()) {
            deny.put("imports", new io.vertx.core.json.JsonArray(r.denyImports()));
          }
          ro.put("deny", deny);
        }
        remotes.add(ro);
      }
      o.put("remotes", remotes);
    }
    return o;
  }

  private static JsonObject cluster(ServerContext server) {
    io.natsvx.server.ClusterView routes = server.cluster();
    if (routes == null) {
      return new JsonObject();
    }
    io.natsvx.config.ClusterOptions c = server.options().cluster();
    io.vertx.core.json.JsonArray urls = new io.vertx.core.json.JsonArray();
    c.routes().forEach(u -> urls.add(u.getHost() + ":" + u.getPort()));
    JsonObject o = new JsonObject().put("name", routes.name()).put("addr", c.host()).put("cluster_port", routes.port())
        .put("auth_timeout", c.authTimeout().toMillis() / 1000.0);
    if (!urls.isEmpty()) {
      o.put("urls", urls);
    }
    return o.put("tls_timeout", 2.0);
  }

  /** nats-server's WebsocketOptsVarz: the block as configured (empty fields left out), the port bound. */
  static JsonObject webSocket(ServerContext server) {
    io.natsvx.config.WebSocketOptions w = server.options().webSocket();
    if (!w.enabled()) {
      return new JsonObject();
    }
    JsonObject o = new JsonObject().put("host", w.host()).put("port", server.webSocketPort());
    if (w.advertise() != null && !w.advertise().isEmpty()) {
      o.put("advertise", w.advertise());
    }
    if (!w.handshakeTimeout().isZero()) {
      o.put("handshake_timeout", w.handshakeTimeout().toNanos());
    }
    if (w.noTls()) {
      o.put("no_tls", true);
    }
    if (w.sameOrigin()) {
      o.put("same_origin", true);
    }
    if (!w.allowedOrigins().isEmpty()) {
      o.put("allowed_origins", new io.vertx.core.json.JsonArray(w.allowedOrigins()));
    }
    if (w.compression()) {
      o.put("compression", true);
    }
    return o;
  }

  public static JsonObject build(ServerContext server, io.natsvx.jetstream.JetStream js, String httpHost,
      int monitorPort, String basePath) {
    ServerOptions o = server.options();
    long now = System.currentTimeMillis();
    int connections = 0;
    for (Connection c : server.connections()) {
      if (c.kind() == io.natsvx.conn.ConnectionKind.CLIENT) {
        connections++;
      }
    }
    JsonObject slow = new JsonObject()
        .put("clients", server.slowConsumers.sum())
        .put("routes", 0)
        .put("gateways", 0)
        .put("leafs", 0);
    return compact(new JsonObject()
        .put("server_id", server.serverId())
        .put("server_name", server.serverName())
        .put("version", ServerContext.PROTOCOL_VERSION)
        .put("proto", 1)
        .put("go", Version.runtime())
        .put("host", o.host())
        .put("port", server.clientPort())
        .put("auth_required", server.auth().required() ? Boolean.TRUE : null)
        .put("tls_required", o.tls() != null ? Boolean.TRUE : null)
        .put("tls_verify", o.tls() != null && o.tls().requiresClientCertificate() ? Boolean.TRUE : null)
        .put("max_connections", o.maxConnections())
        .put("max_subscriptions", o.maxSubscriptions() > 0 ? o.maxSubscriptions() : null)
        .put("ping_interval", o.pingInterval().toNanos())
        .put("ping_max", o.pingMax())
        .put("http_host", httpHost)
        .put("http_port", o.httpsPort() != 0 ? 0 : monitorPort)
        .put("http_base_path", basePath)
        .put("https_port", o.httpsPort() != 0 ? monitorPort : 0)
        .put("auth_timeout", o.authTimeout().toMillis() / 1000.0)
        .put("max_control_line", o.maxControlLine())
        .put("max_payload", o.maxPayload())
        .put("max_pending", o.maxPending())
        .put("cluster", cluster(server))
        .put("gateway", gateway(server))
        .put("leaf", leaf(server))
        .put("mqtt", new JsonObject())
        .put("websocket", webSocket(server))
        .put("jetstream", Jsz.varz(js))
        .put("tls_timeout", o.tls() != null ? o.tls().timeout().toMillis() / 1000.0 : 2.0)
        .put("write_deadline", o.writeDeadline().toNanos())
        .put("start", GoFormat.time(server.startMillis()))
        .put("now", GoFormat.time(now))
        .put("uptime", GoFormat.uptime(Duration.ofMillis(now - server.startMillis())))
        .put("mem", ProcessStats.rss())
        .put("cores", Runtime.getRuntime().availableProcessors())
        .put("gomaxprocs", Runtime.getRuntime().availableProcessors())
        .put("cpu", ProcessStats.cpuPercent())
        .put("connections", connections)
        .put("total_connections", server.totalConnections.sum())
        .put("routes", server.cluster() == null ? 0 : server.cluster().routeCount())
        .put("remotes", server.cluster() == null ? 0 : server.cluster().routeCount())
        .put("leafnodes", server.leafNodeCount())
        .put("in_msgs", server.inMsgs.sum())
        .put("out_msgs", server.outMsgs.sum())
        .put("in_bytes", server.inBytes.sum())
        .put("out_bytes", server.outBytes.sum())
        .put("slow_consumers", server.slowConsumers.sum())
        .put("subscriptions", server.subscriptionCount())
        .put("http_req_stats", new JsonObject(new java.util.LinkedHashMap<>(server.httpRequestCounts())))
        .put("config_load_time", GoFormat.time(server.configLoadMillis()))
        .put("system_account", server.accounts().system().name())
        .put("slow_consumer_stats", slow));
  }

  /** Keeps the omitempty fields out when empty, as nats-server's JSON does. */
  public static JsonObject compact(JsonObject o) {
    o.getMap().values().removeIf(v -> v == null);
    return o;
  }
}
