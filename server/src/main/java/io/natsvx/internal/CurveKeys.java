package io.natsvx.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.engines.Salsa20Engine;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.bouncycastle.util.Pack;

/**
 * nkeys' xkeys: an x25519 key pair ('X...' public keys) that seals messages as NaCl's
 * {@code crypto_box} (x25519, HSalsa20, XSalsa20-Poly1305), framed as
 * {@code "xkv1" || nonce(24) || tag(16) || ciphertext}, the form nats-server's auth callout
 * uses for encrypted requests and responses. Bouncy Castle provides the primitives.
 * Thread-safe.
 */
public final class CurveKeys {

  private static final byte[] VERSION = "xkv1".getBytes(StandardCharsets.US_ASCII);
  private static final int NONCE = 24;
  private static final int TAG = 16;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] privateKey;
  private final byte[] publicKey;

  private CurveKeys(byte[] privateKey) {
    this.privateKey = privateKey;
    this.publicKey = new byte[X25519.POINT_SIZE];
    X25519.generatePublicKey(privateKey, 0, publicKey, 0);
  }

  public static CurveKeys generate() {
    byte[] k = new byte[X25519.SCALAR_SIZE];
    X25519.generatePrivateKey(RANDOM, k);
    return new CurveKeys(k);
  }

  /** From the 32 raw private key bytes (tests, known answers). */
  public static CurveKeys of(byte[] rawPrivateKey) {
    return new CurveKeys(rawPrivateKey.clone());
  }

  /** The public key as nkeys writes it: 'X...'. */
  public String publicKey() {
    return NKeyCodec.encode(NKeyCodec.PREFIX_CURVE, publicKey);
  }

  /** The raw public key bytes of an 'X...' key; null when it is none. */
  public static byte[] decodePublic(String key) {
    return key == null ? null : NKeyCodec.decode(key, NKeyCodec.PREFIX_CURVE);
  }

  /** Seals {@code message} for {@code recipient} (raw public key) with a fresh random nonce. */
  public byte[] seal(byte[] message, byte[] recipient) {
    byte[] nonce = new byte[NONCE];
    RANDOM.nextBytes(nonce);
    return seal(message, recipient, nonce);
  }

  byte[] seal(byte[] message, byte[] recipient, byte[] nonce) {
    XSalsa20Engine stream = stream(recipient, nonce);
    byte[] polyKey = new byte[32];
    stream.processBytes(new byte[32], 0, 32, polyKey, 0);
    byte[] out = new byte[VERSION.length + NONCE + TAG + message.length];
    int cipherAt = VERSION.length + NONCE + TAG;
    stream.processBytes(message, 0, message.length, out, cipherAt);
    System.arraycopy(VERSION, 0, out, 0, VERSION.length);
    System.arraycopy(nonce, 0, out, VERSION.length, NONCE);
    System.arraycopy(tag(polyKey, out, cipherAt, message.length), 0, out, VERSION.length + NONCE, TAG);
    return out;
  }

  /** Opens what {@code sender} (raw public key) sealed for this key. */
  public byte[] open(byte[] sealed, byte[] sender) throws GeneralSecurityException {
    int cipherAt = VERSION.length + NONCE + TAG;
    if (sealed.length < cipherAt || !Arrays.equals(sealed, 0, VERSION.length, VERSION, 0, VERSION.length)) {
      throw new GeneralSecurityException("invalid encrypted message");
    }
    XSalsa20Engine stream = stream(sender, Arrays.copyOfRange(sealed, VERSION.length, VERSION.length + NONCE));
    byte[] polyKey = new byte[32];
    stream.processBytes(new byte[32], 0, 32, polyKey, 0);
    byte[] expected = tag(polyKey, sealed, cipherAt, sealed.length - cipherAt);
    if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(sealed, VERSION.length + NONCE, cipherAt))) {
      throw new GeneralSecurityException("could not decrypt message");
    }
    byte[] plain = new byte[sealed.length - cipherAt];
    stream.processBytes(sealed, cipherAt, plain.length, plain, 0);
    return plain;
  }

  /** XSalsa20 keyed with crypto_box's shared key: HSalsa20 over the x25519 agreement and zeros. */
  private XSalsa20Engine stream(byte[] peer, byte[] nonce) {
    byte[] shared = new byte[X25519.POINT_SIZE];
    if (!X25519.calculateAgreement(privateKey, 0, peer, 0, shared, 0)) {
      throw new IllegalArgumentException("invalid peer key");
    }
    XSalsa20Engine engine = new XSalsa20Engine();
    engine.init(true, new ParametersWithIV(new KeyParameter(hsalsa20(shared, new byte[16])), nonce));
    return engine;
  }

  private static byte[] tag(byte[] polyKey, byte[] data, int off, int len) {
    Poly1305 mac = new Poly1305();
    mac.init(new KeyParameter(polyKey));
    mac.update(data, off, len);
    byte[] t = new byte[TAG];
    mac.doFinal(t, 0);
    return t;
  }

  /** HSalsa20: the Salsa20 rounds without the final addition, words 0, 5, 10, 15, 6, 7, 8, 9. */
  static byte[] hsalsa20(byte[] key, byte[] nonce16) {
    int[] in = new int[16];
    int[] sigma = Pack.littleEndianToInt("expand 32-byte k".getBytes(StandardCharsets.US_ASCII), 0, 4);
    in[0] = sigma[0];
    in[5] = sigma[1];
    in[10] = sigma[2];
    in[15] = sigma[3];
    Pack.littleEndianToInt(key, 0, in, 1, 4);
    Pack.littleEndianToInt(key, 16, in, 11, 4);
    Pack.littleEndianToInt(nonce16, 0, in, 6, 4);
    int[] x = new int[16];
    Salsa20Engine.salsaCore(20, in, x);
    int[] words = {0, 5, 10, 15, 6, 7, 8, 9};
    byte[] out = new byte[32];
    for (int i = 0; i < words.length; i++) {
      Pack.intToLittleEndian(x[words[i]] - in[words[i]], out, i * 4);
    }
    return out;
  }
}
