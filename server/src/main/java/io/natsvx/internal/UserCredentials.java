package io.natsvx.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A NATS credentials file: a user token and the user's seed between dashed marker lines (what
 * nsc writes and nats-server's credsRe reads), or a user seed alone (an {@code nkey}). Signs the
 * nonce a server sends, with the JDK's Ed25519. Immutable; read it on a worker.
 */
public final class UserCredentials {

  private static final Pattern BLOCK =
      Pattern.compile("\\s*(?:(?:-{3,}[^\\n]*-{3,}\\n)(.+)(?:\\n\\s*-{3,}[^\\n]*-{3,}\\n))");
  private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  private final String jwt;
  private final PrivateKey key;
  private final String publicKey;

  private UserCredentials(String jwt, PrivateKey key, String publicKey) {
    this.jwt = jwt;
    this.key = key;
    this.publicKey = publicKey;
  }

  /** Whether {@code text} is a user seed ("SU..."). */
  public static boolean isUserSeed(String text) {
    byte[] raw = base32(text.trim());
    return seed(text) != null && ((raw[0] & 0x07) << 5 | (raw[1] & 0xF8) >>> 3) == (NKeyCodec.PREFIX_USER & 0xFF)
        && crcMatches(raw);
  }

  /** A user seed alone: CONNECT carries its public key ({@code nkey}) and the signature. */
  public static UserCredentials ofSeed(String text) throws Exception {
    if (!isUserSeed(text)) {
      throw new IllegalArgumentException("Remote nkey has malformed seed");
    }
    byte[] seed = seed(text);
    byte[] pub = new org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters(seed, 0).generatePublicKey()
        .getEncoded();
    KeyFactory f = KeyFactory.getInstance("Ed25519");
    return new UserCredentials(null, f.generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed)),
        NKeyCodec.encode(NKeyCodec.PREFIX_USER, pub));
  }

  private static boolean crcMatches(byte[] raw) {
    int crc = NKeyCodec.crc16(raw, raw.length - 2);
    return (raw[raw.length - 2] & 0xFF | (raw[raw.length - 1] & 0xFF) << 8) == crc;
  }

  /** Reads {@code file}; throws with nats-server's words when it is malformed. */
  public static UserCredentials read(Path file) throws Exception {
    String text = Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n");
    Matcher m = BLOCK.matcher(text);
    List<String> items = new ArrayList<>();
    while (m.find()) {
      items.add(m.group(1).trim());
    }
    if (items.size() < 2) {
      throw new IllegalArgumentException("Credentials file malformed");
    }
    byte[] seed = seed(items.get(1));
    if (seed == null) {
      throw new IllegalArgumentException("Credentials file has malformed seed");
    }
    KeyFactory f = KeyFactory.getInstance("Ed25519");
    return new UserCredentials(items.get(0), f.generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed)),
        null);
  }

  /** The 32 seed bytes of an "S..." seed (two prefix bytes, the seed, a CRC-16), or null. */
  static byte[] seed(String text) {
    byte[] raw = base32(text.trim());
    if (raw == null || raw.length != 36 || (raw[0] & 0xF8) != (18 << 3)) {
      return null;
    }
    return java.util.Arrays.copyOfRange(raw, 2, 34);
  }

  private static byte[] base32(String s) {
    byte[] out = new byte[s.length() * 5 / 8];
    int buffer = 0;
    int bits = 0;
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      int v = BASE32.indexOf(s.charAt(i));
      if (v < 0) {
        return null;
      }
      buffer = (buffer << 5) | v;
      bits += 5;
      if (bits >= 8) {
        out[n++] = (byte) (buffer >>> (bits - 8));
        bits -= 8;
      }
    }
    return java.util.Arrays.copyOf(out, n);
  }

  /** The user token; null for a seed alone. */
  public String jwt() {
    return jwt;
  }

  /** The user's public key for a seed alone; null for a credentials file (its token names it). */
  public String publicKey() {
    return publicKey;
  }

  /** The nonce's signature, base64url without padding, as CONNECT's {@code sig}. */
  public String sign(String nonce) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(key);
      s.update(nonce.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
    } catch (Exception e) {
      throw new IllegalStateException("cannot sign with the credentials' seed", e);
    }
  }
}
