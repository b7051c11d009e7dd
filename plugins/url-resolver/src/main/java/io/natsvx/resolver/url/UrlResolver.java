package io.natsvx.resolver.url;

import io.natsvx.plugin.api.AccountResolver;
import io.natsvx.plugin.api.PluginContext;
import io.vertx.core.Future;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * nats-server's {@code resolver: URL(<base>)}: an account's token is the body of a 200 answer to
 * {@code GET <base>/<account public key>} (an nsc account server, or anything that serves the
 * files). Read-only; the base URL itself must answer 200 at start. Config: {@code url},
 * {@code timeout_ms} (nats-server's 1.9 s).
 */
public final class UrlResolver implements AccountResolver {

  private WebClient client;
  private String base;
  private long timeoutMillis;

  @Override
  public String id() {
    return "url-resolver";
  }

  @Override
  public Future<Void> start(PluginContext context) {
    String url = context.config().getString("url", "");
    if (url.isEmpty()) {
      return Future.failedFuture("url is required");
    }
    base = url.endsWith("/") ? url : url + "/";
    timeoutMillis = context.config().getLong("timeout_ms", 1900L);
    client = WebClient.create(context.vertx(), new WebClientOptions().setKeepAliveTimeout(30)
        .setUserAgent("natsvx-url-resolver"));
    context.log("fetching account tokens from " + base);
    // as nats-server does: the base URL must answer 200 before the server starts
    return fetch("").mapEmpty();
  }

  @Override
  public Future<Void> stop() {
    if (client != null) {
      client.close();
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<String> fetch(String accountPublicKey) {
    String url = base + accountPublicKey;
    return client.getAbs(url).timeout(timeoutMillis).send()
        .recover(e -> Future.failedFuture("could not fetch <\"" + url + "\">: " + e.getMessage()))
        .compose(r -> r.statusCode() == 200 ? Future.succeededFuture(r.body() == null ? "" : r.bodyAsString())
            : Future.failedFuture("could not fetch <\"" + url + "\">: " + r.statusCode() + " " + r.statusMessage()));
  }

  @Override
  public Future<Void> store(String accountPublicKey, String jwt) {
    return Future.failedFuture("store operation not supported for URL Resolver");
  }

  @Override
  public boolean readOnly() {
    return true;
  }
}
