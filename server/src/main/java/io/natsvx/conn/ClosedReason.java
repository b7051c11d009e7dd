package io.natsvx.conn;

/** Why a connection closed, with nats-server's wording (monitoring shows it). */
public enum ClosedReason {
  CLIENT_CLOSED("Client Closed"),
  AUTHENTICATION_TIMEOUT("Authentication Timeout"),
  AUTHENTICATION_VIOLATION("Authentication Failure"),
  AUTHENTICATION_EXPIRED("Authentication Expired"),
  AUTHENTICATION_REVOKED("Credentials Revoked"),
  TLS_HANDSHAKE_ERROR("TLS Handshake Failure"),
  SLOW_CONSUMER_PENDING_BYTES("Slow Consumer (Pending Bytes)"),
  SLOW_CONSUMER_WRITE_DEADLINE("Slow Consumer (Write Deadline)"),
  WRITE_ERROR("Write Error"),
  READ_ERROR("Read Error"),
  PARSE_ERROR("Parse Error"),
  STALE_CONNECTION("Stale Connection"),
  PROTOCOL_VIOLATION("Protocol Violation"),
  BAD_CLIENT_PROTOCOL_VERSION("Bad Client Protocol Version"),
  MAX_CONNECTIONS_EXCEEDED("Maximum Connections Exceeded"),
  MAX_ACCOUNT_CONNECTIONS_EXCEEDED("Maximum Account Connections Exceeded"),
  MAX_PAYLOAD_EXCEEDED("Maximum Message Payload Exceeded"),
  MAX_CONTROL_LINE_EXCEEDED("Maximum Control Line Exceeded"),
  MSG_HEADER_VIOLATION("Message Header Violation"),
  NO_RESPONDERS_REQUIRES_HEADERS("No Responders Requires Headers"),
  SERVER_SHUTDOWN("Server Shutdown"),
  DUPLICATE_ROUTE("Duplicate Route"),
  ROUTE_REMOVED("Route Removed"),
  CLUSTER_NAME_CONFLICT("Cluster Name Conflict"),
  WRONG_GATEWAY("Wrong Gateway"),
  WRONG_PORT("Incorrect Port"),
  DUPLICATE_SERVER_NAME("Duplicate Server Name"),
  MISSING_ACCOUNT("Missing Account"),
  DUPLICATE_REMOTE_LEAFNODE_CONNECTION("Duplicate Remote LeafNode Connection"),
  CLUSTER_NAMES_IDENTICAL("Cluster Names Identical");

  private final String text;

  ClosedReason(String text) {
    this.text = text;
  }

  public String text() {
    return text;
  }
}
