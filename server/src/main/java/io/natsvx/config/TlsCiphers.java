package io.natsvx.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cipher suite and curve names nats-server accepts in a {@code tls} block: Go's crypto/tls
 * names. nats-server up to 2.11 kept its own table (server/ciphersuites.go); 2.12 takes Go's
 * {@code tls.CipherSuites()} and {@code tls.InsecureCipherSuites()}, which spell the ECDHE
 * ChaCha20 suites with a trailing {@code _SHA256} and which the old table spelled without.
 * Both spellings are known here, so a file written for either version reads. Which suites are
 * insecure follows Go's current lists (RC4, 3DES, static-RSA key exchange, CBC-SHA256).
 * Stateless.
 */
public final class TlsCiphers {

  /** Go name to standard (IANA, and JSSE) name, secure ones first. */
  private static final Map<String, String> SUITES = new LinkedHashMap<>();
  private static final List<String> INSECURE = List.of(
      "TLS_RSA_WITH_RC4_128_SHA",
      "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
      "TLS_RSA_WITH_AES_128_CBC_SHA",
      "TLS_RSA_WITH_AES_256_CBC_SHA",
      "TLS_RSA_WITH_AES_128_CBC_SHA256",
      "TLS_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA",
      "TLS_ECDHE_RSA_WITH_RC4_128_SHA",
      "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
      "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256");

  /** nats-server's curvePreferenceMap (2.12 added the hybrid post-quantum X25519MLKEM768). */
  public static final List<String> CURVES =
      List.of("X25519MLKEM768", "X25519", "CurveP256", "CurveP384", "CurveP521");

  static {
    for (String s : List.of(
        "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
        "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256")) {
      SUITES.put(s, s);
    }
    // The names of nats-server's own table before 2.12.
    SUITES.put("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    SUITES.put("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
    for (String s : INSECURE) {
      SUITES.put(s, s);
    }
  }

  private TlsCiphers() {}

  /** Whether nats-server knows this cipher suite name (case-sensitive, as in nats-server). */
  public static boolean isKnown(String goName) {
    return SUITES.containsKey(goName);
  }

  /** Whether Go lists the suite as insecure: nats-server 2.12 then wants allow_insecure_cipher_suites. */
  public static boolean isInsecure(String goName) {
    return INSECURE.contains(goName);
  }

  /**
   * The standard name of a suite nats-server knows, as the JVM's TLS engine names it too:
   * equal to the Go name except for the pre-2.12 ChaCha20 spellings. Null for an unknown name.
   */
  public static String standardName(String goName) {
    return SUITES.get(goName);
  }

  /** Every name nats-server accepts, for help texts. */
  public static Set<String> names() {
    return java.util.Collections.unmodifiableSet(SUITES.keySet());
  }
}
