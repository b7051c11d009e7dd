package io.natsvx.auth;

import io.natsvx.jwt.ConnectTimes;
import io.natsvx.jwt.Jwt;
import io.natsvx.jwt.JwtException;
import io.natsvx.config.AuthOptions.PermissionOptions;
import io.natsvx.config.AuthOptions.ResponsePermission;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a verified user token grants, read from its {@code nats} section with nats-server's
 * meanings: empty allow and deny lists restrict nothing, a response permission without
 * {@code max} or {@code ttl} takes the {@code allow_responses} defaults, and a limit of -1 means
 * unlimited while a missing one is 0, as Go decodes it.
 */
public record UserClaims(String userKey, String issuer, String account, boolean bearer,
    PermissionOptions permissions, long maxSubscriptions, long maxPayload,
    List<String> sources, List<String> connectionTypes, ConnectTimes times) {

  /** Reads the claims of a token already checked by {@link Jwt#decode} as a user token. */
  public static UserClaims of(Jwt user) {
    JsonObject n = user.nats();
    String issuerAccount = n.getString("issuer_account", "");
    return new UserClaims(user.subject(), user.issuer(),
        issuerAccount.isEmpty() ? user.issuer() : issuerAccount,
        n.getBoolean("bearer_token", false),
        permissions(n),
        limit(n, "subs"), limit(n, "payload"),
        strings(n.getValue("src")), strings(n.getValue("allowed_connection_types")),
        new ConnectTimes(times(n.getJsonArray("times")), n.getString("times_location", "")));
  }

  private static List<ConnectTimes.Range> times(JsonArray a) {
    List<ConnectTimes.Range> out = new ArrayList<>();
    if (a != null) {
      for (Object o : a) {
        if (o instanceof JsonObject r) {
          out.add(new ConnectTimes.Range(r.getString("start", ""), r.getString("end", "")));
        }
      }
    }
    return out;
  }

  private static PermissionOptions permissions(JsonObject n) {
    List<String> pubAllow = list(n.getJsonObject("pub"), "allow");
    List<String> pubDeny = list(n.getJsonObject("pub"), "deny");
    List<String> subAllow = list(n.getJsonObject("sub"), "allow");
    List<String> subDeny = list(n.getJsonObject("sub"), "deny");
    ResponsePermission resp = responses(n.getJsonObject("resp"));
    if (pubAllow == null && pubDeny == null && subAllow == null && subDeny == null && resp == null) {
      return null;
    }
    return new PermissionOptions(pubAllow, pubDeny, subAllow, subDeny, resp);
  }

  private static ResponsePermission responses(JsonObject resp) {
    if (resp == null) {
      return null;
    }
    int max = resp.getInteger("max", 0);
    long ttlNanos = resp.getLong("ttl", 0L);
    return new ResponsePermission(
        max == 0 ? ResponsePermission.DEFAULT.max() : max,
        ttlNanos == 0 ? ResponsePermission.DEFAULT.expires() : Duration.ofNanos(ttlNanos));
  }

  private static List<String> list(JsonObject section, String key) {
    if (section == null) {
      return null;
    }
    List<String> l = strings(section.getValue(key));
    return l.isEmpty() ? null : l;
  }

  /** A JSON array of strings, or nsc's comma-separated string form of one. */
  private static List<String> strings(Object v) {
    List<String> out = new ArrayList<>();
    if (v instanceof JsonArray a) {
      for (Object o : a) {
        if (o instanceof String s && !s.isBlank()) {
          out.add(s.trim());
        }
      }
    } else if (v instanceof String s) {
      for (String part : s.split(",")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
    }
    return List.copyOf(out);
  }

  private static long limit(JsonObject n, String key) {
    Object v = n.getValue(key);
    return v instanceof Number num ? num.longValue() : 0;
  }
}
