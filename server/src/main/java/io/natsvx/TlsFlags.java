package io.natsvx;

import io.natsvx.config.ServerOptions;
import io.natsvx.config.TlsOptions;
import io.natsvx.config.TlsValues;

/**
 * {@code --tls}, {@code --tlscert}, {@code --tlskey}, {@code --tlsverify} and
 * {@code --tlscacert} for {@link CommandLine}, with nats-server's rules (ConfigureOptions and
 * overrideTLS): any of them, even {@code --tlsverify=false}, replaces the file's certificate,
 * key, CA, verify, cipher suites and min_version, and then needs both a certificate and a key;
 * the file's timeout, verify_and_map and handshake_first stay. {@code --tls=false} (the last
 * {@code --tls} given) turns TLS off, the file's block included, whatever else is given.
 * Not thread-safe; part of one parse.
 */
final class TlsFlags {

  private Boolean tls;    // the last --tls value, null when not given
  private boolean given;  // some --tls* flag was given
  private String cert = "";
  private String key = "";
  private String caCert = "";
  private boolean verify;

  void tls(boolean v) {
    tls = v;
    given = true;
  }

  void cert(String v) {
    cert = v;
    given = true;
  }

  void key(String v) {
    key = v;
    given = true;
  }

  void caCert(String v) {
    caCert = v;
    given = true;
  }

  void verify(boolean v) {
    verify = v;
    given = true;
  }

  private boolean disabled() {
    return Boolean.FALSE.equals(tls);
  }

  private boolean override() {
    return given && !disabled();
  }

  /** nats-server's checks of the flags, with its messages; files are only checked for reading. */
  void validate() throws CommandLineException {
    if (!override()) {
      return;
    }
    if (cert.isEmpty()) {
      throw fail("TLS Server certificate must be present and valid");
    }
    if (key.isEmpty()) {
      throw fail("TLS Server private key must be present and valid");
    }
    for (String f : new String[] {cert, key}) {
      String why = TlsValues.unreadable(f);
      if (why != null) {
        throw fail("error parsing X509 certificate/key pair: " + why);
      }
    }
    if (!caCert.isEmpty()) {
      String why = TlsValues.unreadable(caCert);
      if (why != null) {
        throw fail(why);
      }
    }
  }

  /** Applies the flags on top of the file's options in {@code b}. */
  void applyTo(ServerOptions.Builder b) {
    if (disabled()) {
      b.tls(null);
    } else if (override()) {
      TlsOptions file = b.build().tls();
      b.tls(new TlsOptions(cert, key, caCert.isEmpty() ? null : caCert, verify,
          file != null && file.verifyAndMap(), file == null ? null : file.timeout(), null, null,
          file != null && file.handshakeFirst()));
    }
  }

  private static CommandLineException fail(String message) {
    return new CommandLineException("natsvx: " + message, false);
  }
}
