package io.natsvx.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** xkeys sealing, checked against libsodium's crypto_box (known answers made with PyNaCl 1.5). */
class CurveKeysTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] A_SECRET = range(1, 32);
  private static final byte[] B_SECRET = range(101, 32);
  private static final byte[] NONCE = range(200, 24);
  private static final byte[] MESSAGE = ("hello auth callout, this is a longer message to cover more than one salsa block "
      + "hello auth callout, this is a longer message to cover more than one salsa block ").getBytes(StandardCharsets.US_ASCII);
  /** PyNaCl: Box(PrivateKey(A_SECRET), PrivateKey(B_SECRET).public_key).encrypt(MESSAGE, NONCE).ciphertext */
  private static final String SODIUM = "7bc497d5d838dd9cd8e18190f0df96d0aedf5e3981997aa747d102408262117c07888b8ad35abf8e4"
      + "eccc8edac41df5f46a5aa8ec45a91a2edd1f756b90d7375249a7b0123f1c878cbf11572d9208b1bd67560ed2b111e506bc852a5dddc"
      + "7213904cd8342d1f3d92e2b8b87731693a8b84eeb061d6af4af3f93f5830aa51e786d7494c321f846e79b329b4fcb7dbe5c1a337758"
      + "9be253340d9ea3628d74215636da6f7807955951a99970aa145897063";

  private static byte[] range(int from, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (from + i);
    }
    return b;
  }

  private static byte[] rawPublic(CurveKeys k) {
    return CurveKeys.decodePublic(k.publicKey());
  }

  @Test
  void publicKeysAreLibsodiums() {
    assertEquals("07a37cbc142093c8b755dc1b10e86cb426374ad16aa853ed0bdfc0b2b86d1c7c",
        HEX.formatHex(rawPublic(CurveKeys.of(A_SECRET))));
    assertTrue(CurveKeys.of(A_SECRET).publicKey().startsWith("X"));
  }

  @Test
  void sealIsCryptoBoxFramedAsXkv1() throws Exception {
    CurveKeys a = CurveKeys.of(A_SECRET);
    CurveKeys b = CurveKeys.of(B_SECRET);
    byte[] sealed = a.seal(MESSAGE, rawPublic(b), NONCE);
    assertEquals("xkv1", new String(sealed, 0, 4, StandardCharsets.US_ASCII));
    assertArrayEquals(NONCE, java.util.Arrays.copyOfRange(sealed, 4, 28));
    assertEquals(SODIUM, HEX.formatHex(java.util.Arrays.copyOfRange(sealed, 28, sealed.length)));
    assertArrayEquals(MESSAGE, b.open(sealed, rawPublic(a)));
  }

  @Test
  void tamperingOrTheWrongSenderIsRefused() {
    CurveKeys a = CurveKeys.generate();
    CurveKeys b = CurveKeys.generate();
    byte[] sealed = a.seal(MESSAGE, rawPublic(b));
    sealed[sealed.length - 1] ^= 1;
    assertThrows(GeneralSecurityException.class, () -> b.open(sealed, rawPublic(a)));
    byte[] fresh = a.seal(MESSAGE, rawPublic(b));
    assertThrows(GeneralSecurityException.class, () -> b.open(fresh, rawPublic(CurveKeys.generate())));
    assertThrows(GeneralSecurityException.class, () -> b.open("eyJ0eXAi".getBytes(StandardCharsets.US_ASCII), rawPublic(a)));
  }
}
