package io.natsvx.config;

/**
 * A {@code listen}/{@code http} value: "host:port", "[::1]:port", ":port" (any host), as Go's
 * net.SplitHostPort reads them. {@code host} is empty when none was given. Immutable.
 */
record HostPort(String host, int port) {

  /**
   * Splits {@code s}.
   *
   * @throws IllegalArgumentException with nats-server's wording
   */
  static HostPort parse(String s) {
    String host;
    String port;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
        throw new IllegalArgumentException("could not parse address string \"" + s + "\"");
      }
      host = s.substring(1, close);
      port = s.substring(close + 2);
    } else {
      int colon = s.lastIndexOf(':');
      if (colon < 0 || s.indexOf(':') != colon) {
        // No port, or an IPv6 address without brackets.
        throw new IllegalArgumentException("could not parse address string \"" + s + "\"");
      }
      host = s.substring(0, colon);
      port = s.substring(colon + 1);
    }
    if (host.contains("[") || host.contains("]") || port.contains("[") || port.contains("]")) {
      throw new IllegalArgumentException("could not parse address string \"" + s + "\"");
    }
    try {
      return new HostPort(host, Integer.parseInt(port));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("could not parse port \"" + port + "\"");
    }
  }
}
