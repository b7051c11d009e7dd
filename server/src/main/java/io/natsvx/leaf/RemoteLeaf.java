package io.natsvx.leaf;

import io.natsvx.config.LeafNodeOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One {@code remotes} entry as it is dialed (nats-server's leafNodeCfg): its URLs, shuffled
 * unless {@code no_randomize}, plus those the hub's INFO tells of; the one in use; and a delay
 * the next dial waits for (after a loop or a cluster name clash). The leaf verticle's loop only.
 */
final class RemoteLeaf {

  private LeafNodeOptions.Remote options;
  private List<URI> urls;
  private URI current;
  private long delayMillis;
  private int attempts;

  RemoteLeaf(LeafNodeOptions.Remote options) {
    this.options = options;
    this.urls = new ArrayList<>(options.urls());
    if (!options.noRandomize()) {
      Collections.shuffle(urls);
    }
  }

  LeafNodeOptions.Remote options() {
    return options;
  }

  /** A reload's options for this remote (the same but for TLS). */
  void options(LeafNodeOptions.Remote next) {
    options = next;
  }

  /**
   * The user and password to log in with at {@code url}: its own, else those of the first
   * configured URL that has them (a learned URL has none; nats-server's saveUserPassword).
   */
  String userInfo(URI url) {
    if (url.getUserInfo() != null) {
      return url.getUserInfo();
    }
    for (URI u : options.urls()) {
      if (u.getUserInfo() != null) {
        return u.getUserInfo();
      }
    }
    return null;
  }

  /** The next URL to dial: the current one moves to the end when there are more. */
  URI next() {
    if (current != null && urls.size() > 1 && urls.get(0).equals(current)) {
      urls.add(urls.remove(0));
    }
    current = urls.get(0);
    return current;
  }

  /** The hub's INFO names its cluster's leaf node URLs ("host:port"): they come first, the configured ones after. */
  void learnUrls(List<String> leafNodeUrls, List<String> wsConnectUrls) {
    // A remote dialed over WebSocket learns the hub cluster's WebSocket URLs, in its own scheme.
    URI first = options.urls().get(0);
    boolean ws = LeafNodeVerticle.webSocket(first);
    List<String> hostPorts = ws ? wsConnectUrls : leafNodeUrls;
    String scheme = !ws ? "nats-leaf" : LeafNodeVerticle.secureWebSocket(first) ? "wss" : "ws";
    if (hostPorts.isEmpty()) {
      return;
    }
    List<URI> next = new ArrayList<>();
    for (String hp : hostPorts) {
      try {
        URI u = new URI(scheme + "://" + hp);
        boolean configured = options.urls().stream()
            .anyMatch(c -> c.getHost().equals(u.getHost()) && c.getPort() == u.getPort());
        if (!configured && u.getHost() != null) {
          next.add(u);
        }
      } catch (java.net.URISyntaxException ignored) {
        // not a URL: skipped, as nats-server does
      }
    }
    next.addAll(options.urls());
    urls = next;
  }

  /** Waits {@code millis} before the next dial (a loop was detected, or the cluster names clash). */
  void delay(long millis) {
    delayMillis = millis;
  }

  /** The delay set for the next dial, cleared. */
  long takeDelay() {
    long d = delayMillis;
    delayMillis = 0;
    return d;
  }

  int attempt() {
    return ++attempts;
  }

  void connected() {
    attempts = 0;
  }

  long tlsTimeoutMillis() {
    return options.tls() == null ? 2000 : options.tls().timeout().toMillis();
  }
}
