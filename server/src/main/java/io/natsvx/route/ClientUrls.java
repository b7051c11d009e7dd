package io.natsvx.route;

import io.natsvx.server.ServerContext;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The client URLs this server advertises in {@code connect_urls} (nats-server's
 * getClientConnectURLs): {@code client_advertise} when set; for a wildcard listen address every
 * global unicast address of the machine's interfaces; else the listen address.
 */
public final class ClientUrls {

  private ClientUrls() {}

  public static List<String> own(ServerContext server) {
    return urls(server.options().clientAdvertise(), server.options().host(), server.clientPort());
  }

  /** The same for the WebSocket port ({@code ws_connect_urls}); empty without one. */
  public static List<String> ownWebSocket(ServerContext server) {
    io.natsvx.config.WebSocketOptions ws = server.options().webSocket();
    if (!ws.enabled() || server.webSocketPort() <= 0) {
      return List.of();
    }
    return urls(ws.advertise(), ws.host(), server.webSocketPort());
  }

  /** The same for the leaf node port ({@code leafnode_urls}); empty without one or with {@code no_advertise}. */
  public static List<String> ownLeafNode(ServerContext server) {
    io.natsvx.config.LeafNodeOptions leaf = server.options().leafNodes();
    if (!leaf.listens() || leaf.noAdvertise() || server.leafNodePort() <= 0) {
      return List.of();
    }
    return urls(leaf.advertise(), leaf.host(), server.leafNodePort());
  }

  /** What a listener on {@code host}:{@code port} advertises: {@code advertise}, else its addresses. */
  public static List<String> urls(String advertise, String host, int port) {
    if (advertise != null && !advertise.isEmpty()) {
      return List.of(advertise.contains(":") ? advertise : advertise + ":" + port);
    }
    if (!host.equals("0.0.0.0") && !host.equals("::")) {
      return List.of(join(host, port));
    }
    List<String> urls = new ArrayList<>();
    try {
      for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress a : Collections.list(ni.getInetAddresses())) {
          if (!a.isLoopbackAddress() && !a.isLinkLocalAddress() && !a.isAnyLocalAddress() && !a.isMulticastAddress()) {
            urls.add(join(a.getHostAddress().replaceAll("%.*$", ""), port));
          }
        }
      }
    } catch (SocketException e) {
      // no interfaces to list: nothing to advertise, as nats-server
    }
    return urls;
  }

  private static String join(String host, int port) {
    return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
  }

}
