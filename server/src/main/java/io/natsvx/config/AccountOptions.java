package io.natsvx.config;

import io.natsvx.config.AuthOptions.UserOptions;
import java.time.Duration;
import java.util.List;

/**
 * One entry of the {@code accounts} block: its users, what it exports to and imports from
 * other accounts, its limits, and its JetStream limits (null: no JetStream). Immutable.
 */
public record AccountOptions(String name, List<UserOptions> users, List<Export> exports, List<Import> imports,
    Limits limits, JetStreamOptions.AccountLimits jetStream) {

  public AccountOptions {
    users = List.copyOf(users);
    exports = List.copyOf(exports);
    imports = List.copyOf(imports);
    limits = limits == null ? Limits.NONE : limits;
  }

  public AccountOptions(String name, List<UserOptions> users, List<Export> exports, List<Import> imports) {
    this(name, users, exports, imports, Limits.NONE, null);
  }

  public AccountOptions(String name, List<UserOptions> users, List<Export> exports, List<Import> imports,
      Limits limits) {
    this(name, users, exports, imports, limits, null);
  }

  /**
   * The account's {@code limits} block: connections, subscriptions and payload size, each 0 (or
   * negative) for none; {@code max_leafnodes} waits for leaf nodes.
   */
  public record Limits(int maxConnections, int maxSubscriptions, int maxPayload) {
    public static final Limits NONE = new Limits(0, 0, 0);
  }

  /** Response types of service exports. */
  public enum ResponseType { SINGLETON, STREAM, CHUNKED }

  /**
   * {@code {stream: subject}} or {@code {service: subject, response_type, response_threshold}};
   * {@code accounts} lists who may import it, null meaning anyone.
   */
  public record Export(String subject, boolean service, List<String> accounts, ResponseType responseType,
      Duration responseThreshold) {}

  /**
   * {@code {stream: {account, subject}, prefix | to}} or {@code {service: {account, subject}, to}}.
   * For a stream, {@code prefix} is prepended to the subject and {@code to} replaces it; for a
   * service, {@code to} is the subject clients of this account send requests to (default: the
   * exported subject).
   */
  public record Import(boolean service, String account, String subject, String to, String prefix) {}
}
