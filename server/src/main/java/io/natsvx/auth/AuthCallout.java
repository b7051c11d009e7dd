package io.natsvx.auth;

import io.natsvx.protocol.ConnectOptions;
import io.natsvx.config.AuthCalloutOptions;
import io.natsvx.internal.CurveKeys;
import io.natsvx.internal.NKeyCodec;
import io.natsvx.internal.ServerKey;
import io.natsvx.jwt.Jwt;
import io.natsvx.jwt.JwtException;
import io.natsvx.auth.UserClaims;
import io.natsvx.auth.UserTokenCheck;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.function.Consumer;

/**
 * nats-server 2.10's auth callout: for a client its policy sends to the callout, the server
 * signs an {@code authorization_request} token with its own key (naming a fresh user nkey),
 * sealed for the service's curve key when there is one, asks {@code $SYS.REQ.USER.AUTH} in the
 * callout account, and lets the client in only on an {@code authorization_response} for that
 * user nkey and this server, signed as the policy demands, whose user token carries the
 * permissions and limits and is placed by the policy. Thread-safe.
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

  private final ServerKey key;
  private final CurveKeys serverXKey;
  private final ServerIdentity server;
  private final Transport transport;
  private final long timeoutMillis;
  private final Consumer<String> warn;

  public AuthCallout(ServerKey key, CurveKeys serverXKey, ServerIdentity server, Transport transport,
      long timeoutMillis, Consumer<String> warn) {
    this.key = key;
    this.serverXKey = serverXKey;
    this.server = server;
    this.transport = transport;
    this.timeoutMillis = timeoutMillis;
    this.warn = warn;
  }

  /** Users of the callout account may not pose as the server: publishing the request subject is denied. */
  static Permissions guard(CalloutPolicy policy, String account, Permissions permissions) {
    return policy.account().equals(account == null ? "$G" : account)
        ? Permissions.denyingPublish(permissions, AuthCalloutOptions.SUBJECT) : permissions;
  }

  Future<AuthService.Result> authorize(CalloutPolicy policy, ConnectOptions c, Client client) {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    String userNkey = NKeyCodec.encode(NKeyCodec.PREFIX_USER, raw);
    byte[] serviceXKey = CurveKeys.decodePublic(policy.xkey());
    byte[] request = Jwt.sign(requestClaims(policy, c, client, userNkey, serviceXKey != null), key::sign)
        .getBytes(StandardCharsets.UTF_8);
    byte[] headers = null;
    if (serviceXKey != null) {
      request = serverXKey.seal(request, serviceXKey);
      headers = ("NATS/1.0\r\n" + XKEY_HEADER + ": " + serverXKey.publicKey() + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII);
    }
    return transport.request(policy.account(), AuthCalloutOptions.SUBJECT, headers, request, timeoutMillis)
        .transform(ar -> {
          if (ar.failed()) {
            warn.accept("Authorization callout response not received in time on account \"" + policy.account() + "\"");
            return Future.succeededFuture(AuthService.Result.DENIED);
          }
          return accept(policy, ar.result(), serviceXKey, userNkey, client.host())
              .recover(e -> {
                warn.accept(titleCase(e.getMessage()));
                return Future.succeededFuture(AuthService.Result.DENIED);
              });
        });
  }

  private JsonObject requestClaims(CalloutPolicy policy, ConnectOptions c, Client client, String userNkey,
      boolean sealed) {
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
            .put("xkey", sealed ? serverXKey.publicKey() : null)))
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
        .put("sub", policy.requestSubject())
        .put("aud", "nats-authorization-request")
        .put("nats", nats);
  }

  /** nats-server's checks of the response and of the user token in it, in its order and words. */
  private Future<AuthService.Result> accept(CalloutPolicy policy, byte[] answer, byte[] serviceXKey, String userNkey,
      String host) {
    try {
      String text = new String(answer, StandardCharsets.UTF_8).trim();
      boolean sealed = serviceXKey != null && !text.isEmpty() && !text.startsWith("eyJ");
      if (sealed) {
        text = unseal(policy, answer, serviceXKey);
      }
      if (text.isEmpty()) {
        throw new JwtException("auth callout violation: \"no reason supplied\" on account \"" + policy.account() + "\"");
      }
      long now = System.currentTimeMillis() / 1000;
      Jwt response = Jwt.decode(text, Jwt.Kind.AUTHORIZATION_RESPONSE, now);
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
      policy.checkResponse(response, sealed);
      Jwt user = Jwt.decode(response.nats().getString("jwt", ""), Jwt.Kind.USER, now);
      UserClaims claims = UserClaims.of(user);
      if (!user.subject().equals(userNkey)) {
        throw new JwtException("Expected authorized user of \"" + userNkey + "\" but got \"" + user.subject()
            + "\" on account \"" + policy.account() + "\"");
      }
      long expiresAt;
      try {
        expiresAt = UserTokenCheck.expiresAt(user, claims, java.time.ZonedDateTime.now());
      } catch (JwtException e) {
        throw new JwtException("authorized user on account \"" + policy.account() + "\" outside of valid connect times");
      }
      UserTokenCheck.checkConnection(claims, host, "STANDARD");
      String name = user.claims().getString("name", "");
      return policy.place(user, claims).map(placement -> new AuthService.Result(true,
          name.isEmpty() ? userNkey : name,
          guard(policy, placement, claims.permissions() == null ? null : new Permissions(claims.permissions())),
          placement, claims.maxSubscriptions(), claims.maxPayload(), expiresAt));
    } catch (JwtException e) {
      return Future.failedFuture(e.getMessage());
    }
  }

  /** A response that is no token came sealed: opened with the server's curve key. */
  private String unseal(CalloutPolicy policy, byte[] answer, byte[] serviceXKey) throws JwtException {
    try {
      return new String(serverXKey.open(answer, serviceXKey), StandardCharsets.UTF_8).trim();
    } catch (java.security.GeneralSecurityException | RuntimeException e) {
      throw new JwtException("error decrypting auth callout response on account \"" + policy.account() + "\": "
          + e.getMessage());
    }
  }

  private static JsonObject compact(JsonObject o) {
    o.fieldNames().removeIf(k -> o.getValue(k) == null || "".equals(o.getValue(k)));
    return o;
  }

  private static String titleCase(String m) {
    return m == null || m.isEmpty() ? "" : Character.toUpperCase(m.charAt(0)) + m.substring(1);
  }
}
