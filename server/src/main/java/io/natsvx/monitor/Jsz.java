package io.natsvx.monitor;

import io.natsvx.server.ServerContext;
import io.natsvx.jetstream.JetStream;
import io.natsvx.jetstream.JsAccount;
import io.natsvx.jetstream.consumer.Consumer;
import io.natsvx.jetstream.store.StreamState;
import io.natsvx.jetstream.stream.Stream;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * /jsz and the system account's JSZ: nats-server's JSInfo (config, usage, API counters,
 * totals) and with {@code accounts=true} each account's streams, with {@code streams},
 * {@code consumers} and {@code config} adding detail. Reads stream state: worker only.
 */
public final class Jsz {

  /** The query: which details, and for which account (null: all). */
  public record Options(boolean accounts, boolean streams, boolean consumers, boolean config, String account) {}

  private Jsz() {}

  /** /varz's {@code jetstream}: the config and the stats, empty when JetStream is off. */
  public static JsonObject varz(JetStream js) {
    if (js == null) {
      return new JsonObject();
    }
    long memory = 0;
    long storage = 0;
    long apiTotal = 0;
    long apiErrors = 0;
    for (JsAccount a : js.accounts()) {
      for (Stream s : a.streams()) {
        if (s.config().memory()) {
          memory += s.store().state().bytes();
        } else {
          storage += s.store().state().bytes();
        }
      }
      apiTotal += a.apiTotal().get();
      apiErrors += a.apiErrors().get();
    }
    return new JsonObject().put("config", config(js)).put("stats", stats(js, memory, storage, apiTotal, apiErrors));
  }

  /** nats-server's JetStreamConfig, with natsvx's sync settings. */
  private static JsonObject config(JetStream js) {
    var opts = js.options();
    JsonObject config = new JsonObject()
        .put("max_memory", js.maxMemory())
        .put("max_storage", js.maxStore())
        .put("store_dir", js.root().toString())
        .put("sync_interval", opts.syncAlways() ? 0 : opts.syncInterval().toNanos())
        .put("sync_always", opts.syncAlways());
    if (opts.domain() != null) {
      config.put("domain", opts.domain());
    }
    return config;
  }

  /** nats-server's JetStreamStats: usage, reservations (max_bytes of the streams that set one), API counters. */
  private static JsonObject stats(JetStream js, long memory, long storage, long apiTotal, long apiErrors) {
    return new JsonObject().put("memory", memory).put("storage", storage)
        .put("reserved_memory", js.reserved(true)).put("reserved_storage", js.reserved(false))
        .put("accounts", js.accounts().size()).put("ha_assets", 0)
        .put("api", new JsonObject().put("total", apiTotal).put("errors", apiErrors));
  }

  public static JsonObject build(ServerContext server, JetStream js, Options o) {
    JsonObject out = new JsonObject().put("server_id", server.serverId()).put("now", GoFormat.now());
    if (js == null) {
      return out.put("disabled", true)
          .put("config", new JsonObject().put("max_memory", 0).put("max_storage", 0))
          .put("memory", 0).put("storage", 0).put("reserved_memory", 0).put("reserved_storage", 0)
          .put("accounts", 0).put("ha_assets", 0).put("api", new JsonObject().put("total", 0).put("errors", 0))
          .put("streams", 0).put("consumers", 0).put("messages", 0).put("bytes", 0);
    }
    JsonObject config = config(js);
    long memory = 0;
    long storage = 0;
    long streams = 0;
    long consumers = 0;
    long messages = 0;
    long bytes = 0;
    long apiTotal = 0;
    long apiErrors = 0;
    JsonArray details = new JsonArray();
    for (JsAccount a : js.accounts()) {
      JsonArray streamDetails = new JsonArray();
      long accMemory = 0;
      long accStorage = 0;
      for (Stream s : a.streams()) {
        StreamState st = s.store().state();
        if (s.config().memory()) {
          accMemory += st.bytes();
        } else {
          accStorage += st.bytes();
        }
        streams++;
        consumers += s.consumerCount();
        messages += st.msgs();
        bytes += st.bytes();
        if (o.streams()) {
          JsonObject info = s.info(s.consumerCount());
          JsonObject d = new JsonObject().put("name", s.name()).put("created", info.getString("created"))
              .put("state", info.getJsonObject("state"));
          if (o.config()) {
            d.put("config", info.getJsonObject("config"));
          }
          if (o.consumers()) {
            JsonArray cs = new JsonArray();
            for (Consumer c : a.consumers(s).listed()) {
              JsonObject ci = c.info();
              if (!o.config()) {
                ci.remove("config");
              }
              cs.add(ci);
            }
            d.put("consumer_detail", cs);
          }
          streamDetails.add(d);
        }
      }
      memory += accMemory;
      storage += accStorage;
      apiTotal += a.apiTotal().get();
      apiErrors += a.apiErrors().get();
      String name = a.account().name();
      if (o.accounts() && (o.account() == null || o.account().equals(name))) {
        JsonObject d = new JsonObject().put("name", name).put("id", name).put("memory", accMemory)
            .put("storage", accStorage).put("reserved_memory", a.reserved(true, null))
            .put("reserved_storage", a.reserved(false, null))
            .put("accounts", 1).put("ha_assets", 0)
            .put("api", new JsonObject().put("total", a.apiTotal().get()).put("errors", a.apiErrors().get()));
        if (o.streams()) {
          d.put("stream_detail", streamDetails);
        }
        details.add(d);
      }
    }
    out.put("config", config).mergeIn(stats(js, memory, storage, apiTotal, apiErrors))
        .put("streams", streams).put("consumers", consumers).put("messages", messages).put("bytes", bytes);
    if (o.accounts()) {
      out.put("account_details", details);
    }
    return out;
  }
}
