package io.natsvx.conn;

/** The kinds of connection, with the tag and name nats-server's log lines and monitoring use. */
public enum ConnectionKind {
  CLIENT("cid", "Client"),
  ROUTE("rid", "Route"),
  LEAF("lid", "Leafnode"),
  GATEWAY("gid", "Gateway");

  private final String tag;
  private final String title;

  ConnectionKind(String tag, String title) {
    this.tag = tag;
    this.title = title;
  }

  /** "cid", "rid"... as in nats-server's log lines. */
  public String tag() {
    return tag;
  }

  /** "Client", "Route"... for log lines and monitoring. */
  public String title() {
    return title;
  }
}
