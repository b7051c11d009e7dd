package io.natsvx.monitor;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.natsvx.server.ServerContext;
import io.natsvx.client.ClientConnection;
import io.natsvx.conn.Connection;
import java.util.function.ToDoubleFunction;

/**
 * Prometheus metrics: the server's /varz numbers as gauges named as prometheus-nats-exporter
 * names them ({@code gnatsd_varz_connections{server_id="..."}}), next to the JVM's and, when the
 * Vert.x instance was built with this registry, Vert.x's own. Scraping reads /proc: worker only.
 */
public final class ServerMetrics implements AutoCloseable {

  private final PrometheusMeterRegistry registry;
  private JvmGcMetrics gc;

  public ServerMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  /** A registry for a server that was given none. */
  public static PrometheusMeterRegistry newRegistry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Registers the server's gauges and the JVM's meters. */
  public void bind(ServerContext server) {
    Tags tags = Tags.of("server_id", server.serverId());
    gauge("connections", tags, server, s -> clientCount(s));
    gauge("total_connections", tags, server, s -> s.totalConnections.sum());
    gauge("subscriptions", tags, server, s -> s.subscriptionCount());
    gauge("slow_consumers", tags, server, s -> s.slowConsumers.sum());
    gauge("in_msgs", tags, server, s -> s.inMsgs.sum());
    gauge("out_msgs", tags, server, s -> s.outMsgs.sum());
    gauge("in_bytes", tags, server, s -> s.inBytes.sum());
    gauge("out_bytes", tags, server, s -> s.outBytes.sum());
    gauge("mem", tags, server, s -> ProcessStats.rss());
    gauge("cpu", tags, server, s -> ProcessStats.cpuPercent());
    gauge("cores", tags, server, s -> Runtime.getRuntime().availableProcessors());
    gauge("max_connections", tags, server, s -> s.options().maxConnections());
    gauge("max_payload", tags, server, s -> s.options().maxPayload());
    gauge("max_pending", tags, server, s -> s.options().maxPending());
    gauge("routes", tags, server, s -> s.cluster() == null ? 0 : s.cluster().routeCount());
    gauge("remotes", tags, server, s -> s.cluster() == null ? 0 : s.cluster().routeCount());
    gauge("leafnodes", tags, server, ServerContext::leafNodeCount);
    gauge("uptime_seconds", tags, server, s -> (System.currentTimeMillis() - s.startMillis()) / 1000.0);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    gc = new JvmGcMetrics();
    gc.bindTo(registry);
  }

  private void gauge(String name, Tags tags, ServerContext server, ToDoubleFunction<ServerContext> f) {
    Gauge.builder("gnatsd_varz_" + name, server, f).tags(tags).register(registry);
  }

  private static int clientCount(ServerContext server) {
    int n = 0;
    for (Connection c : server.connections()) {
      if (c.kind() == io.natsvx.conn.ConnectionKind.CLIENT) {
        n++;
      }
    }
    return n;
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    if (gc != null) {
      gc.close();
    }
  }
}
