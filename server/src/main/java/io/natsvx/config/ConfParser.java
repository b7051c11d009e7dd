package io.natsvx.config;

import io.natsvx.config.ConfLexer.Token;
import io.natsvx.config.ConfLexer.Type;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds a {@link ConfNode} tree from nats.conf text, with nats-server's meaning (conf/parse.go):
 * size suffixes on integers, yes/no/on/off booleans, {@code include} files merged into the map
 * they appear in (paths relative to the including file), and {@code $NAME} references looked up
 * in the enclosing maps, innermost first, then in the environment. A quoted "$NAME" is a plain
 * string. Errors name file:line:column. Stateless entry points; each parse uses its own instance.
 */
public final class ConfParser {

  /** An unquoted $2a$... is a bcrypt hash, not a reference. */
  private static final String BCRYPT_PREFIX = "2a$";
  /** The key nats-server uses to parse an environment value as a config value. */
  private static final String ENV_KEY = "pk";

  private final List<Token> tokens;
  private final String source;
  private final Path baseDir;
  private final Function<String, String> env;
  private final Deque<Path> includeChain;
  private final List<String> errors = new ArrayList<>();
  /** Maps being filled, innermost first: the scopes of $NAME lookups. */
  private final Deque<Map<String, ConfNode>> scopes = new ArrayDeque<>();
  private int next;

  private ConfParser(List<Token> tokens, String source, Path baseDir, Function<String, String> env,
      Deque<Path> includeChain) {
    this.tokens = tokens;
    this.source = source;
    this.baseDir = baseDir;
    this.env = env;
    this.includeChain = includeChain;
  }

  /** Parses a nats.conf file, resolving includes and $NAME references (environment: System.getenv). */
  public static ConfNode parseFile(Path file) throws ConfigException {
    return parseFile(file, System::getenv);
  }

  /** As {@link #parseFile(Path)}, with environment lookups through {@code env} (tests). */
  static ConfNode parseFile(Path file, Function<String, String> env) throws ConfigException {
    return parseFile(file, env, new ArrayDeque<>());
  }

  /**
   * Parses nats.conf text that is not in a file; includes are relative to the working directory.
   *
   * @param sourceName used in messages in place of a file name
   */
  public static ConfNode parseString(String text, String sourceName) throws ConfigException {
    return parseString(text, sourceName, System::getenv);
  }

  static ConfNode parseString(String text, String sourceName, Function<String, String> env)
      throws ConfigException {
    List<Token> tokens = ConfLexer.lex(text, sourceName);
    return new ConfParser(tokens, sourceName, Path.of(""), env, new ArrayDeque<>()).parseRoot();
  }

  private static ConfNode parseFile(Path file, Function<String, String> env, Deque<Path> chain)
      throws ConfigException {
    String source = file.toString();
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException("error opening config file: " + describe(file, e));
    }
    Path dir = file.toAbsolutePath().getParent();
    List<Token> tokens = ConfLexer.lex(text, source);
    chain.push(file.toAbsolutePath().normalize());
    try {
      return new ConfParser(tokens, source, dir, env, chain).parseRoot();
    } finally {
      chain.pop();
    }
  }

  // ---- structure ----

  private ConfNode parseRoot() throws ConfigException {
    Map<String, ConfNode> root = new LinkedHashMap<>();
    scopes.push(root);
    entries(root, Type.EOF);
    scopes.pop();
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    return ConfNode.map(root, source, 1, 1);
  }

  /** Key/value pairs and includes up to {@code end} (EOF or MAP_END), into {@code map}. */
  private void entries(Map<String, ConfNode> map, Type end) {
    while (true) {
      Token t = tokens.get(next++);
      if (t.type() == end) {
        return;
      }
      if (t.type() == Type.INCLUDE) {
        include(t, map);
      } else if (t.type() == Type.KEY) {
        ConfNode v = value(tokens.get(next++));
        if (v != null) {
          // Re-defining a key replaces it, as in nats-server; LinkedHashMap keeps the first spot.
          map.put(t.text(), v.withPosition(source, t.line(), t.column()));
        }
      } else {
        // The lexer only produces KEY/INCLUDE here; anything else is a bug in it.
        throw new IllegalStateException("unexpected token " + t);
      }
    }
  }

  /** The value starting at {@code t}; null after recording an error. */
  private ConfNode value(Token t) {
    switch (t.type()) {
      case STRING:
      case DATETIME:
        return ConfNode.string(t.text(), source, t.line(), t.column());
      case BOOL: {
        String w = t.text().toLowerCase(Locale.ROOT);
        boolean b = w.equals("true") || w.equals("yes") || w.equals("on");
        return ConfNode.bool(b, t.text(), source, t.line(), t.column());
      }
      case INTEGER:
        try {
          return ConfNode.integer(ByteSizes.parse(t.text()), t.text(), source, t.line(), t.column());
        } catch (IllegalArgumentException e) {
          error(t, e.getMessage());
          return null;
        }
      case FLOAT:
        return ConfNode.floating(Double.parseDouble(t.text()), t.text(), source, t.line(),
            t.column());
      case VARIABLE:
        return variable(t);
      case ARRAY_START: {
        List<ConfNode> items = new ArrayList<>();
        for (Token u = tokens.get(next++); u.type() != Type.ARRAY_END; u = tokens.get(next++)) {
          ConfNode item = value(u);
          if (item != null) {
            items.add(item);
          }
        }
        return ConfNode.list(items, source, t.line(), t.column());
      }
      case MAP_START: {
        Map<String, ConfNode> map = new LinkedHashMap<>();
        scopes.push(map);
        entries(map, Type.MAP_END);
        scopes.pop();
        return ConfNode.map(map, source, t.line(), t.column());
      }
      default:
        throw new IllegalStateException("unexpected token " + t);
    }
  }

  // ---- $NAME ----

  private ConfNode variable(Token t) {
    String name = t.text();
    if (name.startsWith(BCRYPT_PREFIX)) {
      // An unquoted bcrypt hash ($2a$11$...) is a string, not a reference (nats-server does this).
      return ConfNode.string("$" + name, source, t.line(), t.column());
    }
    for (Map<String, ConfNode> scope : scopes) {
      ConfNode found = scope.get(name);
      if (found != null) {
        // Keys used as variables get no "unknown field" warning from OptionsReader.
        if (!found.usedAsVariable()) {
          scope.put(name, found.markedUsedAsVariable());
        }
        return found.withPosition(source, t.line(), t.column());
      }
    }
    String envValue = env.apply(name);
    if (envValue == null) {
      error(t, "variable reference for '" + name + "' can not be found"
          + " (not defined in an enclosing block and no such environment variable)");
      return null;
    }
    try {
      return parseEnvValue(name, envValue).withPosition(source, t.line(), t.column());
    } catch (ConfigException e) {
      error(t, "variable reference for '" + name + "' could not be parsed: " + e.getMessage());
      return null;
    }
  }

  /**
   * An environment variable's value read as a config value, as nats-server does ("4222" is a
   * number, "true" a boolean, "1MB" a size); used for YAML too.
   */
  static ConfNode parseEnvValue(String name, String value) throws ConfigException {
    ConfNode parsed = parseString(ENV_KEY + "=" + value, "environment variable " + name, n -> null);
    ConfNode v = parsed.get(ENV_KEY);
    if (v == null || parsed.asMap().size() != 1) {
      throw new ConfigException("not a single value: '" + value + "'");
    }
    return v;
  }

  // ---- include ----

  private void include(Token t, Map<String, ConfNode> into) {
    Path target = baseDir.resolve(t.text()).normalize();
    Path absolute = target.toAbsolutePath().normalize();
    if (includeChain.contains(absolute)) {
      List<String> cycle = new ArrayList<>();
      for (Iterator<Path> it = includeChain.descendingIterator(); it.hasNext(); ) {
        cycle.add(it.next().getFileName().toString());
      }
      cycle.add(absolute.getFileName().toString());
      error(t, "include cycle: " + String.join(" -> ", cycle));
      return;
    }
    if (!Files.isRegularFile(target)) {
      String why = Files.exists(target) ? "not a regular file" : "no such file or directory";
      error(t, "error parsing include file '" + t.text() + "': open " + target + ": " + why);
      return;
    }
    try {
      ConfNode included = parseFile(target, env, includeChain);
      into.putAll(included.asMap());
    } catch (ConfigException e) {
      // The included file's messages already name that file and line.
      errors.addAll(e.errors());
    }
  }

  private void error(Token t, String message) {
    errors.add(source + ":" + t.line() + ":" + t.column() + ": " + message);
  }

  private static String describe(Path file, IOException e) {
    String reason = e.getClass().getSimpleName().replace("Exception", "");
    if (e instanceof java.nio.file.NoSuchFileException) {
      reason = "no such file or directory";
    } else if (e instanceof java.nio.file.AccessDeniedException) {
      reason = "permission denied";
    } else if (e.getMessage() != null) {
      reason = e.getMessage();
    }
    return "open " + file + ": " + reason;
  }
}
