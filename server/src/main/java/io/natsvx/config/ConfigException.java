package io.natsvx.config;

import java.util.List;

/**
 * A configuration that cannot be used: one or more messages, each naming the file, line and what
 * is wrong (nats-server reports all problems of a file at once, and so do we).
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final List<String> errors;
  private final List<String> warnings;

  public ConfigException(String error) {
    this(List.of(error));
  }

  public ConfigException(List<String> errors) {
    this(errors, List.of());
  }

  /** Errors plus the warnings found alongside them, which a caller may print too. */
  public ConfigException(List<String> errors, List<String> warnings) {
    super(String.join("\n", errors));
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one message");
    }
    this.errors = List.copyOf(errors);
    this.warnings = List.copyOf(warnings);
  }

  /** The messages, in the order they were found. */
  public List<String> errors() {
    return errors;
  }

  /** Warnings found in the same pass (not part of {@link #getMessage()}). */
  public List<String> warnings() {
    return warnings;
  }
}
