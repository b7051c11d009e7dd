package io.natsvx.protocol;

/**
 * What a gateway connection does with the route dialect plus the account interest operations
 * only gateways have (nats-server's GATEWAY kind: A+ and A-).
 */
public interface GatewayProtocolHandler extends RouteProtocolHandler {

  /** A+ or A-: {@code account}, unsplit. */
  void onAccountSub(byte[] args, int off, int len, boolean add);
}
