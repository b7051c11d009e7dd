package io.natsvx;

/**
 * Command-line arguments that cannot be used. {@link #showUsage()} is true for syntax errors,
 * where nats-server (Go's flag package) prints the usage text after the message.
 */
public final class CommandLineException extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean showUsage;

  public CommandLineException(String message, boolean showUsage) {
    super(message);
    this.showUsage = showUsage;
  }

  public boolean showUsage() {
    return showUsage;
  }
}
