package io.natsvx.internal;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Arrays;

/**
 * The server's own nkey, made fresh at each start as nats-server makes it: its public key
 * ('N...') is the server id clients see, its private key signs what the server issues (the auth
 * callout's requests). The JDK's Ed25519. Thread-safe.
 */
public final class ServerKey {

  private final PrivateKey privateKey;
  private final String id;

  private ServerKey(KeyPair pair) {
    this.privateKey = pair.getPrivate();
    byte[] encoded = pair.getPublic().getEncoded();
    // X.509 SubjectPublicKeyInfo ends with the 32 key bytes, in the order nkeys use
    this.id = NKeyCodec.encode(NKeyCodec.PREFIX_SERVER, Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length));
  }

  public static ServerKey generate() {
    try {
      return new ServerKey(KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no Ed25519 in this JDK", e);
    }
  }

  /** The public key: the server id. */
  public String id() {
    return id;
  }

  public byte[] sign(byte[] data) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(privateKey);
      s.update(data);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
