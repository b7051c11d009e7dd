package io.natsvx.jwt;

import io.natsvx.internal.NKeyCodec;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The operators a server in operator mode trusts (nats-server's {@code operator} setting): an
 * account token is trusted when an operator or one of its signing keys issued it.
 */
public final class TrustedOperators {

  private final List<Jwt> operators;
  private final Set<String> issuers = new HashSet<>();

  private TrustedOperators(List<Jwt> operators) {
    this.operators = operators;
    for (Jwt op : operators) {
      issuers.add(op.subject());
      JsonArray keys = op.nats().getJsonArray("signing_keys");
      if (keys != null) {
        for (Object k : keys) {
          if (k instanceof String s && NKeyCodec.decode(s, NKeyCodec.PREFIX_OPERATOR) != null) {
            issuers.add(s);
          }
        }
      }
    }
  }

  /** Verifies operator tokens, each given as a token or the text of an nsc operator file. */
  public static TrustedOperators of(List<String> tokens, long nowSeconds) throws JwtException {
    List<Jwt> ops = new ArrayList<>();
    for (String t : tokens) {
      ops.add(Jwt.decode(Decorated.jwt(t), Jwt.Kind.OPERATOR, nowSeconds));
    }
    return new TrustedOperators(ops);
  }

  /** The system account an operator names, or null. */
  public String systemAccount() {
    for (Jwt op : operators) {
      String s = op.nats().getString("system_account", "");
      if (!s.isEmpty()) {
        return s;
      }
    }
    return null;
  }

  /** nats-server takes the operator's account server as the URL resolver when there is one operator. */
  public String accountServerUrl() {
    if (operators.size() != 1) {
      return null;
    }
    String url = operators.get(0).nats().getString("account_server_url", "");
    return url.isEmpty() ? null : url;
  }

  /** Whether this key may sign for the operators: an operator's own key or one of its signing keys. */
  public boolean trusts(String issuer) {
    return issuers.contains(issuer);
  }

  /** Verifies an account token and checks that one of these operators issued it. */
  public Jwt account(String token, long nowSeconds) throws JwtException {
    Jwt account = Jwt.decode(Decorated.jwt(token), Jwt.Kind.ACCOUNT, nowSeconds);
    if (!issuers.contains(account.issuer())) {
      throw new JwtException("account " + account.subject() + " not issued by a trusted operator");
    }
    return account;
  }
}
