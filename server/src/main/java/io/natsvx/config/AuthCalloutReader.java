package io.natsvx.config;

import io.natsvx.internal.CurveKeys;
import io.natsvx.internal.NKeyCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code auth_callout} block of {@code authorization}, for {@link AuthorizationReader}, with
 * nats-server's keys and words (server/opts.go parseAuthCallout). Not thread-safe; one per block.
 */
final class AuthCalloutReader {

  private final ValueReader values;

  AuthCalloutReader(ValueReader values) {
    this.values = values;
  }

  /** nats-server's parseAuthCallout, with its words. */
  AuthCalloutOptions read(ConfNode v, String key) {
    Map<String, ConfNode> m = values.map(v, key);
    if (m == null) {
      return null;
    }
    Callout c = new Callout();
    ConfKeys keys = new ConfKeys(values)
        .on("issuer", (n, k) -> {
          c.issuer = values.string(n, k);
          if (c.issuer != null && NKeyCodec.decode(c.issuer, NKeyCodec.PREFIX_ACCOUNT) == null) {
            values.error(n, k, "Expected callout user to be a valid public account nkey, got \"" + c.issuer + "\"");
            c.invalid = true;
          }
        })
        .stringOrNull("account acc", a -> c.account = a)
        .on("auth_users users", (n, k) -> strings(n, k, c.authUsers, "Expected auth_users field to be an array"))
        .on("allowed_accounts", (n, k) -> strings(n, k, c.allowed, "Expected allowed accounts field to be an array"))
        .on("xkey key", (n, k) -> {
          c.xkey = values.string(n, k);
          if (c.xkey != null && CurveKeys.decodePublic(c.xkey) == null) {
            values.error(n, k, "Expected callout xkey to be a valid public xkey, got \"" + c.xkey + "\"");
            c.invalid = true;
          }
        });
    for (Map.Entry<String, ConfNode> e : m.entrySet()) {
      if (!keys.read(e.getKey(), e.getValue())) {
        values.error(e.getValue(), e.getKey(), "Unknown field \"" + e.getKey() + "\" parsing authorization callout");
      }
      if (c.invalid) {
        return null; // as nats-server, which stops at the first bad key
      }
    }
    if (c.issuer == null) {
      values.error(v, key, "Authorization callouts require an issuer to be specified");
      return null;
    }
    if (c.authUsers.isEmpty()) {
      values.error(v, key, "Authorization callouts require authorized users to be specified");
      return null;
    }
    return new AuthCalloutOptions(c.issuer, c.account == null || c.account.isEmpty() ? "$G" : c.account, c.authUsers,
        c.allowed, c.xkey);
  }

  /** The parts of an {@code auth_callout} block, as they are read. */
  private static final class Callout {
    String issuer;
    String account;
    String xkey;
    final List<String> authUsers = new ArrayList<>();
    final List<String> allowed = new ArrayList<>();
    boolean invalid; // a bad key: nothing after it is read
  }

  private void strings(ConfNode n, String key, List<String> out, String notAList) {
    if (!n.isList()) {
      values.error(n, key, notAList + ", got " + ValueReader.describe(n));
      return;
    }
    for (ConfNode item : n.asList()) {
      String s = values.string(item, key);
      if (s != null) {
        out.add(s);
      }
    }
  }
}
