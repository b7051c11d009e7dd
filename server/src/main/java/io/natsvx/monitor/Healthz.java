package io.natsvx.monitor;

import io.natsvx.server.ServerContext;
import io.vertx.core.json.JsonObject;

/**
 * /healthz: {"status":"ok"} with 200, or 503 with the reason. The JetStream checks
 * (js-enabled-only, js-server-only) pass when JetStream is not configured, and fail, as in
 * nats-server, when it is configured but not running.
 */
public final class Healthz {

  public record Result(int httpStatus, JsonObject body) {}

  private Healthz() {}

  public static Result check(ServerContext server) {
    return check(server, false);
  }

  public static Result check(ServerContext server, boolean jetStreamCheck) {
    if (server.isLameDuck() || server.isShuttingDown()) {
      String why = server.isLameDuck() ? "server is in lame duck mode" : "server is shutting down";
      return new Result(503, new JsonObject().put("status", "unavailable").put("error", why));
    }
    if (server.clientPort() <= 0) {
      return new Result(503, new JsonObject().put("status", "unavailable")
          .put("error", "not ready for connections"));
    }
    if (jetStreamCheck && server.options().jetStream().enabled() && !server.jetStreamRunning()) {
      return new Result(503, new JsonObject().put("status", "unavailable").put("error", "JetStream not enabled"));
    }
    return new Result(200, new JsonObject().put("status", "ok"));
  }
}
