package io.natsvx.config;

import io.vertx.core.json.JsonObject;

/**
 * The account resolver of operator mode: the plugin that holds the account tokens (by id),
 * the bundled jar it comes in ({@code bundled-plugins/<jar>} in the server's jar; null for a
 * plugin from {@code plugins_dir}), the config the plugin starts with, how long a lookup in the
 * system account may take, and how often a full directory resolver compares its tokens with the
 * other servers'. Immutable.
 */
public record ResolverOptions(String pluginId, String bundledJar, JsonObject config, long fetchTimeoutMillis,
    long syncIntervalMillis) {

  /** nats-server's DEFAULT_ACCOUNT_FETCH_TIMEOUT. */
  public static final long DEFAULT_FETCH_TIMEOUT_MILLIS = 1900;

  public ResolverOptions {
    config = config.copy();
  }

  @Override
  public JsonObject config() {
    return config.copy();
  }

  static ResolverOptions memory() {
    return new ResolverOptions("memory-resolver", "natsvx-resolver-memory.jar", new JsonObject(),
        DEFAULT_FETCH_TIMEOUT_MILLIS, 0);
  }

  static ResolverOptions url(String url) {
    return new ResolverOptions("url-resolver", "natsvx-resolver-url.jar",
        new JsonObject().put("url", url).put("timeout_ms", DEFAULT_FETCH_TIMEOUT_MILLIS), DEFAULT_FETCH_TIMEOUT_MILLIS, 0);
  }
}
