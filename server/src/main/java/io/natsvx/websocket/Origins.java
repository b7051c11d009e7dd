package io.natsvx.websocket;

import io.natsvx.config.WebSocketOptions;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.URI;

/**
 * The origin check of a WebSocket upgrade, as nats-server's checkOrigin: with neither
 * {@code same_origin} nor {@code allowed_origins} any origin goes, as does a request without one
 * (a client that is no browser can claim any origin anyway); else the origin's host and port
 * (80 or 443 by scheme when absent) must be the request's Host, and/or one of the allowed
 * origins with the same scheme and port.
 */
final class Origins {

  private Origins() {}

  /** Why the request's origin is refused, or null when it may connect. */
  static String check(WebSocketOptions o, HttpHeaders h, boolean secure) {
    if (!o.sameOrigin() && o.allowedOrigins().isEmpty()) {
      return null;
    }
    String origin = h.get("Origin", "");
    if (origin.isEmpty()) {
      origin = h.get("Sec-WebSocket-Origin", "");
    }
    if (origin.isEmpty()) {
      return null;
    }
    URI u;
    try {
      u = new URI(origin);
    } catch (java.net.URISyntaxException e) {
      return e.getMessage();
    }
    if (u.getScheme() == null || u.getRawAuthority() == null) {
      return "parse \"" + origin + "\": invalid URI for request";
    }
    String[] own = hostPort("https".equals(u.getScheme()), u.getRawAuthority());
    if (o.sameOrigin()) {
      String[] request = hostPort(secure, h.get("Host", ""));
      if (!own[0].equals(request[0]) || !own[1].equals(request[1])) {
        return "not same origin";
      }
    }
    if (!o.allowedOrigins().isEmpty()) {
      for (String allowed : o.allowedOrigins()) {
        URI a;
        try {
          a = new URI(allowed);
        } catch (java.net.URISyntaxException e) {
          continue; // refused when the config was read
        }
        if (a.getScheme() == null || a.getRawAuthority() == null) {
          continue;
        }
        String[] hp = hostPort("https".equals(a.getScheme()), a.getRawAuthority());
        if (hp[0].equals(own[0]) && a.getScheme().equals(u.getScheme()) && hp[1].equals(own[1])) {
          return null;
        }
      }
      return "not in the allowed list";
    }
    return null;
  }

  /** Host and port of {@code host[:port]}, the port defaulting by scheme. */
  static String[] hostPort(boolean tls, String authority) {
    String a = authority.contains("@") ? authority.substring(authority.indexOf('@') + 1) : authority;
    int colon = a.lastIndexOf(':');
    boolean ipv6 = a.startsWith("[");
    if (colon < 0 || ipv6 && a.lastIndexOf(']') > colon) {
      return new String[] {stripBrackets(a), tls ? "443" : "80"};
    }
    return new String[] {stripBrackets(a.substring(0, colon)), a.substring(colon + 1)};
  }

  private static String stripBrackets(String h) {
    return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
  }
}
