package io.natsvx.auth;

import io.natsvx.jwt.Jwt;
import io.natsvx.jwt.JwtException;
import io.natsvx.auth.UserClaims;
import io.vertx.core.Future;

/**
 * What differs between the auth callout of the config file and that of an account token
 * (operator mode): where the request goes, whom it names, which key seals it, who may sign the
 * answer, and which account the authorized user lands in.
 */
interface CalloutPolicy {

  /** The account the service listens in (a config name, or an account's public key). */
  String account();

  /** The request token's {@code sub}: the configured issuer, or the account's key. */
  String requestSubject();

  /** The service's curve public key ('X...') when requests are sealed; null otherwise. */
  String xkey();

  /** Checks who signed the response; {@code sealed} when it came encrypted. */
  void checkResponse(Jwt response, boolean sealed) throws JwtException;

  /** Checks who signed the user token and gives the name of the account the client lands in. */
  Future<String> place(Jwt user, UserClaims claims);
}
