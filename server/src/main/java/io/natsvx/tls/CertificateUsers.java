package io.natsvx.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The user names a client certificate may stand for under {@code verify_and_map}, in the order
 * nats-server tries them: e-mail addresses, DNS names and URIs of the subject alternative names,
 * the subject's distinguished name (RFC 2253), then its common name.
 */
public final class CertificateUsers {

  private static final int SAN_EMAIL = 1;
  private static final int SAN_DNS = 2;
  private static final int SAN_URI = 6;

  private CertificateUsers() {}

  public static List<String> candidates(X509Certificate cert) {
    List<String> out = new ArrayList<>();
    try {
      Collection<List<?>> sans = cert.getSubjectAlternativeNames();
      if (sans != null) {
        for (int type : new int[] {SAN_EMAIL, SAN_DNS, SAN_URI}) {
          for (List<?> san : sans) {
            if (san.size() >= 2 && san.get(0) instanceof Integer t && t == type) {
              out.add(String.valueOf(san.get(1)));
            }
          }
        }
      }
    } catch (CertificateParsingException ignored) {
      // no usable alternative names
    }
    String dn = cert.getSubjectX500Principal().getName();
    out.add(dn);
    try {
      for (Rdn rdn : new LdapName(dn).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          out.add(String.valueOf(rdn.getValue()));
        }
      }
    } catch (InvalidNameException ignored) {
      // the DN alone then
    }
    return out;
  }
}
