package io.natsvx.auth;

import io.natsvx.jwt.ConnectTimes;
import io.natsvx.jwt.Jwt;
import io.natsvx.jwt.JwtException;
import io.natsvx.config.AccountOptions;
import io.natsvx.config.AccountOptions.Export;
import io.natsvx.config.AccountOptions.Import;
import io.natsvx.config.AccountOptions.Limits;
import io.natsvx.config.AccountOptions.ResponseType;
import io.natsvx.internal.NKeyCodec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An account as its verified token describes it: the same {@link AccountOptions} a config file's
 * {@code accounts} block yields (named by the account's public key), plus the keys allowed to
 * sign its users and the users it has revoked.
 */
public record AccountClaims(String accountKey, AccountOptions options, Set<String> signingKeys,
    Map<String, Long> revocations, ExternalAuth externalAuth) {

  /**
   * The token's {@code authorization}: an auth callout for this account's users other than
   * {@code auth_users}, which may place users in {@code allowed_accounts} ("*": any), sealed for
   * {@code xkey} when it is set.
   */
  public record ExternalAuth(Set<String> authUsers, Set<String> allowedAccounts, String xkey) {

    public boolean allows(String account) {
      return allowedAccounts.contains(account) || allowedAccounts.contains(ALL);
    }
  }

  /** The key in {@code revocations} that revokes every user issued up to its time. */
  public static final String ALL = "*";

  public static AccountClaims of(Jwt account) {
    JsonObject n = account.nats();
    return new AccountClaims(account.subject(),
        new AccountOptions(account.subject(), List.of(), exports(n.getJsonArray("exports")),
            imports(n.getJsonArray("imports")), limits(n.getJsonObject("limits"))),
        signingKeys(n.getJsonArray("signing_keys")), revocations(n.getJsonObject("revocations")),
        externalAuth(n.getJsonObject("authorization")));
  }

  /** Null unless the account names its callout's own users, as nats-server's hasExternalAuth. */
  private static ExternalAuth externalAuth(JsonObject a) {
    if (a == null) {
      return null;
    }
    Set<String> users = strings(a.getJsonArray("auth_users"));
    if (users.isEmpty()) {
      return null;
    }
    String xkey = a.getString("xkey", "");
    return new ExternalAuth(users, strings(a.getJsonArray("allowed_accounts")), xkey.isEmpty() ? null : xkey);
  }

  private static Set<String> strings(JsonArray a) {
    Set<String> out = new HashSet<>();
    if (a != null) {
      for (Object o : a) {
        if (o instanceof String s && !s.isEmpty()) {
          out.add(s);
        }
      }
    }
    return Set.copyOf(out);
  }

  /** Whether {@code issuer} may sign users of this account: the account key or one of its signing keys. */
  public boolean trusts(String issuer) {
    return accountKey.equals(issuer) || signingKeys.contains(issuer);
  }

  /** nats-server's rule: revoked when the user's or the catch-all entry is no older than the token. */
  public boolean revoked(String userKey, long userIssuedAt) {
    Long t = revocations.get(userKey);
    if (t != null && t >= userIssuedAt) {
      return true;
    }
    Long all = revocations.get(ALL);
    return all != null && all >= userIssuedAt;
  }

  private static Limits limits(JsonObject l) {
    if (l == null) {
      return Limits.NONE;
    }
    return new Limits(limit(l, "conn"), limit(l, "subs"), limit(l, "payload"));
  }

  private static int limit(JsonObject l, String key) {
    Object v = l.getValue(key);
    if (!(v instanceof Number n) || n.longValue() <= 0) {
      return 0; // unlimited
    }
    return (int) Math.min(Integer.MAX_VALUE, n.longValue());
  }

  private static List<Export> exports(JsonArray a) {
    List<Export> out = new ArrayList<>();
    for (JsonObject e : objects(a)) {
      boolean service = "service".equals(e.getString("type"));
      // token_req exports need activation tokens, which no account can present yet
      List<String> accounts = e.getBoolean("token_req", false) ? List.of() : null;
      long thresholdNanos = e.getLong("response_threshold", 0L);
      out.add(new Export(e.getString("subject"), service, accounts,
          service ? responseType(e.getString("response_type")) : null,
          thresholdNanos > 0 ? Duration.ofNanos(thresholdNanos) : null));
    }
    return out;
  }

  private static ResponseType responseType(String t) {
    if ("Stream".equalsIgnoreCase(t)) {
      return ResponseType.STREAM;
    }
    if ("Chunked".equalsIgnoreCase(t)) {
      return ResponseType.CHUNKED;
    }
    return ResponseType.SINGLETON;
  }

  /**
   * Imports in the token's terms: {@code local_subject} is where this account sees the subject;
   * without it, a stream's {@code to} is a prefix and a service's {@code subject} is local while
   * its {@code to} names the exporter's subject, as nsc reads them.
   */
  private static List<Import> imports(JsonArray a) {
    List<Import> out = new ArrayList<>();
    for (JsonObject i : objects(a)) {
      boolean service = "service".equals(i.getString("type"));
      String subject = i.getString("subject");
      String local = i.getString("local_subject", "");
      String to = i.getString("to", "");
      String account = i.getString("account");
      if (!local.isEmpty()) {
        out.add(new Import(service, account, subject, local, null));
      } else if (service) {
        out.add(new Import(true, account, to.isEmpty() ? subject : to, subject, null));
      } else {
        out.add(new Import(false, account, subject, null, to.isEmpty() ? null : to));
      }
    }
    return out;
  }

  /** Plain account keys, or v2's scoped entries {@code {kind: "user_scope", key, ...}}. */
  private static Set<String> signingKeys(JsonArray a) {
    Set<String> out = new HashSet<>();
    if (a == null) {
      return out;
    }
    for (Object o : a) {
      String key = o instanceof String s ? s : o instanceof JsonObject j ? j.getString("key") : null;
      if (NKeyCodec.decode(key, NKeyCodec.PREFIX_ACCOUNT) != null) {
        out.add(key);
      }
    }
    return Set.copyOf(out);
  }

  private static Map<String, Long> revocations(JsonObject r) {
    Map<String, Long> out = new TreeMap<>();
    if (r != null) {
      for (String k : r.fieldNames()) {
        if (r.getValue(k) instanceof Number n) {
          out.put(k, n.longValue());
        }
      }
    }
    return Map.copyOf(out);
  }

  private static List<JsonObject> objects(JsonArray a) {
    List<JsonObject> out = new ArrayList<>();
    if (a != null) {
      for (Object o : a) {
        if (o instanceof JsonObject j && j.getString("subject") != null) {
          out.add(j);
        }
      }
    }
    return out;
  }
}
