package io.natsvx.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The {@code gateway} block (nats-server's GatewayOpts): this cluster's name in the
 * super-cluster, the listener other clusters' servers connect to, how they authenticate, and
 * the other clusters to dial. {@link #NONE} when there is no block. Immutable.
 *
 * @param port 0 for no gateway, -1 for a random port
 * @param rejectUnknown whether clusters not in {@code gateways} are refused
 * @param connectRetries how many times a gateway learned by gossip is dialed before it is forgotten
 */
public record GatewayOptions(String name, String host, int port, String advertise, String user, String password,
    Duration authTimeout, TlsOptions tls, boolean rejectUnknown, int connectRetries, List<Remote> gateways) {

  public static final GatewayOptions NONE = new GatewayOptions(null, Defaults.HOST, 0, null, null, null,
      Defaults.AUTH_TIMEOUT, null, false, 0, List.of());

  public GatewayOptions {
    gateways = List.copyOf(gateways);
  }

  /** One of {@code gateways}: another cluster, by name, at any of {@code urls}, with its own TLS or the block's. */
  public record Remote(String name, List<URI> urls, TlsOptions tls) {
    public Remote {
      urls = List.copyOf(urls);
    }
  }

  /** The same block without its TLS (nor its gateways'): what a reload must leave alone (nats-server's diffOptions). */
  public GatewayOptions withoutTls() {
    return new GatewayOptions(name, host, port, advertise, user, password, authTimeout, null, rejectUnknown,
        connectRetries, gateways.stream().map(g -> new Remote(g.name(), g.urls(), null)).toList());
  }

  /** Whether this server is part of a super-cluster (nats-server: a name and a port). */
  public boolean enabled() {
    return name != null && !name.isEmpty() && port != 0;
  }
}
