package io.natsvx.link;

import io.natsvx.log.ServerLog;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.net.URI;
import java.util.HashSet;
import java.util.Set;

/**
 * Dials the far ends of one kind of link and keeps dialing (nats-server's connect-retry loops
 * for routes, gateways and leaf nodes): a configured URL forever, one learned by gossip a
 * limited number of times, one second apart or with a backoff doubling to thirty seconds. Knows
 * which host:port are configured or being dialed (so gossip does not dial them twice) and which
 * turned out to be this server (never dialed again). The link verticle's loop only.
 */
public final class LinkDialer {

  /** nats-server's DEFAULT_ROUTE_CONNECT and the cap of its backoff. */
  public static final long CONNECT_DELAY_MILLIS = 1000;
  public static final long MAX_BACKOFF_MILLIS = 30_000;

  /** How a URL is retried: forever or {@code retries} times, with or without the backoff. */
  public record Retry(boolean forever, int retries, boolean backoff) {}

  /** Gets each socket dialed, with the URL and how it was being retried. */
  public interface Connected {
    void connected(NetSocket socket, URI url, Retry retry);
  }

  private final Vertx vertx;
  private final ServerLog log;
  private final String what;
  private final NetClient client;
  private final Connected connected;
  private final Set<String> configured = new HashSet<>();
  private final Set<String> dialing = new HashSet<>();
  private final Set<String> self = new HashSet<>();
  private boolean stopped;

  /** {@code what} names the link kind in log lines ("route"); {@code connected} gets each socket. */
  public LinkDialer(Vertx vertx, ServerLog log, String what, Connected connected) {
    this.vertx = vertx;
    this.log = log;
    this.what = what;
    this.connected = connected;
    this.client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(2000));
  }

  public static String hostPort(URI u) {
    return u.getHost() + ":" + u.getPort();
  }

  /** Whether {@code url} is being dialed or waits for its next try. */
  public boolean dialing(URI url) {
    return dialing.contains(hostPort(url));
  }

  /** {@code url} turned out to be this server: never dial it again. */
  public void self(URI url) {
    if (url != null) {
      self.add(hostPort(url));
    }
  }

  /** Dials a configured {@code url} now, and again after each failure as {@code retry} says. */
  public void dialConfigured(URI url, Retry retry) {
    configured.add(hostPort(url));
    dial(url, retry, 0);
  }

  /**
   * Dials a URL a peer told of (gossip) unless it is configured, being dialed or this server.
   *
   * @return whether it is dialed
   */
  public boolean dialLearned(URI url, Retry retry) {
    String hostPort = hostPort(url);
    if (configured.contains(hostPort) || dialing.contains(hostPort) || self.contains(hostPort)) {
      return false;
    }
    dial(url, retry, 0);
    return true;
  }

  /** Dials {@code url} after {@code delayMillis} (a lost link, redialed). */
  public void dialLater(URI url, Retry retry, long delayMillis) {
    dialing.add(hostPort(url));
    vertx.setTimer(Math.max(1, delayMillis), t -> dial(url, retry, 0));
  }

  private void dial(URI url, Retry retry, int attempts) {
    String hostPort = hostPort(url);
    if (stopped || self.contains(hostPort)) {
      dialing.remove(hostPort);
      return;
    }
    dialing.add(hostPort);
    log.debug("Trying to connect to " + what + " on " + hostPort);
    client.connect(url.getPort(), url.getHost()).onComplete(ar -> {
      if (stopped) {
        dialing.remove(hostPort);
        if (ar.succeeded()) {
          ar.result().close();
        }
        return;
      }
      if (ar.succeeded()) {
        dialing.remove(hostPort);
        connected.connected(ar.result(), url, retry);
        return;
      }
      int n = attempts + 1;
      String text = "Error trying to connect to " + what + " (attempt " + n + "): " + ar.cause().getMessage();
      if (n == 1) {
        log.error(text);
      } else {
        log.debug(text);
      }
      if (!retry.forever() && n > retry.retries()) {
        dialing.remove(hostPort);
        return;
      }
      vertx.setTimer(delay(retry, n), t -> dial(url, retry, n));
    });
  }

  /** One second between dials, or with the backoff doubling from one second to thirty. */
  static long delay(Retry retry, int attempts) {
    if (!retry.backoff()) {
      return CONNECT_DELAY_MILLIS;
    }
    return Math.min(MAX_BACKOFF_MILLIS, CONNECT_DELAY_MILLIS << Math.min(attempts - 1, 5));
  }

  /** Stops dialing; sockets that connect from now on are closed. */
  public io.vertx.core.Future<Void> stop() {
    stopped = true;
    return client.close();
  }
}
