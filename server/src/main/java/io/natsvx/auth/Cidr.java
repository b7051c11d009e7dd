package io.natsvx.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Address blocks of a user token's {@code src}: {@code 10.0.0.0/8}, {@code ::1/128}, or one address. */
final class Cidr {

  private Cidr() {}

  /** Whether any block holds the address; malformed blocks hold nothing. */
  static boolean anyContains(List<String> blocks, String address) {
    byte[] a = literal(address);
    if (a == null) {
      return false;
    }
    for (String block : blocks) {
      if (contains(block.trim(), a)) {
        return true;
      }
    }
    return false;
  }

  private static boolean contains(String block, byte[] address) {
    int slash = block.indexOf('/');
    byte[] net = literal(slash < 0 ? block : block.substring(0, slash));
    if (net == null || net.length != address.length) {
      return false;
    }
    int bits;
    try {
      bits = slash < 0 ? net.length * 8 : Integer.parseInt(block.substring(slash + 1));
    } catch (NumberFormatException e) {
      return false;
    }
    if (bits < 0 || bits > net.length * 8) {
      return false;
    }
    for (int i = 0; i < net.length && bits > 0; i++, bits -= 8) {
      int mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
      if ((net[i] & mask) != (address[i] & mask)) {
        return false;
      }
    }
    return true;
  }

  /** The bytes of an IP literal, never a name lookup. */
  private static byte[] literal(String s) {
    if (s == null || s.isEmpty() || !(Character.digit(s.charAt(0), 16) >= 0 || s.charAt(0) == ':')
        || s.chars().anyMatch(ch -> !(Character.digit(ch, 16) >= 0 || ch == '.' || ch == ':'))) {
      return null;
    }
    try {
      return InetAddress.getByName(s).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
