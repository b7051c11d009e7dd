package io.natsvx.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The {@code cluster} block, with nats-server's keys and words (opts.go parseCluster). */
final class ClusterReader {

  private final ValueReader values;

  ClusterReader(ValueReader values) {
    this.values = values;
  }

  ClusterOptions read(ConfNode block, String key, ClusterOptions base) {
    if (!block.isMap()) {
      values.error(block, key, "Expected map to define cluster, got " + ValueReader.describe(block));
      return base;
    }
    ClusterOptions c = base;
    for (Map.Entry<String, ConfNode> e : block.asMap().entrySet()) {
      String k = e.getKey();
      ConfNode v = e.getValue();
      switch (k.toLowerCase(Locale.ROOT)) {
        case "name" -> {
          String name = values.string(v, k);
          if (name != null && (name.contains(" ") || name.contains("\n"))) {
            values.error(v, k, "cluster name cannot contain spaces or new lines");
          } else if (name != null) {
            c = c.withName(name);
          }
        }
        case "listen" -> {
          HostPort hp = values.hostPort(v, k);
          if (hp != null) {
            c = c.withListen(hp.host().isEmpty() ? c.host() : hp.host(), hp.port());
          }
        }
        case "port" -> {
          Integer p = values.integer(v, k, -1, 65535);
          if (p != null) {
            c = c.withListen(c.host(), p);
          }
        }
        case "host", "net" -> {
          String h = values.string(v, k);
          if (h != null) {
            c = c.withListen(h, c.port());
          }
        }
        case "authorization" -> c = authorization(v, k, c);
        case "routes" -> {
          List<URI> routes = routes(v, k);
          if (routes != null) {
            c = c.withRoutes(routes);
          }
        }
        case "cluster_advertise", "advertise" -> {
          String a = values.string(v, k);
          if (a != null) {
            c = c.withAdvertise(a);
          }
        }
        case "no_advertise" -> {
          Boolean b = values.bool(v, k);
          if (b != null) {
            c = c.withNoAdvertise(b);
          }
        }
        case "connect_retries" -> {
          Integer n = values.integer(v, k, 0, Integer.MAX_VALUE);
          if (n != null) {
            c = c.withConnectRetries(n);
          }
        }
        case "tls" -> {
          TlsOptions tls = new TlsReader(values).read(v, k);
          if (tls != null) {
            c = new ClusterOptions(c.name(), c.host(), c.port(), c.advertise(), c.noAdvertise(), c.routes(),
                c.connectRetries(), c.user(), c.password(), c.authTimeout(), tls, c.pingInterval(), c.connectBackoff());
          }
        }
        case "ping_interval" -> {
          Duration d = values.durationOrSeconds(v, k);
          if (d != null) {
            c = new ClusterOptions(c.name(), c.host(), c.port(), c.advertise(), c.noAdvertise(), c.routes(),
                c.connectRetries(), c.user(), c.password(), c.authTimeout(), c.tls(), d, c.connectBackoff());
          }
        }
        case "connect_backoff" -> {
          Boolean b = values.bool(v, k);
          if (b != null) {
            c = c.withConnectBackoff(b);
          }
        }
        case "pool_size" -> {
          Integer n = values.integer(v, k, -1, 1024);
          if (n != null && n > 1) {
            values.warning(v, k, "natsvx keeps one route connection per peer (as pool_size: -1); ignored");
          }
        }
        case "permissions", "accounts", "compression", "ping_max" ->
            values.warning(v, k, "not supported yet, ignored");
        default -> values.unknown(v, k, key);
      }
    }
    return c;
  }

  private ClusterOptions authorization(ConfNode v, String key, ClusterOptions c) {
    if (!v.isMap()) {
      values.error(v, key, "Expected map to define authorization, got " + ValueReader.describe(v));
      return c;
    }
    String user = c.user();
    String pass = c.password();
    Duration timeout = c.authTimeout();
    for (Map.Entry<String, ConfNode> e : v.asMap().entrySet()) {
      String k = e.getKey();
      ConfNode n = e.getValue();
      switch (k.toLowerCase(Locale.ROOT)) {
        case "user", "username" -> user = values.string(n, k);
        case "pass", "password" -> pass = values.string(n, k);
        case "timeout" -> {
          Duration d = values.durationOrSeconds(n, k);
          if (d != null) {
            timeout = d;
          }
        }
        case "token" -> values.error(v, key, "Cluster authorization does not support tokens");
        case "users", "nkeys" -> values.error(v, key, "Cluster authorization does not allow multiple users");
        case "permissions" -> values.warning(n, k, "setting \"permissions\" within cluster authorization block is deprecated");
        default -> values.unknown(n, k, key);
      }
    }
    return new ClusterOptions(c.name(), c.host(), c.port(), c.advertise(), c.noAdvertise(), c.routes(),
        c.connectRetries(), user, pass, timeout, c.tls(), c.pingInterval(), c.connectBackoff());
  }

  private List<URI> routes(ConfNode v, String key) {
    List<ConfNode> items = values.list(v, key);
    if (items == null) {
      return null;
    }
    List<URI> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (ConfNode n : items) {
      String s = values.string(n, key);
      if (s == null) {
        continue;
      }
      if (!seen.add(s)) {
        values.warning(n, s, "Duplicate route entry detected");
        continue;
      }
      URI u = parseRoute(s.trim());
      if (u == null) {
        values.error(n, key, "error parsing route url [\"" + s.trim() + "\"]");
      } else {
        out.add(u);
      }
    }
    return out;
  }

  /** A route URL: {@code nats-route://[user:pass@]host:port} (any scheme); null when it is not one. */
  static URI parseRoute(String s) {
    try {
      URI u = new URI(s);
      return u.getHost() == null || u.getPort() <= 0 ? null : u;
    } catch (URISyntaxException e) {
      return null;
    }
  }
}
