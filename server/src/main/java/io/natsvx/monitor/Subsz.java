package io.natsvx.monitor;

import io.natsvx.server.ServerContext;
import io.natsvx.account.Account;
import io.natsvx.conn.ConnectionInfo;
import io.natsvx.subject.SubjectIndex;
import io.natsvx.subject.Subjects;
import io.natsvx.subject.Subscription;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** /subsz: the subscription index's statistics and, with subs=1, its subscriptions. */
public final class Subsz {

  public record Options(boolean subs, int offset, int limit, String test) {}

  private Subsz() {}

  /** The error text for a bad test subject, else null. */
  public static String validate(Options o) {
    if (o.test() != null && !Subjects.isValidLiteralSubject(o.test())) {
      return "invalid test subject, must be valid publish subject: " + o.test();
    }
    return null;
  }

  public static JsonObject build(ServerContext server, Options o) {
    SubjectIndex.Stats st = stats(server);
    JsonObject j = new JsonObject()
        .put("server_id", server.serverId())
        .put("now", GoFormat.now())
        .put("num_subscriptions", st.numSubscriptions())
        .put("num_cache", st.numCache())
        .put("num_inserts", st.numInserts())
        .put("num_removes", st.numRemoves())
        .put("num_matches", st.numMatches())
        .put("cache_hit_rate", st.cacheHitRate())
        .put("max_fanout", st.maxFanout())
        .put("avg_fanout", st.avgFanout());
    int limit = o.limit() > 0 ? o.limit() : Connz.DEFAULT_LIMIT;
    int offset = Math.max(0, o.offset());
    int total = 0;
    if (o.subs()) {
      List<ConnectionInfo.Sub> subs = new ArrayList<>();
      for (Account a : server.accounts().all()) {
        for (Subscription s : a.subjects().all()) {
          if (o.test() == null || Subjects.matches(s.subject(), o.test())) {
            subs.add(new ConnectionInfo.Sub(a.name(), s.subject(), s.queue(), s.sid(), s.delivered(), s.max(),
                s.owner().id()));
          }
        }
      }
      total = subs.size();
      JsonArray list = new JsonArray();
      int to = Math.min(offset + limit, subs.size());
      for (int i = Math.min(offset, subs.size()); i < to; i++) {
        list.add(detail(subs.get(i), true));
      }
      j.put("total", total).put("offset", offset).put("limit", limit);
      if (!list.isEmpty()) {
        j.put("subscriptions_list", list);
      }
    } else {
      j.put("total", total).put("offset", offset).put("limit", limit);
    }
    return j;
  }

  /** The statistics of every account's index, added up (nats-server's /subsz is server-wide). */
  private static SubjectIndex.Stats stats(ServerContext server) {
    int subs = 0;
    int cache = 0;
    long inserts = 0;
    long removes = 0;
    long matches = 0;
    double hits = 0;
    int maxFanout = 0;
    double fanoutSum = 0;
    for (Account a : server.accounts().all()) {
      SubjectIndex.Stats s = a.subjects().stats();
      subs += s.numSubscriptions();
      cache += s.numCache();
      inserts += s.numInserts();
      removes += s.numRemoves();
      matches += s.numMatches();
      hits += s.cacheHitRate() * s.numMatches();
      maxFanout = Math.max(maxFanout, s.maxFanout());
      fanoutSum += s.avgFanout() * s.numCache();
    }
    return new SubjectIndex.Stats(subs, cache, inserts, removes, matches, matches == 0 ? 0 : hits / matches,
        maxFanout, cache == 0 ? 0 : fanoutSum / cache);
  }

  /** nats-server's SubDetail; /connz leaves the account out. */
  public static JsonObject detail(ConnectionInfo.Sub s, boolean withAccount) {
    return Varz.compact(new JsonObject()
        .put("account", withAccount ? s.account() : null)
        .put("subject", s.subject())
        .put("qgroup", s.queue())
        .put("sid", s.sid())
        .put("msgs", s.msgs())
        .put("max", s.max() > 0 ? s.max() : null)
        .put("cid", s.cid()));
  }
}
