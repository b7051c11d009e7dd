package io.natsvx.auth;

import io.natsvx.client.ConnectOptions;
import io.natsvx.config.AuthCalloutOptions;
import io.natsvx.internal.CurveKeys;
import io.natsvx.internal.NKeyCodec;
import io.natsvx.internal.ServerKey;
import io.natsvx.jwt.Jwt;
import io.natsvx.jwt.JwtException;
import io.natsvx.jwt.UserClaims;
import io.natsvx.jwt.UserTokenCheck;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * nats-server 2.10's auth callout in config mode: for a client that is not one of the
 * {@code auth_users}, the server signs an {@code authorization_request} token with its own key
 * (naming a fresh user nkey), asks {@code $SYS.REQ.USER.AUTH} in the callout account, and lets
 * the client in only on an {@code authorization_response} signed by the configured issuer, for
 * that user nkey and this server, whose user token (signed by the issuer too) names the target
 * account in {@code aud} and carries the permissions and limits. Thread-safe.
 */
public final class AuthCallout {

  /** Sends a request into an account and gives the first answer, or fails after the timeout. */
  @FunctionalInterface
  public interface Transport {
    Future<byte[]> request(String account, String subject, byte[] headers, byte[] payload, long timeoutMillis);
  }

  /** What the server says about itself in a request: name, host, id, version. */
  public record ServerIdentity(String name, String host, String id, String version) {}

  /** The connecting client as the request describes it. */
  public record Client(long cid, String host, String user, String nonce) {}

  private static final SecureRandom RANDOM = new SecureRandom();
  /** The header that carries the server's curve key on a sealed request. */
  public static final String XKEY_HEADER = "Nats-Server-Xkey";

  private final AuthCalloutOptions options;
  private final ServerKey key;
  private final CurveKeys serverXKey;
  /** The service's curve public key (raw), when requests are sealed; null otherwise. */
  private final byte[] serviceXKey;
  private final ServerIdentity server;
  private final Transport transport;
  private final long timeoutMillis;
  private final Predicate<String> accountExists;
  private final Consumer<String> warn;

  public AuthCallout(AuthCalloutOptions options, ServerKey key, CurveKeys serverXKey, ServerIdentity server,
      Transport transport, long timeoutMillis, Predicate<String> accountExists, Consumer<String> warn) {
    this.options = options;
    this.key = key;
    this.serverXKey = serverXKey;
    this.serviceXKey = CurveKeys.decodePublic(options.xkey());
    this.server = server;
    this.transport = transport;
    this.timeoutMillis = timeoutMillis;
    this.accountExists = accountExists;
    this.warn = warn;
  }

  /** Whether this user authenticates with the server's own users (the callout service does). */
  public boolean skips(String user) {
    return user != null && options.authUsers().contains(user);
  }

  /** Whether a client that logged in to {@code account} goes to the callout all the same. */
  public boolean delegates(String account) {
    return account == null || account.equals("$G") || options.allowedAccounts().isEmpty()
        || options.allowedAccounts().contains(account);
  }

  public String account() {
    return options.account();
  }

  /** Users of the callout account may not pose as the server: publishing the request subject is denied. */
  public Permissions guard(String account, Permissions permissions) {
    return options.account().equals(account == null ? "$G" : account)
        ? Permissions.denyingPublish(permissions, AuthCalloutOptions.SUBJECT) : permissions;
  }

  public Future<AuthService.Result> authorize(ConnectOptions c, Client client) {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    String userNkey = NKeyCodec.encode(NKeyCodec.PREFIX_USER, raw);
    byte[] request = Jwt.sign(requestClaims(c, client, userNkey), key::sign).getBytes(StandardCharsets.UTF_8);
    byte[] headers = null;
    if (serviceXKey != null) {
      request = serverXKey.seal(request, serviceXKey);
      headers = ("NATS/1.0\r\n" + XKEY_HEADER + ": " + serverXKey.publicKey() + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII);
    }
    return transport.request(options.account(), AuthCalloutOptions.SUBJECT, headers, request, timeoutMillis)
        .map(answer -> {
          try {
            return accept(unseal(answer), userNkey, client.host());
          } catch (JwtException e) {
            warn.accept(titleCase(e.getMessage()));
            return AuthService.Result.DENIED;
          }
        })
        .otherwise(e -> {
          warn.accept("Authorization callout response not received in time on account \"" + options.account() + "\"");
          return AuthService.Result.DENIED;
        });
  }

  /** A response that is no token is sealed, when requests are: opened with the server's curve key. */
  private String unseal(byte[] answer) throws JwtException {
    String text = new String(answer, StandardCharsets.UTF_8).trim();
    if (serviceXKey == null || text.isEmpty() || text.startsWith("eyJ")) {
      return text;
    }
    try {
      return new String(serverXKey.open(answer, serviceXKey), StandardCharsets.UTF_8).trim();
    } catch (java.security.GeneralSecurityException | RuntimeException e) {
      throw new JwtException("error decrypting auth callout response on account \"" + options.account() + "\": "
          + e.getMessage());
    }
  }

  private JsonObject requestClaims(ConnectOptions c, Client client, String userNkey) {
    long now = System.currentTimeMillis() / 1000;
    JsonObject connect = compact(new JsonObject()
        .put("jwt", c.jwt()).put("nkey", c.nkey()).put("sig", c.sig()).put("auth_token", c.authToken())
        .put("user", c.user()).put("pass", c.pass()).put("name", c.name()).put("lang", c.lang())
        .put("version", c.version()))
        .put("protocol", c.protocol());
    JsonObject info = compact(new JsonObject()
        .put("host", client.host()).put("id", client.cid()).put("user", client.user()).put("name", c.name())
        .put("kind", "Client").put("type", "nats")
        .put("nonce", c.sig() != null && !c.sig().isEmpty() ? client.nonce() : null));
    JsonObject nats = new JsonObject()
        .put("server_id", compact(new JsonObject().put("name", server.name()).put("host", server.host())
            .put("id", server.id()).put("version", server.version())
            .put("xkey", serviceXKey != null ? serverXKey.publicKey() : null)))
        .put("user_nkey", userNkey)
        .put("client_info", info)
        .put("connect_opts", connect)
        .put("type", "authorization_request")
        .put("version", 2);
    byte[] jti = new byte[16];
    RANDOM.nextBytes(jti);
    return new JsonObject()
        .put("jti", java.util.HexFormat.of().formatHex(jti).toUpperCase(java.util.Locale.ROOT))
        .put("iat", now)
        .put("exp", now + Math.max(1, (timeoutMillis + 999) / 1000))
        .put("iss", server.id())
        .put("sub", options.issuer())
        .put("aud", "nats-authorization-request")
        .put("nats", nats);
  }

  /** nats-server's checks of the response and of the user token in it, in its order and words. */
  private AuthService.Result accept(String answer, String userNkey, String host) throws JwtException {
    if (answer.isEmpty()) {
      throw new JwtException("auth callout violation: \"no reason supplied\" on account \"" + options.account() + "\"");
    }
    long now = System.currentTimeMillis() / 1000;
    Jwt response = Jwt.decode(answer, Jwt.Kind.AUTHORIZATION_RESPONSE, now);
    if (!response.subject().equals(userNkey)) {
      throw new JwtException("auth callout violation: auth callout response is not for expected user");
    }
    if (!server.id().equals(response.claims().getString("aud"))) {
      throw new JwtException("auth callout violation: auth callout response is not for server");
    }
    String error = response.nats().getString("error", "");
    if (!error.isEmpty()) {
      throw new JwtException("auth callout service returned an error: " + error);
    }
    Jwt user = Jwt.decode(response.nats().getString("jwt", ""), Jwt.Kind.USER, now);
    UserClaims claims = UserClaims.of(user);
    if (!user.nats().getString("issuer_account", "").isEmpty()) {
      throw new JwtException("error non operator mode account \"" + options.account()
          + "\": attempted to use issuer_account");
    }
    if (!user.issuer().equals(options.issuer()) || !response.issuer().equals(options.issuer())) {
      throw new JwtException("wrong issuer for auth callout response on account \"" + options.account()
          + "\", expected \"" + options.issuer() + "\" got \"" + user.issuer() + "\"");
    }
    if (!user.subject().equals(userNkey)) {
      throw new JwtException("Expected authorized user of \"" + userNkey + "\" but got \"" + user.subject()
          + "\" on account \"" + options.account() + "\"");
    }
    UserTokenCheck.checkConnection(claims, host, "STANDARD");
    long expiresAt;
    try {
      expiresAt = UserTokenCheck.expiresAt(user, claims, java.time.ZonedDateTime.now());
    } catch (JwtException e) {
      throw new JwtException("authorized user on account \"" + options.account() + "\" outside of valid connect times");
    }
    String placement = user.claims().getString("aud", "");
    if (!accountExists.test(placement)) {
      throw new JwtException("no valid account \"" + placement + "\" for auth callout response on account \""
          + options.account() + "\": account not found");
    }
    String name = user.claims().getString("name", "");
    return new AuthService.Result(true, name.isEmpty() ? userNkey : name,
        guard(placement, claims.permissions() == null ? null : new Permissions(claims.permissions())),
        placement, claims.maxSubscriptions(), claims.maxPayload(), expiresAt);
  }

  private static JsonObject compact(JsonObject o) {
    o.fieldNames().removeIf(k -> o.getValue(k) == null || "".equals(o.getValue(k)));
    return o;
  }

  private static String titleCase(String m) {
    return m.isEmpty() ? m : Character.toUpperCase(m.charAt(0)) + m.substring(1);
  }
}
