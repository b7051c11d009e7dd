package io.natsvx.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * nats-server's getHashSize(name, 6): the first six bytes of a name's SHA-256, each as one of
 * 62 digits. Routed replies name the origin cluster and server by it.
 */
public final class NameHash {

  public static final int LENGTH = 6;
  private static final String DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  private NameHash() {}

  public static String of(String name) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder(LENGTH);
      for (int i = 0; i < LENGTH; i++) {
        sb.append(DIGITS.charAt((d[i] & 0xFF) % DIGITS.length()));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
