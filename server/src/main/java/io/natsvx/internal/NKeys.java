package io.natsvx.internal;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import io.natsvx.internal.NKeyCodec;
import java.util.Base64;

/**
 * NKey authentication: user public keys ('U...', base32 with a CRC-16) and the Ed25519 check of
 * the CONNECT {@code sig} over the INFO {@code nonce}, with the JDK's own Ed25519. Stateless.
 */
public final class NKeys {

  private static final SecureRandom RANDOM = new SecureRandom();

  private NKeys() {}

  /** A fresh nonce for INFO: 11 random bytes, base64url without padding, as nats-server makes it. */
  public static String nonce() {
    byte[] b = new byte[11];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** Whether {@code key} is a well-formed user public key. */
  public static boolean isUserKey(String key) {
    return decodeUser(key) != null;
  }

  /** Verifies {@code sig} (base64url or base64) by the user key over the nonce. */
  public static boolean verify(String userKey, String nonce, String sig) {
    byte[] raw = decodeUser(userKey);
    if (raw == null || nonce == null || sig == null) {
      return false;
    }
    try {
      return verify(raw, nonce.getBytes(StandardCharsets.UTF_8), decodeSig(sig));
    } catch (IllegalArgumentException badBase64) {
      return false;
    }
  }

  /** Verifies an Ed25519 signature by the 32 raw public key bytes over {@code data}. */
  public static boolean verify(byte[] rawKey, byte[] data, byte[] signature) {
    try {
      Signature v = Signature.getInstance("Ed25519");
      v.initVerify(publicKey(rawKey));
      v.update(data);
      return v.verify(signature);
    } catch (Exception e) {
      return false;
    }
  }

  private static byte[] decodeSig(String sig) {
    try {
      return Base64.getUrlDecoder().decode(sig);
    } catch (IllegalArgumentException notUrl) {
      return Base64.getDecoder().decode(sig);
    }
  }

  /** The 32 raw key bytes of a user public key, or null when malformed. */
  static byte[] decodeUser(String key) {
    return NKeyCodec.decode(key, NKeyCodec.PREFIX_USER);
  }

  /** An Ed25519 public key from its 32-byte encoding (little-endian y, x's parity in the top bit). */
  private static PublicKey publicKey(byte[] raw) throws Exception {
    byte[] be = new byte[32];
    for (int i = 0; i < 32; i++) {
      be[i] = raw[31 - i];
    }
    boolean xOdd = (be[0] & 0x80) != 0;
    be[0] &= 0x7F;
    EdECPoint point = new EdECPoint(xOdd, new BigInteger(1, be));
    return KeyFactory.getInstance("Ed25519").generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, point));
  }
}
