package io.natsvx.plugin.api;

import io.vertx.core.json.JsonObject;
import java.security.cert.X509Certificate;

/**
 * A client asking to connect: its CONNECT fields as sent ({@code user}, {@code pass},
 * {@code auth_token}, {@code name}, {@code nkey}, {@code sig}, {@code jwt}, ...), its address,
 * its TLS certificate when it showed one, and the nonce the server sent it (null without one).
 */
public record AuthRequest(JsonObject connect, String remoteAddress, int remotePort, X509Certificate certificate,
    String nonce) {}
