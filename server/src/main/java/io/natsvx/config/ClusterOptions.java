package io.natsvx.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;

/**
 * The {@code cluster} block and its flags (nats-server's ClusterOpts and {@code routes}): the
 * route listener ({@code port} 0: no clustering, -1: a random port), the name every peer must
 * share (null: adopted from the first peer, as nats-server's dynamic name), what to advertise,
 * the routes to solicit, retries for routes learned by gossip, the credentials routes present
 * and check, TLS, and whether redials back off (nats-server 2.12's {@code connect_backoff}: 1 s
 * doubling up to 30 s; otherwise every second, as 2.9). Immutable.
 */
public record ClusterOptions(String name, String host, int port, String advertise, boolean noAdvertise,
    List<URI> routes, int connectRetries, String user, String password, Duration authTimeout, TlsOptions tls,
    Duration pingInterval, boolean connectBackoff) {

  /** nats-server's default: the same two seconds as the client authorization timeout. */
  public static final Duration DEFAULT_AUTH_TIMEOUT = Duration.ofSeconds(2);

  public static final ClusterOptions NONE =
      new ClusterOptions(null, "0.0.0.0", 0, null, false, List.of(), 0, null, null, DEFAULT_AUTH_TIMEOUT, null, null,
          false);

  public ClusterOptions {
    routes = List.copyOf(routes);
    authTimeout = authTimeout == null ? DEFAULT_AUTH_TIMEOUT : authTimeout;
  }

  /** A route URL: {@code nats-route://[user:pass@]host:port} (any scheme); null when it is not one. */
  public static URI parseRoute(String s) {
    try {
      URI u = new URI(s);
      return u.getHost() == null || u.getPort() <= 0 ? null : u;
    } catch (URISyntaxException e) {
      return null;
    }
  }

  /** Whether this server listens for routes (and so solicits its configured ones). */
  public boolean enabled() {
    return port != 0;
  }

  /** Whether routes must present a user and password. */
  public boolean authRequired() {
    return user != null && !user.isEmpty();
  }

  public ClusterOptions withListen(String h, int p) {
    return new ClusterOptions(name, h, p, advertise, noAdvertise, routes, connectRetries, user, password, authTimeout,
        tls, pingInterval, connectBackoff);
  }

  public ClusterOptions withName(String n) {
    return new ClusterOptions(n, host, port, advertise, noAdvertise, routes, connectRetries, user, password, authTimeout,
        tls, pingInterval, connectBackoff);
  }

  public ClusterOptions withAdvertise(String a) {
    return new ClusterOptions(name, host, port, a, noAdvertise, routes, connectRetries, user, password, authTimeout,
        tls, pingInterval, connectBackoff);
  }

  public ClusterOptions withNoAdvertise(boolean v) {
    return new ClusterOptions(name, host, port, advertise, v, routes, connectRetries, user, password, authTimeout,
        tls, pingInterval, connectBackoff);
  }

  public ClusterOptions withRoutes(List<URI> r) {
    return new ClusterOptions(name, host, port, advertise, noAdvertise, r, connectRetries, user, password, authTimeout,
        tls, pingInterval, connectBackoff);
  }

  public ClusterOptions withConnectRetries(int n) {
    return new ClusterOptions(name, host, port, advertise, noAdvertise, routes, n, user, password, authTimeout,
        tls, pingInterval, connectBackoff);
  }

  public ClusterOptions withConnectBackoff(boolean v) {
    return new ClusterOptions(name, host, port, advertise, noAdvertise, routes, connectRetries, user, password,
        authTimeout, tls, pingInterval, v);
  }

  public ClusterOptions withCredentials(String u, String p) {
    return new ClusterOptions(name, host, port, advertise, noAdvertise, routes, connectRetries, u, p, authTimeout,
        tls, pingInterval, connectBackoff);
  }

  public ClusterOptions withAuthTimeout(Duration d) {
    return new ClusterOptions(name, host, port, advertise, noAdvertise, routes, connectRetries, user, password, d,
        tls, pingInterval, connectBackoff);
  }

  public ClusterOptions withTls(TlsOptions t) {
    return new ClusterOptions(name, host, port, advertise, noAdvertise, routes, connectRetries, user, password,
        authTimeout, t, pingInterval, connectBackoff);
  }

  public ClusterOptions withPingInterval(Duration d) {
    return new ClusterOptions(name, host, port, advertise, noAdvertise, routes, connectRetries, user, password,
        authTimeout, tls, d, connectBackoff);
  }
}
