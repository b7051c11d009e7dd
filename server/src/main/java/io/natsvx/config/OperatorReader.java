package io.natsvx.config;

import io.natsvx.jwt.Decorated;
import io.natsvx.jwt.JwtException;
import io.natsvx.jwt.TrustedOperators;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The operator-mode keys: {@code operator} (a token, or a file nsc wrote, relative to the
 * working directory or the config file), {@code resolver} and {@code resolver_preload}, with
 * nats-server's checks on how they combine with the rest of the file.
 */
final class OperatorReader {

  private final ValueReader values;
  private final List<String> operators = new ArrayList<>();
  private final Map<String, String> preload = new LinkedHashMap<>();
  private ConfNode operatorAt;
  private ConfNode resolverAt;
  private ConfNode preloadAt;
  private String resolver;
  private TrustedOperators trusted;

  OperatorReader(ValueReader values) {
    this.values = values;
  }

  boolean present() {
    return operatorAt != null;
  }

  /** The system account the operator names, once read; null when none. */
  String operatorSystemAccount() {
    return trusted == null ? null : trusted.systemAccount();
  }

  void operator(ConfNode v, String key) {
    operatorAt = v;
    List<ConfNode> items = v.isList() ? v.asList() : List.of(v);
    List<String> tokens = new ArrayList<>();
    for (ConfNode item : items) {
      String s = values.string(item, key);
      if (s == null) {
        return;
      }
      String token = s.trim().startsWith("eyJ") ? s.trim() : readFile(item, key, s);
      if (token == null) {
        return;
      }
      tokens.add(Decorated.jwt(token));
    }
    try {
      trusted = TrustedOperators.of(tokens, System.currentTimeMillis() / 1000);
      operators.addAll(tokens);
    } catch (JwtException e) {
      values.error(v, key, "error parsing operator JWT: " + e.getMessage());
    }
  }

  private String readFile(ConfNode at, String key, String name) {
    Path p = Path.of(name);
    if (!p.isAbsolute() && !Files.exists(p) && at.file() != null) {
      Path dir = Path.of(at.file()).toAbsolutePath().getParent();
      if (dir != null && Files.exists(dir.resolve(p))) {
        p = dir.resolve(p);
      }
    }
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      values.error(at, key, "error parsing operator JWT: open " + name + ": no such file or directory");
      return null;
    }
  }

  void resolver(ConfNode v, String key) {
    resolverAt = v;
    if (!v.isString()) {
      values.error(v, key, "only the MEMORY resolver is supported yet");
      return;
    }
    String r = v.asString().trim();
    if (!r.toUpperCase(Locale.ROOT).equals("MEMORY")) {
      values.error(v, key, r.toUpperCase(Locale.ROOT).startsWith("URL(")
          ? "the URL resolver is not supported yet" : "resolver must be MEMORY, URL(...) or a map, got " + r);
      return;
    }
    resolver = "MEMORY";
  }

  void preload(ConfNode v, String key) {
    preloadAt = v;
    Map<String, ConfNode> m = values.map(v, key);
    if (m == null) {
      return;
    }
    for (Map.Entry<String, ConfNode> e : m.entrySet()) {
      String jwt = values.string(e.getValue(), e.getKey());
      if (jwt == null) {
        continue;
      }
      if (trusted != null) {
        try {
          String subject = trusted.account(jwt, System.currentTimeMillis() / 1000).accountKey();
          if (!subject.equals(e.getKey())) {
            values.error(e.getValue(), e.getKey(), "preloaded account JWT is for " + subject);
            continue;
          }
        } catch (JwtException ex) {
          values.error(e.getValue(), e.getKey(), "invalid account JWT: " + ex.getMessage());
          continue;
        }
      }
      preload.put(e.getKey(), Decorated.jwt(jwt));
    }
  }

  /** nats-server's validateTrustedOperators, then the options. */
  void applyTo(ServerOptions.Builder b, boolean accountsConfigured, boolean usersConfigured) {
    if (operatorAt == null) {
      if (resolverAt != null) {
        values.error(resolverAt, "resolver", "resolver requires an operator to be configured");
      } else if (preloadAt != null) {
        values.error(preloadAt, "resolver_preload", "resolver_preload requires an operator to be configured");
      }
      return;
    }
    if (resolverAt == null) {
      values.error(operatorAt, "operator", "operators require an account resolver to be configured");
      return;
    }
    if (accountsConfigured) {
      values.error(operatorAt, "operator", "operators do not allow Accounts to be configured directly");
    }
    if (usersConfigured) {
      values.error(operatorAt, "operator", "operators do not allow users to be configured directly");
    }
    if (resolver != null && trusted != null) {
      b.operator(new OperatorOptions(operators, resolver, preload));
    }
  }
}
