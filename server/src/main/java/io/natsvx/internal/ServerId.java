package io.natsvx.internal;

import java.security.SecureRandom;

/**
 * A server id in nkey public-key form (prefix 'N', base32 of prefix byte + 32 key bytes + CRC16),
 * as nats-server advertises it. The key bytes are random until a signing key is needed.
 */
public final class ServerId {

  private static final byte PREFIX_SERVER = (byte) (13 << 3);
  private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

  private ServerId() {}

  public static String random() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return encode(key);
  }

  static String encode(byte[] key) {
    byte[] raw = new byte[1 + key.length + 2];
    raw[0] = PREFIX_SERVER;
    System.arraycopy(key, 0, raw, 1, key.length);
    int crc = crc16(raw, 0, 1 + key.length);
    raw[raw.length - 2] = (byte) crc;          // little-endian, as nkeys writes it
    raw[raw.length - 1] = (byte) (crc >>> 8);
    return base32(raw);
  }

  /** CRC-16/XMODEM (poly 0x1021, init 0), the checksum nkeys uses. */
  static int crc16(byte[] b, int off, int len) {
    int crc = 0;
    for (int i = off; i < off + len; i++) {
      crc ^= (b[i] & 0xFF) << 8;
      for (int k = 0; k < 8; k++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
      }
      crc &= 0xFFFF;
    }
    return crc;
  }

  private static String base32(byte[] data) {
    StringBuilder sb = new StringBuilder((data.length * 8 + 4) / 5);
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xFF);
      bits += 8;
      while (bits >= 5) {
        sb.append(BASE32[(buffer >>> (bits - 5)) & 31]);
        bits -= 5;
      }
    }
    if (bits > 0) {
      sb.append(BASE32[(buffer << (5 - bits)) & 31]);
    }
    return sb.toString();
  }
}
