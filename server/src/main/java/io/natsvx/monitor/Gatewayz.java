package io.natsvx.monitor;

import io.natsvx.conn.ConnectionInfo;
import io.natsvx.gateway.GatewayConnection;
import io.natsvx.gateway.GatewayVerticle;
import io.natsvx.server.ServerContext;
import io.natsvx.subject.Subscription;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * /gatewayz as nats-server 2.9 shapes it (monitor.go Gatewayz, RemoteGatewayz,
 * AccountGatewayz): this cluster's gateway name and address, the outbound link to each other
 * cluster and the inbound ones from it, each with its connection and, with {@code accs=1} (or
 * an {@code acc_name}), its accounts' interest mode; {@code gw_name} keeps one cluster. Read
 * on the gateway verticle's loop.
 */
public final class Gatewayz {

  /** nats-server's gatewayMaxRUnsubBeforeSwitch, reported as interest_only_threshold. */
  private static final int INTEREST_ONLY_THRESHOLD = 1000;

  private Gatewayz() {}

  public static Future<JsonObject> build(ServerContext server, GatewayVerticle gateways, boolean accounts,
      String gatewayName, String accountName) {
    return build(server, gateways, accounts, gatewayName, accountName, false, false);
  }

  /**
   * With {@code subs} (or {@code subsDetail}), each outbound account lists the far cluster's
   * subscriptions too (nats-server 2.10's {@code subs=1|detail}).
   */
  public static Future<JsonObject> build(ServerContext server, GatewayVerticle gateways, boolean accounts,
      String gatewayName, String accountName, boolean subs, boolean subsDetail) {
    JsonObject head = new JsonObject().put("server_id", server.serverId()).put("now", GoFormat.now());
    if (gateways == null) {
      return Future.succeededFuture(head.put("outbound_gateways", new JsonObject())
          .put("inbound_gateways", new JsonObject()));
    }
    boolean accs = accounts || (accountName != null && !accountName.isEmpty());
    String url = server.gatewayUrl();
    int colon = url.lastIndexOf(':');
    head.put("name", gateways.name()).put("host", url.substring(0, colon))
        .put("port", Integer.parseInt(url.substring(colon + 1)));
    long now = System.currentTimeMillis();
    return gateways.withGateways(links -> {
      JsonObject out = new JsonObject();
      for (GatewayConnection c : links.outbound()) {
        if (keep(gatewayName, c)) {
          JsonObject g = new JsonObject().put("configured", c.configured()).put("connection", connection(c, now));
          if (accs) {
            g.put("accounts", outboundAccounts(c, accountName, subs, subsDetail));
          }
          out.put(c.gatewayName(), g);
        }
      }
      JsonObject in = new JsonObject();
      for (GatewayConnection c : links.inbound()) {
        if (keep(gatewayName, c)) {
          JsonObject g = new JsonObject().put("configured", false).put("connection", connection(c, now));
          if (accs) {
            JsonArray list = new JsonArray();
            for (String a : c.switchedAccounts()) {
              if (accountName == null || accountName.isEmpty() || accountName.equals(a)) {
                list.add(account(a, 0, 0));
              }
            }
            g.put("accounts", list);
          }
          JsonArray same = in.getJsonArray(c.gatewayName());
          if (same == null) {
            in.put(c.gatewayName(), same = new JsonArray());
          }
          same.add(g);
        }
      }
      return head.put("outbound_gateways", out).put("inbound_gateways", in);
    });
  }

  private static boolean keep(String gatewayName, GatewayConnection c) {
    return gatewayName == null || gatewayName.isEmpty() || gatewayName.equals(c.gatewayName());
  }

  private static JsonArray outboundAccounts(GatewayConnection c, String accountName, boolean subs,
      boolean subsDetail) {
    JsonArray list = new JsonArray();
    for (Map.Entry<String, List<Subscription>> e : c.remoteSubscriptions().entrySet()) {
      if (accountName != null && !accountName.isEmpty() && !accountName.equals(e.getKey())) {
        continue;
      }
      int queues = (int) e.getValue().stream().filter(s -> s.queue() != null).count();
      JsonObject a = account(e.getKey(), e.getValue().size(), queues);
      if (subs && !e.getValue().isEmpty()) {
        JsonArray names = new JsonArray();
        e.getValue().forEach(s -> names.add(s.subject()));
        a.put("subscriptions_list", names);
      }
      if (subsDetail && !e.getValue().isEmpty()) {
        JsonArray detail = new JsonArray();
        for (Subscription s : e.getValue()) {
          JsonObject d = new JsonObject().put("account", e.getKey()).put("subject", s.subject());
          if (s.queue() != null) {
            d.put("qgroup", s.queue());
          }
          detail.add(d.put("sid", s.sid()).put("msgs", 0).put("cid", c.id()));
        }
        a.put("subscriptions_list_detail", detail);
      }
      list.add(a);
    }
    return list;
  }

  private static JsonObject account(String name, int subs, int queues) {
    JsonObject a = new JsonObject().put("name", name).put("interest_mode", "Interest-Only")
        .put("interest_only_threshold", INTEREST_ONLY_THRESHOLD);
    if (subs > 0) {
      a.put("num_subs", subs);
    }
    if (queues > 0) {
      a.put("num_queue_subs", queues);
    }
    return a;
  }

  /** nats-server's ConnInfo of a gateway link: the far server's id as its name. */
  private static JsonObject connection(GatewayConnection c, long now) {
    ConnectionInfo ci = c.info(false, 0);
    JsonObject o = new JsonObject()
        .put("cid", ci.cid())
        .put("kind", ci.kind())
        .put("ip", ci.ip())
        .put("port", ci.port())
        .put("start", GoFormat.time(ci.start()))
        .put("last_activity", GoFormat.time(ci.lastActivity()));
    if (ci.rttNanos() > 0) {
      o.put("rtt", GoFormat.duration(Duration.ofNanos(ci.rttNanos())));
    }
    o.put("uptime", GoFormat.uptime(Duration.ofMillis(now - ci.start())))
        .put("idle", GoFormat.uptime(Duration.ofMillis(Math.max(0, now - ci.lastActivity()))))
        .put("pending_bytes", ci.pendingBytes())
        .put("in_msgs", ci.inMsgs())
        .put("out_msgs", ci.outMsgs())
        .put("in_bytes", ci.inBytes())
        .put("out_bytes", ci.outBytes())
        .put("subscriptions", ci.subscriptions())
        .put("name", c.remoteId());
    return o;
  }
}
