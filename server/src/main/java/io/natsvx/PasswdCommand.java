package io.natsvx;

import io.natsvx.auth.Passwords;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * {@code java -jar server-fat.jar passwd [--pass P] [--cost N]}: prints a bcrypt hash for an
 * {@code authorization} password, like {@code nats server passwd}. Without {@code --pass} it asks
 * twice on the terminal, or reads one line from standard input.
 */
final class PasswdCommand {

  static final int DEFAULT_COST = 11;

  private PasswdCommand() {}

  static int run(String[] args) {
    String password = null;
    int cost = DEFAULT_COST;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--pass", "-p" -> password = i + 1 < args.length ? args[++i] : null;
        case "--cost" -> {
          try {
            cost = Integer.parseInt(i + 1 < args.length ? args[++i] : "");
          } catch (NumberFormatException e) {
            cost = -1;
          }
        }
        default -> {
          System.err.println("natsvx passwd: unknown argument " + args[i]);
          return 2;
        }
      }
    }
    if (cost < 4 || cost > 31) {
      System.err.println("natsvx passwd: --cost must be between 4 and 31");
      return 2;
    }
    try {
      if (password == null) {
        password = ask();
      }
    } catch (IOException e) {
      System.err.println("natsvx passwd: " + e.getMessage());
      return 1;
    }
    if (password == null || password.isEmpty()) {
      System.err.println("natsvx passwd: empty password");
      return 1;
    }
    System.out.println(Passwords.hash(password, cost));
    return 0;
  }

  private static String ask() throws IOException {
    Console console = System.console();
    if (console != null) {
      char[] first = console.readPassword("Enter Password: ");
      char[] second = console.readPassword("Reenter Password: ");
      if (first == null || second == null || !new String(first).equals(new String(second))) {
        throw new IOException("entered passwords do not match");
      }
      return new String(first);
    }
    return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
  }
}
