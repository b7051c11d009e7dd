package io.natsvx.gateway;

import io.natsvx.config.GatewayOptions;
import io.natsvx.config.TlsOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Another cluster of the super-cluster as this server dials it (nats-server's gatewayCfg):
 * configured in {@code gateways} or learned (implicit) from a gateway that connected here or
 * from gossip, with the URLs known for it (configured ones plus those its servers tell of),
 * tried in random order. The gateway verticle's loop only.
 */
final class RemoteGateway {

  private final String name;
  private final boolean implicit;
  private TlsOptions tls;
  /** Host:port to the URL dialed there (with its user and password when configured so). */
  private final Map<String, URI> urls = new LinkedHashMap<>();
  private int attempts;
  private boolean dialing;

  RemoteGateway(String name, boolean implicit, TlsOptions tls, List<URI> urls) {
    this.name = name;
    this.implicit = implicit;
    this.tls = tls;
    urls.forEach(u -> this.urls.put(u.getHost() + ":" + u.getPort(), u));
  }

  static RemoteGateway configured(GatewayOptions.Remote r, TlsOptions blockTls) {
    return new RemoteGateway(r.name(), false, r.tls() != null ? r.tls() : blockTls, r.urls());
  }

  String name() { return name; }
  boolean implicit() { return implicit; }
  TlsOptions tls() { return tls; }
  void tls(TlsOptions value) { tls = value; }
  boolean dialing() { return dialing; }
  void dialing(boolean value) { dialing = value; }

  /** Adds URLs ("host:port") a server of that cluster told of; true when one was new. */
  boolean addUrls(List<String> hostPorts) {
    boolean added = false;
    for (String hp : hostPorts) {
      if (hp != null && !hp.isEmpty() && !urls.containsKey(hp)) {
        urls.put(hp, URI.create("nats://" + hp));
        added = true;
      }
    }
    return added;
  }

  /** The URLs in random order, as nats-server iterates them. */
  List<URI> shuffled() {
    List<URI> out = new ArrayList<>(urls.values());
    Collections.shuffle(out);
    return out;
  }

  /** Host:port of every URL known, for gossip, /gatewayz and /varz. */
  List<String> hostPorts() {
    return new ArrayList<>(urls.keySet());
  }

  int attempt() { return ++attempts; }
  int attempts() { return attempts; }
  void connected() { attempts = 0; }
}
