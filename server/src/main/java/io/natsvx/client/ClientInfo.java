package io.natsvx.client;

import io.natsvx.server.ServerContext;
import io.natsvx.server.Version;
import io.natsvx.config.ServerOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/** Builds the INFO a client gets, with nats-server's fields in its order. Thread-safe. */
public final class ClientInfo {

  private ClientInfo() {}

  public static byte[] build(ServerContext server, long clientId, String clientIp, boolean lameDuck,
      boolean authRequired, String nonce, boolean tlsRequired, boolean tlsVerify, boolean webSocket) {
    ServerOptions o = server.options();
    JsonObject info = new JsonObject()
        .put("server_id", server.serverId())
        .put("server_name", server.serverName())
        .put("version", ServerContext.PROTOCOL_VERSION)
        .put("proto", 1)
        .put("go", Version.runtime())
        .put("host", o.host())
        .put("port", server.clientPort())
        .put("headers", !o.noHeaderSupport());
    if (authRequired) {
      info.put("auth_required", true);
    }
    if (tlsRequired) {
      info.put("tls_required", true);
    }
    if (tlsVerify) {
      info.put("tls_verify", true);
    }
    info.put("max_payload", o.maxPayload());
    if (server.jetStreamRunning()) {
      info.put("jetstream", true);
      String domain = o.jetStream().domain();
      if (domain != null && !domain.isEmpty()) {
        info.put("domain", domain);
      }
    }
    if (clientId > 0) {
      info.put("client_id", clientId);
    }
    io.natsvx.server.ClusterView cluster = server.cluster();
    if (cluster != null) {
      info.put("cluster", cluster.name());
      // A WebSocket client is told the cluster's WebSocket URLs instead (nats-server's ws_connect_urls).
      java.util.List<String> urls = webSocket ? server.wsConnectUrls() : server.connectUrls();
      if (!urls.isEmpty()) {
        info.put("connect_urls", new io.vertx.core.json.JsonArray(urls));
      }
    }
    if (clientIp != null) {
      info.put("client_ip", clientIp);
    }
    if (nonce != null) {
      info.put("nonce", nonce);
    }
    if (lameDuck) {
      info.put("ldm", true);
    }
    return ("INFO " + info.encode() + " \r\n").getBytes(StandardCharsets.UTF_8);
  }
}
