package io.natsvx.monitor;

import io.natsvx.conn.ConnectionInfo;
import io.natsvx.leaf.LeafConnection;
import io.natsvx.leaf.LeafNodeVerticle;
import io.natsvx.server.ServerContext;
import io.natsvx.subject.Subscription;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/**
 * /leafz as nats-server 2.9 shapes it (monitor.go Leafz, LeafInfo): the bound leaf links, each
 * with its account, address, round trip, traffic and subscription count; their subjects with
 * {@code subs=1}; only one account's with {@code acc}. Each link read on its loop.
 */
public final class Leafz {

  private Leafz() {}

  public static Future<JsonObject> build(ServerContext server, LeafNodeVerticle leafs, boolean subs, String account) {
    JsonObject head = new JsonObject().put("server_id", server.serverId()).put("now", GoFormat.now());
    if (leafs == null) {
      return Future.succeededFuture(head.put("leafnodes", 0).put("leafs", new JsonArray()));
    }
    return leafs.withLeafs(c -> account != null && !account.isEmpty() && !account.equals(c.account()) ? null
        : leaf(c, subs)).map(list -> head.put("leafnodes", list.size()).put("leafs", new JsonArray(list)));
  }

  private static JsonObject leaf(LeafConnection c, boolean subs) {
    ConnectionInfo ci = c.info(false, 0);
    JsonObject o = new JsonObject()
        .put("account", c.account())
        .put("ip", ci.ip())
        .put("port", ci.port());
    // nats-server always has one, "0s" before the first PONG
    o.put("rtt", GoFormat.duration(Duration.ofNanos(Math.max(0, ci.rttNanos()))));
    o.put("in_msgs", ci.inMsgs()).put("out_msgs", ci.outMsgs()).put("in_bytes", ci.inBytes())
        .put("out_bytes", ci.outBytes()).put("subscriptions", c.subscriptionCount());
    if (subs) {
      JsonArray list = new JsonArray();
      for (List<Subscription> l : c.remoteSubscriptions().values()) {
        l.forEach(s -> list.add(s.subject()));
      }
      if (!list.isEmpty()) {
        o.put("subscriptions_list", list);
      }
    }
    return o;
  }
}
