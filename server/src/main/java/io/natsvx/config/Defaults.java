package io.natsvx.config;

import java.time.Duration;

/** nats-server's defaults (server/const.go), in one place. */
public final class Defaults {
  public static final String HOST = "0.0.0.0";
  public static final int PORT = 4222;
  public static final int MAX_PAYLOAD = 1024 * 1024;
  /** nats-server refuses a max_payload above this. */
  public static final int MAX_PAYLOAD_LIMIT = 64 * 1024 * 1024;
  public static final int MAX_CONTROL_LINE = 4096;
  public static final int MAX_CONNECTIONS = 64 * 1024;
  public static final long MAX_PENDING = 64L * 1024 * 1024;
  public static final Duration WRITE_DEADLINE = Duration.ofSeconds(10);
  public static final Duration PING_INTERVAL = Duration.ofMinutes(2);
  public static final int PING_MAX = 2;
  public static final Duration AUTH_TIMEOUT = Duration.ofSeconds(2);
  /** The first PING to a new client goes out this soon, then every ping_interval. */
  public static final Duration FIRST_PING_INTERVAL = Duration.ofSeconds(2);
  public static final Duration LAME_DUCK_DURATION = Duration.ofMinutes(2);
  public static final Duration LAME_DUCK_GRACE_PERIOD = Duration.ofSeconds(10);

  private Defaults() {}
}
