package io.natsvx.tls;

import io.natsvx.config.TlsCiphers;
import io.natsvx.config.TlsOptions;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.List;

/**
 * Builds the client listener's TLS context from the {@code tls} block: PEM certificate and key
 * (read by Vert.x's PEM support, which takes PKCS#1 and PKCS#8 keys), the CA for client
 * certificates, the minimum version and cipher suites. Reads files: worker only.
 */
public final class TlsContextFactory {

  private static final List<String> TLS13_SUITES =
      List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");

  private TlsContextFactory() {}

  public static SslContext build(Vertx vertx, TlsOptions o) throws Exception {
    var keys = new PemKeyCertOptions().setCertPath(o.certFile()).setKeyPath(o.keyFile()).getKeyManagerFactory(vertx);
    SslContextBuilder b = SslContextBuilder.forServer(keys).sslProvider(SslProvider.JDK);
    b.clientAuth(o.requiresClientCertificate() ? ClientAuth.REQUIRE : ClientAuth.NONE);
    return finish(vertx, b, o);
  }

  /**
   * The dialling side of a server-to-server link (a route): presents the same certificate and
   * checks the peer's against the {@code ca_file}.
   */
  public static SslContext buildClient(Vertx vertx, TlsOptions o) throws Exception {
    SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK);
    if (o.certFile() != null) {
      b.keyManager(new PemKeyCertOptions().setCertPath(o.certFile()).setKeyPath(o.keyFile()).getKeyManagerFactory(vertx));
    }
    return finish(vertx, b, o);
  }

  private static SslContext finish(Vertx vertx, SslContextBuilder b, TlsOptions o) throws Exception {
    if (o.caFile() != null) {
      b.trustManager(new PemTrustOptions().addCertPath(o.caFile()).getTrustManagerFactory(vertx));
    }
    b.protocols("1.3".equals(o.minVersion()) ? List.of("TLSv1.3") : List.of("TLSv1.3", "TLSv1.2"));
    if (!o.cipherSuites().isEmpty()) {
      // Go always keeps its TLS 1.3 suites whatever cipher_suites says; the JDK would not.
      List<String> suites = new java.util.ArrayList<>(TLS13_SUITES);
      for (String name : o.cipherSuites()) {
        suites.add(TlsCiphers.standardName(name));
      }
      b.ciphers(suites);
    }
    return b.build();
  }
}
