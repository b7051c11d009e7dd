package io.natsvx.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The {@code cluster} block, with nats-server's keys and words (opts.go parseCluster). */
final class ClusterReader {

  private final ValueReader values;
  private final ConfKeys keys;
  private ClusterOptions c; // the block as read so far

  ClusterReader(ValueReader values) {
    this.values = values;
    this.keys = new ConfKeys(values)
        .on("name", (v, k) -> {
          String name = values.string(v, k);
          if (name != null && (name.contains(" ") || name.contains("\n"))) {
            values.error(v, k, "cluster name cannot contain spaces or new lines");
          } else if (name != null) {
            c = c.withName(name);
          }
        })
        .on("listen", (v, k) -> ConfKeys.set(values.hostPort(v, k),
            hp -> c = c.withListen(hp.host().isEmpty() ? c.host() : hp.host(), hp.port())))
        .integer("port", -1, 65535, p -> c = c.withListen(c.host(), p))
        .string("host net", h -> c = c.withListen(h, c.port()))
        .on("authorization", this::authorization)
        .on("routes", (v, k) -> ConfKeys.set(routes(v, k), r -> c = c.withRoutes(r)))
        .string("cluster_advertise advertise", a -> c = c.withAdvertise(a))
        .bool("no_advertise", b -> c = c.withNoAdvertise(b))
        .integer("connect_retries", 0, Integer.MAX_VALUE, n -> c = c.withConnectRetries(n))
        .on("tls", (v, k) -> ConfKeys.set(new TlsReader(values).read(v, k), t -> c = c.withTls(t)))
        .duration("ping_interval", d -> c = c.withPingInterval(d))
        .bool("connect_backoff", b -> c = c.withConnectBackoff(b))
        .on("pool_size", (v, k) -> {
          Integer n = values.integer(v, k, -1, 1024);
          if (n != null && n > 1) {
            values.warning(v, k, "natsvx keeps one route connection per peer (as pool_size: -1); ignored");
          }
        })
        .warning("permissions accounts compression ping_max", "not supported yet, ignored");
  }

  ClusterOptions read(ConfNode block, String key, ClusterOptions base) {
    if (!block.isMap()) {
      values.error(block, key, "Expected map to define cluster, got " + ValueReader.describe(block));
      return base;
    }
    c = base;
    keys.read(block.asMap(), key);
    return c;
  }

  private void authorization(ConfNode v, String key) {
    if (!v.isMap()) {
      values.error(v, key, "Expected map to define authorization, got " + ValueReader.describe(v));
      return;
    }
    new ConfKeys(values)
        .stringOrNull("user username", u -> c = c.withCredentials(u, c.password()))
        .stringOrNull("pass password", p -> c = c.withCredentials(c.user(), p))
        .duration("timeout", d -> c = c.withAuthTimeout(d))
        // These two name the block, as nats-server does.
        .on("token", (n, k) -> values.error(v, key, "Cluster authorization does not support tokens"))
        .on("users nkeys", (n, k) -> values.error(v, key, "Cluster authorization does not allow multiple users"))
        .warning("permissions", "setting \"permissions\" within cluster authorization block is deprecated")
        .read(v.asMap(), key);
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
      URI u = ClusterOptions.parseRoute(s.trim());
      if (u == null) {
        values.error(n, key, "error parsing route url [\"" + s.trim() + "\"]");
      } else {
        out.add(u);
      }
    }
    return out;
  }
}
