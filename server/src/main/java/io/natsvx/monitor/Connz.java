package io.natsvx.monitor;

import io.natsvx.server.ServerContext;
import io.natsvx.conn.ConnectionInfo;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** /connz: nats-server's Connz with its sorting, paging and state filters. */
public final class Connz {

  public static final int DEFAULT_LIMIT = 1024;

  /** Query options, as nats-server's ConnzOptions. */
  public record Options(String sort, boolean subs, boolean subsDetail, int offset, int limit, long cid, String state,
      boolean auth, String account, String mqttClient) {

    public Options(String sort, boolean subs, boolean subsDetail, int offset, int limit, long cid, String state) {
      this(sort, subs, subsDetail, offset, limit, cid, state, false, null, null);
    }
  }

  private static final Map<String, Comparator<ConnectionInfo>> SORTS = Map.ofEntries(
      Map.entry("cid", Comparator.comparingLong(ConnectionInfo::cid)),
      Map.entry("start", Comparator.comparingLong(ConnectionInfo::cid)),
      Map.entry("subs", Comparator.comparingInt(ConnectionInfo::subscriptions).reversed()),
      Map.entry("pending", Comparator.comparingLong(ConnectionInfo::pendingBytes).reversed()),
      Map.entry("msgs_to", Comparator.comparingLong(ConnectionInfo::outMsgs).reversed()),
      Map.entry("msgs_from", Comparator.comparingLong(ConnectionInfo::inMsgs).reversed()),
      Map.entry("bytes_to", Comparator.comparingLong(ConnectionInfo::outBytes).reversed()),
      Map.entry("bytes_from", Comparator.comparingLong(ConnectionInfo::inBytes).reversed()),
      Map.entry("last", Comparator.comparingLong(ConnectionInfo::lastActivity).reversed()),
      Map.entry("idle", Comparator.comparingLong(ConnectionInfo::lastActivity)),
      Map.entry("uptime", Comparator.comparingLong(Connz::uptimeMillis)),
      Map.entry("stop", Comparator.comparingLong(ConnectionInfo::stop).reversed()),
      Map.entry("reason", Comparator.comparing(ci -> ci.reason() == null ? "" : ci.reason())),
      Map.entry("rtt", Comparator.comparingLong(ConnectionInfo::rttNanos).reversed()));

  private Connz() {}

  /** Checks the options as nats-server does; null when fine, else the error text. */
  public static String validate(Options o) {
    if (!SORTS.containsKey(o.sort())) {
      return "invalid sorting option: " + o.sort();
    }
    if (o.sort().equals("stop") && !o.state().equals("closed")) {
      return "sort by stop only valid on closed connections";
    }
    if (o.sort().equals("reason") && !o.state().equals("closed")) {
      return "sort by reason only valid on closed connections";
    }
    return null;
  }

  public static Future<JsonObject> build(ServerContext server, Options o) {
    boolean wantOpen = !o.state().equals("closed");
    boolean wantClosed = !o.state().equals("open");
    Future<List<ConnectionInfo>> open = wantOpen
        ? ConnectionInfos.open(server, o.subs() || o.subsDetail())
        : Future.succeededFuture(List.of());
    return open.map(openInfos -> {
      List<ConnectionInfo> all = new ArrayList<>(openInfos);
      if (wantClosed) {
        all.addAll(server.closedConnections().list());
      }
      if (o.account() != null) {
        all.removeIf(ci -> !o.account().equals(ci.account()));
      }
      if (o.mqttClient() != null) {
        all.clear(); // no MQTT clients until the MQTT listener exists
      }
      int total = all.size();
      if (o.cid() > 0) {
        all.removeIf(ci -> ci.cid() != o.cid());
        total = all.size();
      }
      all.sort(SORTS.get(o.sort()));
      int limit = o.cid() > 0 ? 1 : o.limit();
      int from = Math.min(Math.max(0, o.offset()), all.size());
      int to = Math.min(from + limit, all.size());
      long now = System.currentTimeMillis();
      JsonArray conns = new JsonArray();
      for (ConnectionInfo ci : all.subList(from, to)) {
        conns.add(json(ci, now, o));
      }
      return new JsonObject()
          .put("server_id", server.serverId())
          .put("now", GoFormat.time(now))
          .put("num_connections", conns.size())
          .put("total", total)
          .put("offset", Math.max(0, o.offset()))
          .put("limit", limit)
          .put("connections", conns);
    });
  }

  private static long uptimeMillis(ConnectionInfo ci) {
    return (ci.stop() > 0 ? ci.stop() : System.currentTimeMillis()) - ci.start();
  }

  public static JsonObject json(ConnectionInfo ci, long now, Options o) {
    long end = ci.stop() > 0 ? ci.stop() : now;
    JsonObject j = new JsonObject()
        .put("cid", ci.cid())
        .put("kind", ci.kind())
        .put("type", ci.type())
        .put("ip", ci.ip())
        .put("port", ci.port())
        .put("start", GoFormat.time(ci.start()))
        .put("last_activity", GoFormat.time(ci.lastActivity()))
        .put("stop", ci.stop() > 0 ? GoFormat.time(ci.stop()) : null)
        .put("reason", ci.reason())
        .put("rtt", ci.rttNanos() > 0 ? GoFormat.duration(Duration.ofNanos(ci.rttNanos())) : null)
        .put("uptime", GoFormat.uptime(Duration.ofMillis(end - ci.start())))
        .put("idle", GoFormat.uptime(Duration.ofMillis(Math.max(0, end - ci.lastActivity()))))
        .put("pending_bytes", ci.pendingBytes())
        .put("in_msgs", ci.inMsgs())
        .put("out_msgs", ci.outMsgs())
        .put("in_bytes", ci.inBytes())
        .put("out_bytes", ci.outBytes())
        .put("subscriptions", ci.subscriptions())
        .put("name", ci.name())
        .put("lang", ci.lang())
        .put("version", ci.version())
        .put("authorized_user", o.auth() ? ci.user() : null)
        .put("account", o.auth() && ci.user() != null ? ci.account() : null);
    List<ConnectionInfo.Sub> subs = ci.subs();
    if (subs != null && !subs.isEmpty()) {
      if (o.subsDetail()) {
        JsonArray detail = new JsonArray();
        for (ConnectionInfo.Sub s : subs) {
          detail.add(Subsz.detail(s, false));
        }
        j.put("subscriptions_list_detail", detail);
      } else if (o.subs()) {
        JsonArray list = new JsonArray();
        subs.forEach(s -> list.add(s.subject()));
        j.put("subscriptions_list", list);
      }
    }
    return Varz.compact(j);
  }
}
