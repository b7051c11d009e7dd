package io.natsvx.internal;

/**
 * The nkey text form: base32 (RFC 4648 alphabet, no padding) of a prefix byte, the 32 key
 * bytes and a little-endian CRC-16/XMODEM of both. Stateless.
 */
public final class NKeyCodec {

  public static final byte PREFIX_ACCOUNT = 0;
  public static final byte PREFIX_OPERATOR = (byte) (14 << 3);
  public static final byte PREFIX_SERVER = (byte) (13 << 3);
  public static final byte PREFIX_USER = (byte) (20 << 3);
  /** 'X': a curve (x25519) key, nkeys' xkeys. */
  public static final byte PREFIX_CURVE = (byte) (23 << 3);
  private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  private NKeyCodec() {}

  public static String encode(byte prefix, byte[] key) {
    byte[] raw = new byte[1 + key.length + 2];
    raw[0] = prefix;
    System.arraycopy(key, 0, raw, 1, key.length);
    int crc = crc16(raw, 1 + key.length);
    raw[raw.length - 2] = (byte) crc;
    raw[raw.length - 1] = (byte) (crc >>> 8);
    StringBuilder sb = new StringBuilder((raw.length * 8 + 4) / 5);
    int buffer = 0;
    int bits = 0;
    for (byte b : raw) {
      buffer = (buffer << 8) | (b & 0xFF);
      bits += 8;
      while (bits >= 5) {
        sb.append(BASE32.charAt((buffer >>> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      sb.append(BASE32.charAt((buffer << (5 - bits)) & 31));
    }
    return sb.toString();
  }

  /** The 32 key bytes of a public key with this prefix, or null when malformed. */
  public static byte[] decode(String key, byte prefix) {
    if (key == null || key.length() != 56) {
      return null;
    }
    byte[] data = new byte[35];
    int buffer = 0;
    int bits = 0;
    int n = 0;
    for (int i = 0; i < key.length(); i++) {
      int v = BASE32.indexOf(key.charAt(i));
      if (v < 0) {
        return null;
      }
      buffer = (buffer << 5) | v;
      bits += 5;
      if (bits >= 8) {
        data[n++] = (byte) (buffer >>> (bits - 8));
        bits -= 8;
      }
    }
    if (n != 35 || data[0] != prefix) {
      return null;
    }
    int crc = (data[33] & 0xFF) | (data[34] & 0xFF) << 8;
    if (crc16(data, 33) != crc) {
      return null;
    }
    byte[] out = new byte[32];
    System.arraycopy(data, 1, out, 0, 32);
    return out;
  }

  static int crc16(byte[] b, int len) {
    int crc = 0;
    for (int i = 0; i < len; i++) {
      crc ^= (b[i] & 0xFF) << 8;
      for (int k = 0; k < 8; k++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
      }
      crc &= 0xFFFF;
    }
    return crc;
  }
}
