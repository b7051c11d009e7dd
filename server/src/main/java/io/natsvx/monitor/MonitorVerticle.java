package io.natsvx.monitor;

import io.natsvx.server.ServerContext;
import io.natsvx.config.ServerOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/**
 * The HTTP monitoring listener ({@code http_port}, {@code http: host:port},
 * {@code http_base_path}): nats-server's endpoints with its JSON, query parameters and JSONP
 * {@code callback}, plus Prometheus {@code /metrics}. Producers run off the event loop where
 * they read files; connection details are taken on each connection's own loop.
 */
public final class MonitorVerticle extends VerticleBase {

  private final ServerContext server;
  private final ServerMetrics metrics;
  private HttpServer http;
  private String basePath;

  private final Monitored parts;

  public MonitorVerticle(ServerContext server, Monitored parts, ServerMetrics metrics) {
    this.parts = parts;
    this.server = server;
    this.metrics = metrics;
  }

  /** The port bound (useful when a random one was asked for). */
  public int actualPort() {
    return http.actualPort();
  }

  @Override
  public Future<?> start() {
    // The page is read from the jar on a worker: start() runs on an event loop.
    return vertx.executeBlocking(MonitorVerticle::loadDashboard).compose(this::listen);
  }

  private Future<HttpServer> listen(String dashboard) {
    ServerOptions o = server.options();
    basePath = normalize(o.httpBasePath());
    Router router = Router.router(vertx);
    route(router, "varz", ctx -> blocking(ctx, () -> Varz.build(server, parts.jetStream(), httpHost(), actualPort(),
        o.httpBasePath())));
    route(router, "connz", this::connz);
    route(router, "subsz", this::subsz);
    route(router, "subscriptionsz", this::subsz);
    route(router, "routez", ctx -> {
      boolean detail = "detail".equalsIgnoreCase(ctx.request().getParam("subs"));
      Boolean subs = detail ? Boolean.FALSE : bool(ctx, "subs");
      if (subs != null) {
        Routez.build(server, parts.routes(), subs, detail).onSuccess(json -> reply(ctx, 200, json))
            .onFailure(e -> error(ctx, 500, String.valueOf(e.getMessage())));
      }
    });
    route(router, "gatewayz", ctx -> {
      boolean detail = "detail".equalsIgnoreCase(ctx.request().getParam("subs"));
      Boolean subs = detail ? Boolean.FALSE : bool(ctx, "subs");
      Boolean accs = subs == null ? null : bool(ctx, "accs");
      if (accs != null) {
        Gatewayz.build(server, parts.gateways(), accs, ctx.request().getParam("gw_name"),
            ctx.request().getParam("acc_name"), subs, detail).onSuccess(json -> reply(ctx, 200, json))
            .onFailure(e -> error(ctx, 500, String.valueOf(e.getMessage())));
      }
    });
    route(router, "leafz", ctx -> {
      Boolean subs = bool(ctx, "subs");
      if (subs != null) {
        Leafz.build(server, parts.leafNodes(), subs, ctx.request().getParam("acc"))
            .onSuccess(json -> reply(ctx, 200, json)).onFailure(e -> error(ctx, 500, String.valueOf(e.getMessage())));
      }
    });
    route(router, "accountz", ctx -> reply(ctx, 200, FeatureEndpoints.accountz(server)));
    route(router, "accstatz", ctx -> {
      Boolean unused = bool(ctx, "unused");
      if (unused != null) {
        reply(ctx, 200, FeatureEndpoints.accstatz(server, unused));
      }
    });
    route(router, "jsz", ctx -> {
      Boolean acc = bool(ctx, "accounts");
      Boolean streams = acc == null ? null : bool(ctx, "streams");
      Boolean consumers = streams == null ? null : bool(ctx, "consumers");
      Boolean config = consumers == null ? null : bool(ctx, "config");
      if (config == null) {
        return;
      }
      String account = ctx.request().getParam("acc");
      // stream state is read under the store's lock: on a worker
      vertx.executeBlocking(() -> Jsz.build(server, parts.jetStream(), new Jsz.Options(acc || account != null, streams || consumers,
          consumers, config, account)), false).onSuccess(json -> reply(ctx, 200, json));
    });
    route(router, "healthz", ctx -> {
      Healthz.Result r = Healthz.check(server, isSet(ctx, "js-enabled-only") || isSet(ctx, "js-server-only"));
      reply(ctx, r.httpStatus(), r.body());
    });
    route(router, "metrics", ctx -> vertx.executeBlocking(metrics::scrape, false).onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(ar.result());
      } else {
        error(ctx, 500, String.valueOf(ar.cause().getMessage()));
      }
    }));
    route(router, "dashboard", ctx -> ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end(dashboard));
    router.route(basePath).handler(this::index);
    if (!basePath.equals("/")) {
      router.route(basePath + "/").handler(this::index);
    }
    HttpServerOptions httpOptions = new HttpServerOptions();
    int port = o.httpPort();
    if (o.httpsPort() != 0) {
      // https_port serves with the client listener's certificate, as nats-server does.
      httpOptions.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(o.tls().certFile())
          .setKeyPath(o.tls().keyFile()));
      port = o.httpsPort();
    }
    http = vertx.createHttpServer(httpOptions).requestHandler(router);
    return http.listen(port < 0 ? 0 : port, httpHost());
  }

  /** A flag parameter as nats-server reads it: present and not "false". */
  private static boolean isSet(RoutingContext ctx, String name) {
    String v = ctx.request().getParam(name);
    return v != null && !v.equalsIgnoreCase("false") && !v.equals("0");
  }

  private String httpHost() {
    String h = server.options().httpHost();
    return h == null ? server.options().host() : h;
  }

  private void route(Router router, String name, io.vertx.core.Handler<RoutingContext> handler) {
    String stat = "/" + name;
    router.route(basePath.equals("/") ? stat : basePath + stat).handler(ctx -> {
      server.countHttpRequest(stat);
      handler.handle(ctx);
    });
  }

  private void connz(RoutingContext ctx) {
    Boolean subs = null;
    boolean detail = "detail".equalsIgnoreCase(ctx.request().getParam("subs"));
    if (!detail) {
      subs = bool(ctx, "subs");
      if (subs == null) {
        return;
      }
    }
    Boolean auth = bool(ctx, "auth");
    Integer offset = integer(ctx, "offset");
    Integer limit = integer(ctx, "limit");
    Long cid = unsigned(ctx, "cid");
    if (auth == null || offset == null || limit == null || cid == null) {
      return;
    }
    String state = ctx.request().getParam("state");
    state = state == null || state.isEmpty() ? "open" : state.toLowerCase();
    if (state.equals("any") || state.equals("all")) {
      state = "any";
    } else if (!state.equals("open") && !state.equals("closed")) {
      error(ctx, 400, "Error decoding state for " + ctx.request().getParam("state"));
      return;
    }
    String sort = ctx.request().getParam("sort");
    String acc = ctx.request().getParam("acc");
    String mqtt = ctx.request().getParam("mqtt_client");
    Connz.Options opts = new Connz.Options(sort == null || sort.isEmpty() ? "cid" : sort, !detail && subs, detail,
        offset, limit <= 0 ? Connz.DEFAULT_LIMIT : limit, cid, state, auth,
        acc == null || acc.isEmpty() ? null : acc, mqtt == null || mqtt.isEmpty() ? null : mqtt);
    String invalid = Connz.validate(opts);
    if (invalid != null) {
      error(ctx, 400, invalid);
      return;
    }
    Connz.build(server, opts).onComplete(ar -> {
      if (ar.succeeded()) {
        reply(ctx, 200, ar.result());
      } else {
        error(ctx, 500, String.valueOf(ar.cause().getMessage()));
      }
    });
  }

  private void subsz(RoutingContext ctx) {
    Boolean subs = bool(ctx, "subs");
    Integer offset = integer(ctx, "offset");
    Integer limit = integer(ctx, "limit");
    if (subs == null || offset == null || limit == null) {
      return;
    }
    String test = ctx.request().getParam("test");
    Subsz.Options opts = new Subsz.Options(subs, offset, limit, test == null || test.isEmpty() ? null : test);
    String invalid = Subsz.validate(opts);
    if (invalid != null) {
      error(ctx, 400, invalid);
      return;
    }
    reply(ctx, 200, Subsz.build(server, opts));
  }

  private void index(RoutingContext ctx) {
    server.countHttpRequest("/");
    StringBuilder links = new StringBuilder();
    String prefix = basePath.equals("/") ? "" : basePath;
    String[][] pages = {{"varz", "General"}, {"jsz", "JetStream"}, {"connz", "Connections"}, {"accountz", "Accounts"},
        {"accstatz", "Account Stats"}, {"subsz", "Subscriptions"}, {"routez", "Routes"}, {"leafz", "LeafNodes"},
        {"gatewayz", "Gateways"}, {"healthz", "Health Probe"}, {"metrics", "Prometheus Metrics"},
        {"dashboard", "Dashboard"}};
    for (String[] p : pages) {
      links.append("  <a href=\"").append(prefix).append('/').append(p[0]).append("\">").append(p[1]).append("</a>\n");
    }
    ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end("""
        <html lang="en">
        <head><title>natsvx</title>
        <style>body { font-family: system-ui, sans-serif; margin-left: 32px } a { display: block; padding-bottom: 6px }</style>
        </head>
        <body>
        <h1>natsvx</h1>
        <p>%s, nats-server %s protocol level</p>
        %s</body>
        </html>
        """.formatted(server.serverName(), ServerContext.PROTOCOL_VERSION, links));
  }

  private void blocking(RoutingContext ctx, java.util.concurrent.Callable<JsonObject> producer) {
    vertx.executeBlocking(producer, false).onComplete(ar -> {
      if (ar.succeeded()) {
        reply(ctx, 200, ar.result());
      } else {
        error(ctx, 500, String.valueOf(ar.cause().getMessage()));
      }
    });
  }

  /** JSON as nats-server sends it, or JSONP when a callback is asked for. */
  private void reply(RoutingContext ctx, int status, JsonObject body) {
    String json = body.encodePrettily();
    String callback = ctx.request().getParam("callback");
    var response = ctx.response().setStatusCode(status);
    if (callback != null && !callback.isEmpty()) {
      response.putHeader("Content-Type", "application/javascript").end(callback + "(" + json + ")");
    } else {
      response.putHeader("Content-Type", "application/json").end(json);
    }
  }

  private static void error(RoutingContext ctx, int status, String text) {
    ctx.response().setStatusCode(status).end(text);
  }

  /** Query decoding with nats-server's 400 texts; null after answering with an error. */
  private static Boolean bool(RoutingContext ctx, String name) {
    return decode(ctx, name, "boolean", Boolean.FALSE, v -> switch (v.toLowerCase()) {
      case "1", "t", "true" -> Boolean.TRUE;
      case "0", "f", "false" -> Boolean.FALSE;
      default -> null;
    });
  }

  private static Integer integer(RoutingContext ctx, String name) {
    return decode(ctx, name, "int", 0, v -> {
      try {
        return Integer.parseInt(v);
      } catch (NumberFormatException e) {
        return null;
      }
    });
  }

  private static Long unsigned(RoutingContext ctx, String name) {
    return decode(ctx, name, "uint64", 0L, v -> {
      try {
        long n = Long.parseLong(v);
        return n < 0 ? null : n;
      } catch (NumberFormatException e) {
        return null;
      }
    });
  }

  private static <T> T decode(RoutingContext ctx, String name, String type, T absent, Function<String, T> parse) {
    String v = ctx.request().getParam(name);
    if (v == null || v.isEmpty()) {
      return absent;
    }
    T parsed = parse.apply(v);
    if (parsed == null) {
      error(ctx, 400, "Error decoding " + type + " for '" + name + "': invalid syntax \"" + v + "\"");
    }
    return parsed;
  }

  /** The dashboard page: one static file, read once at start. */
  private static String loadDashboard() {
    try (var in = MonitorVerticle.class.getResourceAsStream("dashboard.html")) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException | NullPointerException e) {
      throw new IllegalStateException("dashboard.html missing from the jar", e);
    }
  }

  static String normalize(String base) {
    if (base == null || base.isEmpty()) {
      return "/";
    }
    String p = base.startsWith("/") ? base : "/" + base;
    while (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }
}
