package io.natsvx.protocol;

/**
 * Why the parser stopped, and what the client is told before the close. A {@code null}
 * {@link #errText()} means nats-server closes without an -ERR.
 */
public enum ProtocolError {
  UNKNOWN_OPERATION("Unknown Protocol Operation"),
  MAX_CONTROL_LINE("maximum control line exceeded"),
  MAX_PAYLOAD("Maximum Payload Violation"),
  BAD_PUB_ARGS(null),
  BAD_HPUB_ARGS(null),
  BAD_ROUTED_MSG_ARGS(null),
  HEADERS_NOT_SUPPORTED(null);

  private final String errText;

  ProtocolError(String errText) {
    this.errText = errText;
  }

  public String errText() {
    return errText;
  }
}
