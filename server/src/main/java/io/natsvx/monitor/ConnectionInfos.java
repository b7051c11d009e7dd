package io.natsvx.monitor;

import io.natsvx.server.ServerContext;
import io.natsvx.conn.Connection;
import io.natsvx.conn.ConnectionInfo;
import io.netty.channel.EventLoop;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Takes a consistent view of the open connections: one task per event loop reads its own
 * connections there, so monitoring never touches a connection from a foreign thread.
 */
final class ConnectionInfos {

  private ConnectionInfos() {}

  static Future<List<ConnectionInfo>> open(ServerContext server, boolean withSubs) {
    Map<EventLoop, List<Connection>> byLoop = new HashMap<>();
    for (Connection c : server.connections()) {
      byLoop.computeIfAbsent(c.eventLoop(), l -> new ArrayList<>()).add(c);
    }
    List<Future<List<ConnectionInfo>>> parts = new ArrayList<>();
    for (Map.Entry<EventLoop, List<Connection>> e : byLoop.entrySet()) {
      Promise<List<ConnectionInfo>> p = Promise.promise();
      List<Connection> conns = e.getValue();
      try {
        e.getKey().execute(() -> {
          List<ConnectionInfo> out = new ArrayList<>(conns.size());
          for (Connection c : conns) {
            if (!c.isClosed()) {
              out.add(c.info(withSubs, 0));
            }
          }
          p.complete(out);
        });
      } catch (RuntimeException rejected) {
        p.complete(List.of()); // that loop is shutting down
      }
      parts.add(p.future());
    }
    return Future.all(parts).map(all -> {
      List<ConnectionInfo> out = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        out.addAll(all.<List<ConnectionInfo>>resultAt(i));
      }
      return out;
    });
  }
}
