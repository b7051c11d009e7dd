package io.natsvx.route;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * What a peer's route INFO says of it: its identity and cluster, where to reach its route port
 * (the {@code ip} URL, else host and port), and the client, WebSocket and leaf node URLs it
 * advertises. Immutable.
 */
record PeerInfo(String id, String name, String cluster, boolean clusterDynamic, String host, int port, String ip,
    boolean authRequired, boolean tlsRequired, boolean headers, List<String> connectUrls,
    List<String> wsConnectUrls, List<String> leafNodeUrls, JsonObject raw) {

  static PeerInfo parse(String json) {
    JsonObject o = new JsonObject(json);
    List<String> urls = strings(o.getJsonArray("connect_urls"));
    return new PeerInfo(o.getString("server_id", ""), o.getString("server_name", ""), o.getString("cluster", ""),
        o.getBoolean("cluster_dynamic", false), o.getString("host", ""), o.getInteger("port", 0),
        o.getString("ip", ""), o.getBoolean("auth_required", false), o.getBoolean("tls_required", false),
        o.getBoolean("headers", false), urls, strings(o.getJsonArray("ws_connect_urls")),
        strings(o.getJsonArray("leafnode_urls")), o);
  }

  private static List<String> strings(JsonArray a) {
    List<String> out = new ArrayList<>();
    if (a != null) {
      for (Object u : a) {
        out.add(String.valueOf(u));
      }
    }
    return List.copyOf(out);
  }

  /**
   * Where its route port is: the {@code ip} it gives, else its host and port, else the address
   * the connection came from with its port.
   */
  URI routeUrl(String remoteHost) {
    try {
      if (ip != null && !ip.isEmpty()) {
        return new URI(ip);
      }
      String h = host == null || host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") ? remoteHost : host;
      return new URI("nats-route", null, h, port, null, null, null);
    } catch (java.net.URISyntaxException e) {
      return null;
    }
  }
}
