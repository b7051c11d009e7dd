package io.natsvx.monitor;

import io.natsvx.server.ServerContext;
import io.natsvx.conn.Connection;
import io.natsvx.client.ClientConnection;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The account endpoints in the shape nats-server gives them, for the accounts there are.
 */
public final class FeatureEndpoints {

  private FeatureEndpoints() {}

  private static JsonObject head(ServerContext server) {
    return new JsonObject().put("server_id", server.serverId()).put("now", GoFormat.now());
  }

  public static JsonObject accountz(ServerContext server) {
    JsonArray names = new JsonArray();
    server.accounts().all().forEach(a -> names.add(a.name()));
    return head(server).put("system_account", server.accounts().system().name()).put("accounts", names);
  }

  public static JsonObject accstatz(ServerContext server, boolean includeUnused) {
    int conns = 0;
    for (Connection c : server.connections()) {
      if (c.kind() == io.natsvx.conn.ConnectionKind.CLIENT) {
        conns++;
      }
    }
    JsonArray stats = new JsonArray();
    if (conns > 0 || includeUnused) {
      stats.add(new JsonObject()
          .put("acc", server.globalAccount().name())
          .put("conns", conns)
          .put("leafnodes", 0)
          .put("total_conns", conns)
          .put("sent", new JsonObject().put("msgs", server.outMsgs.sum()).put("bytes", server.outBytes.sum()))
          .put("received", new JsonObject().put("msgs", server.inMsgs.sum()).put("bytes", server.inBytes.sum()))
          .put("slow_consumers", server.slowConsumers.sum()));
    }
    return head(server).put("account_statz", stats);
  }
}
