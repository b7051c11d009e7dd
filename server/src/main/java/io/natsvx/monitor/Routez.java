package io.natsvx.monitor;

import io.natsvx.server.ServerContext;
import io.natsvx.conn.ConnectionInfo;
import io.natsvx.route.RouteConnection;
import io.natsvx.route.RouteVerticle;
import io.natsvx.subject.Subscription;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** /routez: nats-server's Routez, field for field; each route read on the route loop. */
public final class Routez {

  private Routez() {}

  public static Future<JsonObject> build(ServerContext server, RouteVerticle cluster, boolean subs, boolean detail) {
    JsonObject head = new JsonObject().put("server_id", server.serverId()).put("server_name", server.serverName())
        .put("now", GoFormat.now());
    if (cluster == null) {
      return Future.succeededFuture(head.put("num_routes", 0).put("routes", new JsonArray()));
    }
    long now = System.currentTimeMillis();
    return cluster.withRoutes(routes -> {
      JsonArray list = new JsonArray();
      for (RouteConnection r : routes) {
        list.add(route(r, now, subs, detail));
      }
      return head.put("num_routes", routes.size()).put("routes", list);
    });
  }

  private static JsonObject route(RouteConnection r, long now, boolean subs, boolean detail) {
    ConnectionInfo ci = r.info(false, 0);
    JsonObject o = new JsonObject()
        .put("rid", ci.cid())
        .put("remote_id", r.remoteId())
        .put("remote_name", r.remoteName())
        .put("did_solicit", r.solicited())
        .put("is_configured", r.configured())
        .put("ip", ci.ip())
        .put("port", ci.port())
        .put("start", GoFormat.time(ci.start()))
        .put("last_activity", GoFormat.time(ci.lastActivity()));
    if (ci.rttNanos() > 0) {
      o.put("rtt", GoFormat.duration(Duration.ofNanos(ci.rttNanos())));
    }
    o.put("uptime", GoFormat.uptime(Duration.ofMillis(now - ci.start())))
        .put("idle", GoFormat.uptime(Duration.ofMillis(Math.max(0, now - ci.lastActivity()))))
        .put("pending_size", ci.pendingBytes())
        .put("in_msgs", ci.inMsgs())
        .put("out_msgs", ci.outMsgs())
        .put("in_bytes", ci.inBytes())
        .put("out_bytes", ci.outBytes())
        .put("subscriptions", ci.subscriptions());
    Map<String, List<Subscription>> held = r.remoteSubscriptions();
    if (ci.subscriptions() > 0 && detail) {
      JsonArray d = new JsonArray();
      held.values().forEach(l -> l.forEach(s -> {
        JsonObject sd = new JsonObject().put("subject", s.subject());
        if (s.queue() != null) {
          sd.put("qgroup", s.queue());
        }
        d.add(sd.put("sid", s.sid()).put("msgs", s.delivered()).put("cid", ci.cid()));
      }));
      o.put("subscriptions_list_detail", d);
    } else if (ci.subscriptions() > 0 && subs) {
      JsonArray l = new JsonArray();
      held.values().forEach(v -> v.forEach(s -> l.add(s.subject())));
      o.put("subscriptions_list", l);
    }
    return o;
  }
}
