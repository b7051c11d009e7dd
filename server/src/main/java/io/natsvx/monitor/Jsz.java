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

  public static JsonObject build(ServerContext server, JetStream js, Options o) {
    JsonObject out = new JsonObject().put("server_id", server.serverId()).put("now", GoFormat.now());
    if (js == null) {
      return out.put("disabled", true)
          .put("config", new JsonObject().put("max_memory", 0).put("max_storage", 0))
          .put("memory", 0).put("storage", 0).put("reserved_memory", 0).put("reserved_storage", 0)
          .put("accounts", 0).put("ha_assets", 0).put("api", new JsonObject().put("total", 0).put("errors", 0))
          .put("streams", 0).put("consumers", 0).put("messages", 0).put("bytes", 0);
    }
    var opts = js.options();
    JsonObject config = new JsonObject()
        .put("max_memory", opts.maxMemory() < 0 ? Runtime.getRuntime().maxMemory() * 3 / 4 : opts.maxMemory())
        .put("max_storage", opts.maxFile() < 0 ? 1L << 40 : opts.maxFile())
        .put("store_dir", js.root().toString())
        .put("sync_interval", opts.syncAlways() ? 0 : opts.syncInterval().toNanos())
        .put("sync_always", opts.syncAlways());
    if (opts.domain() != null) {
      config.put("domain", opts.domain());
    }
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
            for (Consumer c : a.consumers(s).all()) {
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
            .put("storage", accStorage).put("reserved_memory", 0).put("reserved_storage", 0)
            .put("accounts", 1).put("ha_assets", 0)
            .put("api", new JsonObject().put("total", a.apiTotal().get()).put("errors", a.apiErrors().get()));
        if (o.streams()) {
          d.put("stream_detail", streamDetails);
        }
        details.add(d);
      }
    }
    out.put("config", config).put("memory", memory).put("storage", storage).put("reserved_memory", 0)
        .put("reserved_storage", 0).put("accounts", js.accounts().size()).put("ha_assets", 0)
        .put("api", new JsonObject().put("total", apiTotal).put("errors", apiErrors))
        .put("streams", streams).put("consumers", consumers).put("messages", messages).put("bytes", bytes);
    if (o.accounts()) {
      out.put("account_details", details);
    }
    return out;
  }
}
