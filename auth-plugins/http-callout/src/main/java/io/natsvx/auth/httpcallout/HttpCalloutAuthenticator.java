package io.natsvx.auth.httpcallout;

import io.natsvx.plugin.api.AuthRequest;
import io.natsvx.plugin.api.AuthResult;
import io.natsvx.plugin.api.Authenticator;
import io.natsvx.plugin.api.Permissions;
import io.natsvx.plugin.api.PluginContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Asks an HTTP service whether a client may connect: POSTs {@code {"connect":{...CONNECT
 * fields...},"client":{"address":...,"port":...}}} to {@code url} and expects 200 with
 * {@code {"allow":true,"user":...,"account":...,"permissions":{"publish":{"allow":[],"deny":[]},
 * "subscribe":{...},"allow_responses":false}}}. Anything else, an error or no answer within
 * {@code timeout_ms} (default 2000) refuses the client. Decisions are cached for
 * {@code cache_ttl_ms} (default 60000) per set of credentials. Thread-safe.
 */
public final class HttpCalloutAuthenticator implements Authenticator {

  /** A cached decision and when it expires. */
  private record Cached(AuthResult result, long expiresAtNanos) {}

  private static final List<String> CREDENTIALS = List.of("user", "pass", "auth_token", "nkey", "jwt");

  private WebClient client;
  private String url;
  private long timeoutMs;
  private long ttlNanos;
  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

  @Override
  public String id() {
    return "http-callout";
  }

  @Override
  public Future<Void> start(PluginContext ctx) {
    url = ctx.config().getString("url");
    if (url == null || url.isEmpty()) {
      return Future.failedFuture("http-callout: the \"url\" setting is required");
    }
    timeoutMs = ctx.config().getLong("timeout_ms", 2000L);
    ttlNanos = ctx.config().getLong("cache_ttl_ms", 60_000L) * 1_000_000L;
    client = WebClient.create(ctx.vertx());
    ctx.log("asking " + url);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> stop() {
    if (client != null) {
      client.close();
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<AuthResult> authenticate(AuthRequest request) {
    String key = cacheKey(request.connect());
    Cached hit = cache.get(key);
    if (hit != null && System.nanoTime() < hit.expiresAtNanos()) {
      return Future.succeededFuture(hit.result());
    }
    JsonObject body = new JsonObject()
        .put("connect", request.connect())
        .put("client", new JsonObject().put("address", request.remoteAddress()).put("port", request.remotePort()));
    return client.postAbs(url).timeout(timeoutMs).sendJsonObject(body)
        .map(resp -> resp.statusCode() == 200 ? decision(resp.bodyAsJsonObject()) : AuthResult.deny())
        .otherwise(e -> AuthResult.deny())
        .onSuccess(r -> {
          if (ttlNanos > 0) {
            cache.put(key, new Cached(r, System.nanoTime() + ttlNanos));
          }
        });
  }

  private static String cacheKey(JsonObject connect) {
    JsonObject k = new JsonObject();
    for (String f : CREDENTIALS) {
      k.put(f, connect.getValue(f));
    }
    return k.encode();
  }

  static AuthResult decision(JsonObject answer) {
    if (answer == null || !answer.getBoolean("allow", false)) {
      return AuthResult.deny();
    }
    JsonObject p = answer.getJsonObject("permissions");
    Permissions perms = p == null ? null : new Permissions(
        list(p.getJsonObject("publish"), "allow"), list(p.getJsonObject("publish"), "deny"),
        list(p.getJsonObject("subscribe"), "allow"), list(p.getJsonObject("subscribe"), "deny"),
        p.getBoolean("allow_responses", false));
    return AuthResult.allow(answer.getString("user"), answer.getString("account"), perms);
  }

  @SuppressWarnings("unchecked")
  private static List<String> list(JsonObject side, String key) {
    if (side == null) {
      return null;
    }
    JsonArray a = side.getJsonArray(key);
    return a == null ? null : (List<String>) (List<?>) a.getList();
  }
}
