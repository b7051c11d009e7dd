package io.natsvx.internal;

import java.security.SecureRandom;

/**
 * A server id in nkey public-key form ('N...'), as nats-server advertises it. The key bytes are
 * random until a signing key is needed.
 */
public final class ServerId {

  private ServerId() {}

  public static String random() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return NKeyCodec.encode(NKeyCodec.PREFIX_SERVER, key);
  }
}
