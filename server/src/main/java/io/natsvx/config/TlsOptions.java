package io.natsvx.config;

import java.time.Duration;
import java.util.List;

/**
 * The client listener's {@code tls} block (and {@code --tls --tlscert --tlskey --tlsverify
 * --tlscacert}). Immutable; null in {@link ServerOptions#tls()} means plain text.
 *
 * @param certFile      {@code cert_file}: the server certificate chain, PEM
 * @param keyFile       {@code key_file}: its private key, PEM (PKCS#1 or PKCS#8)
 * @param caFile        {@code ca_file}: CAs that client certificates must chain to, PEM; null for none
 * @param verify        {@code verify}: clients must present a certificate
 * @param verifyAndMap  {@code verify_and_map}: verify, and log the client in as the user named by
 *                      its certificate
 * @param timeout       {@code timeout}: how long the TLS handshake may take (default 2 s)
 * @param cipherSuites  {@code cipher_suites}: allowed suites by IANA/Go name; empty for the JVM's defaults
 * @param minVersion    {@code min_version}: "1.2" or "1.3"; null for 1.2
 * @param handshakeFirst {@code handshake_first}: TLS before INFO (clients that ask for it)
 */
public record TlsOptions(String certFile, String keyFile, String caFile, boolean verify, boolean verifyAndMap,
    Duration timeout, List<String> cipherSuites, String minVersion, boolean handshakeFirst) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  public TlsOptions {
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    cipherSuites = cipherSuites == null ? List.of() : List.copyOf(cipherSuites);
  }

  /** Whether clients must present a certificate. */
  public boolean requiresClientCertificate() {
    return verify || verifyAndMap;
  }
}
