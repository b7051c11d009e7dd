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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

/**
 * The operator-mode keys: {@code operator} (a token, or a file nsc wrote, relative to the
 * working directory or the config file), {@code resolver} and {@code resolver_preload}, with
 * nats-server's checks on how they combine with the rest of the file.
 */
final class OperatorReader {

  private static final Pattern URL_RESOLVER = Pattern.compile("(?i)URL\\(\\s*\"?([^\\s\"]*)\"?\\s*\\)\\s*");
  private static final String RESOLVER_KINDS = "error parsing account resolver, should be MEM or "
      + " URL(\"url\") or a map containing dir and type state=[FULL|CACHE])";

  private final ValueReader values;
  private final List<String> operators = new ArrayList<>();
  private final Map<String, String> preload = new LinkedHashMap<>();
  private ConfNode operatorAt;
  private ConfNode resolverAt;
  private ConfNode preloadAt;
  private ResolverOptions resolver;
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
    resolver = null;
    if (v.isString()) {
      String r = v.asString().trim();
      String upper = r.toUpperCase(Locale.ROOT);
      Matcher url = URL_RESOLVER.matcher(r);
      if (upper.equals("MEM") || upper.equals("MEMORY")) {
        resolver = ResolverOptions.memory();
      } else if (url.matches()) {
        String u = url.group(1).trim();
        if (validUrl(u)) {
          resolver = ResolverOptions.url(u);
        } else {
          values.error(v, key, "error parsing account resolver url [\"" + u + "\"]");
        }
      } else {
        values.error(v, key, RESOLVER_KINDS);
      }
      return;
    }
    if (!v.isMap()) {
      values.error(v, key, "error parsing operator resolver, wrong type " + ValueReader.describe(v));
      return;
    }
    directoryResolver(v, key, v.asMap());
  }

  /** The map form: nats-server's directory resolvers (and MEM), or a resolver from plugins_dir. */
  private void directoryResolver(ConfNode at, String key, Map<String, ConfNode> m) {
    String type = m.containsKey("type") ? values.string(m.get("type"), "type") : "";
    if (type == null) {
      return;
    }
    String dir = m.containsKey("dir") ? values.string(m.get("dir"), "dir") : "";
    Boolean allowDelete = m.containsKey("allow_delete") ? values.bool(m.get("allow_delete"), "allow_delete") : Boolean.FALSE;
    Boolean hardDelete = m.containsKey("hard_delete") ? values.bool(m.get("hard_delete"), "hard_delete") : Boolean.FALSE;
    Long limit = m.containsKey("limit") ? values.integer(m.get("limit"), "limit") : Long.valueOf(0);
    Duration ttl = m.containsKey("ttl") ? values.durationString(m.get("ttl"), "ttl") : Duration.ZERO;
    Duration interval = m.containsKey("interval") ? values.durationString(m.get("interval"), "interval") : Duration.ZERO;
    Duration timeout = m.containsKey("timeout") ? values.durationString(m.get("timeout"), "timeout")
        : Duration.ofMillis(ResolverOptions.DEFAULT_FETCH_TIMEOUT_MILLIS);
    if (dir == null || allowDelete == null || hardDelete == null || limit == null || ttl == null || interval == null
        || timeout == null) {
      return;
    }
    if (timeout.isNegative() || timeout.isZero()) {
      values.error(m.get("timeout"), "timeout", "Fetch timeout " + GoDuration.format(timeout) + " is too smal");
      return;
    }
    String kind = type.toUpperCase(Locale.ROOT);
    switch (kind) {
      case "MEM", "MEMORY" -> resolver = ResolverOptions.memory();
      case "PLUGIN" -> {
        String id = m.containsKey("plugin") ? values.string(m.get("plugin"), "plugin") : null;
        if (id == null || id.isEmpty()) {
          values.error(at, key, "a resolver of type plugin needs the plugin's id (plugin: <id>)");
          return;
        }
        resolver = new ResolverOptions(id, null, new JsonObject(), timeout.toMillis(), 0);
      }
      case "FULL", "CACHE" -> {
        boolean cache = kind.equals("CACHE");
        int before = values.errors().size();
        if (dir.isEmpty()) {
          values.error(at, key, "dir has no value and needs to point to a directory");
        } else if (Files.exists(Path.of(dir)) && (!Files.isDirectory(Path.of(dir)) || !Files.isWritable(Path.of(dir)))) {
          values.error(m.get("dir"), "dir", "dir needs to point to an accessible directory");
        }
        if (cache) {
          check(!interval.isZero(), m.get("interval"), "interval", "CACHE does not accept sync");
          check(allowDelete, m.get("allow_delete"), "allow_delete", "CACHE does not accept allow_delete");
          check(m.containsKey("hard_delete"), m.get("hard_delete"), "hard_delete", "CACHE does not accept hard_delete");
        } else {
          check(!ttl.isZero(), m.get("ttl"), "ttl", "FULL does not accept ttl");
          check(m.containsKey("hard_delete") && !allowDelete, m.get("hard_delete"), "hard_delete",
              "hard_delete has no effect without delete");
        }
        if (values.errors().size() > before) {
          return;
        }
        JsonObject config = new JsonObject().put("type", cache ? "cache" : "full").put("dir", dir)
            .put("allow_delete", allowDelete).put("hard_delete", hardDelete).put("limit", limit)
            .put("ttl_ms", ttl.toMillis());
        long sync = cache ? 0 : interval.isZero() || interval.isNegative() ? 60_000 : interval.toMillis();
        resolver = new ResolverOptions("dir-resolver", "natsvx-resolver-dir.jar", config, timeout.toMillis(), sync);
      }
      default -> values.error(at, key, RESOLVER_KINDS);
    }
  }

  private void check(boolean wrong, ConfNode at, String key, String message) {
    if (wrong) {
      values.error(at, key, message);
    }
  }

  private static boolean validUrl(String u) {
    try {
      URI uri = new URI(u);
      return uri.getScheme() != null && uri.getHost() != null
          && (uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"));
    } catch (URISyntaxException e) {
      return false;
    }
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
          String subject = trusted.account(jwt, System.currentTimeMillis() / 1000).subject();
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
    if (resolverAt == null && trusted != null && trusted.accountServerUrl() != null) {
      // nsc push appends /accounts to the operator's account server URL; so does nats-server.
      resolver = ResolverOptions.url(trusted.accountServerUrl() + "/accounts");
    } else if (resolverAt == null) {
      values.error(operatorAt, "operator", "operators require an account resolver to be configured");
      return;
    }
    if (accountsConfigured) {
      values.error(operatorAt, "operator", "operators do not allow Accounts to be configured directly");
    }
    if (usersConfigured) {
      values.error(operatorAt, "operator", "operators do not allow users to be configured directly");
    }
    if (preloadAt != null && resolver != null && "url-resolver".equals(resolver.pluginId())) {
      values.error(preloadAt, "resolver_preload",
          "resolver preloads only available for writeable resolver types MEM/DIR/CACHE_DIR");
    }
    if (resolver != null && trusted != null) {
      b.operator(new OperatorOptions(operators, resolver, preload));
    }
  }
}
