package io.natsvx.config;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a YAML config into the same {@link ConfNode} tree as nats.conf, keeping each node's line.
 * Uses SnakeYAML's node graph ({@code compose}) rather than vertx-config-yaml, whose JsonObject
 * drops positions. Scalars keep YAML 1.1 typing (yes/no/on/off are booleans, as in nats.conf);
 * size strings such as "1MB" and durations such as "2m" stay strings for {@link OptionsReader}.
 * An unquoted {@code $NAME} is replaced by the environment variable NAME, read as nats.conf reads
 * it; a quoted "$NAME" stays literal. Stateless entry points.
 */
public final class YamlConfReader {

  private final String source;
  private final Function<String, String> env;
  private final List<String> errors = new ArrayList<>();
  /** Nodes being converted: an alias that points into its own ancestor would recurse forever. */
  private final Set<Node> inProgress = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

  private YamlConfReader(String source, Function<String, String> env) {
    this.source = source;
    this.env = env;
  }

  /** Reads a .yaml/.yml file. */
  public static ConfNode readFile(Path file) throws ConfigException {
    return readFile(file, System::getenv);
  }

  static ConfNode readFile(Path file, Function<String, String> env) throws ConfigException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException("error opening config file: " + file + ": "
          + (e instanceof java.nio.file.NoSuchFileException ? "no such file or directory" : e));
    }
    return readString(text, file.toString(), env);
  }

  /** Reads YAML text; {@code sourceName} stands for the file name in messages. */
  public static ConfNode readString(String text, String sourceName) throws ConfigException {
    return readString(text, sourceName, System::getenv);
  }

  static ConfNode readString(String text, String sourceName, Function<String, String> env)
      throws ConfigException {
    return new YamlConfReader(sourceName, env).read(new StringReader(text));
  }

  private ConfNode read(Reader reader) throws ConfigException {
    Node root;
    try {
      LoaderOptions options = new LoaderOptions();
      root = new Yaml(new SafeConstructor(options)).compose(reader);
    } catch (MarkedYAMLException e) {
      Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String where = m == null ? source : source + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1);
      String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
      throw new ConfigException(where + ": " + problem);
    } catch (YAMLException e) {
      throw new ConfigException(source + ": " + e.getMessage());
    }
    if (root == null) {
      return ConfNode.map(Map.of(), source, 1, 1); // an empty file: all defaults
    }
    if (!(root instanceof MappingNode)) {
      throw new ConfigException(where(root) + ": expected a map of keys at the top of the file");
    }
    ConfNode tree = convert(root);
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    return tree;
  }

  /** Null after recording an error. */
  private ConfNode convert(Node node) {
    if (!inProgress.add(node)) {
      error(node, "an alias refers to a node that contains it");
      return null;
    }
    try {
      if (node instanceof MappingNode) {
        return ConfNode.map(entries((MappingNode) node), source, line(node), column(node));
      } else if (node instanceof SequenceNode) {
        List<ConfNode> items = new ArrayList<>();
        for (Node item : ((SequenceNode) node).getValue()) {
          ConfNode c = convert(item);
          if (c != null) {
            items.add(c);
          }
        }
        return ConfNode.list(items, source, line(node), column(node));
      }
      return scalar((ScalarNode) node);
    } finally {
      inProgress.remove(node);
    }
  }

  private Map<String, ConfNode> entries(MappingNode node) {
    Map<String, ConfNode> merged = new LinkedHashMap<>();
    Map<String, ConfNode> own = new LinkedHashMap<>();
    for (NodeTuple tuple : node.getValue()) {
      Node keyNode = tuple.getKeyNode();
      if (keyNode.getTag().equals(Tag.MERGE)) {
        merge(tuple.getValueNode(), merged);
        continue;
      }
      if (!(keyNode instanceof ScalarNode)) {
        error(keyNode, "keys must be plain strings");
        continue;
      }
      String key = ((ScalarNode) keyNode).getValue();
      Node valueNode = tuple.getValueNode();
      if (valueNode.getTag().equals(Tag.NULL)) {
        error(keyNode, key + ": no value");
        continue;
      }
      ConfNode value = convert(valueNode);
      if (value != null) {
        // As in nats.conf, a value is reported at its key; a repeated key replaces the earlier one.
        own.put(key, value.withPosition(source, line(keyNode), column(keyNode)));
      }
    }
    merged.putAll(own); // keys written in the map win over merged ones ("<<: *defaults")
    return merged;
  }

  private void merge(Node value, Map<String, ConfNode> into) {
    List<Node> sources = value instanceof SequenceNode ? ((SequenceNode) value).getValue() : List.of(value);
    for (Node s : sources) {
      if (!(s instanceof MappingNode)) {
        error(s, "'<<' needs a map or a list of maps");
        continue;
      }
      ConfNode m = convert(s);
      if (m != null) {
        m.asMap().forEach(into::putIfAbsent); // the first listed map wins
      }
    }
  }

  private ConfNode scalar(ScalarNode node) {
    String v = node.getValue();
    int line = line(node);
    int column = column(node);
    Tag tag = node.getTag();
    try {
      if (tag.equals(Tag.NULL)) {
        error(node, "no value");
        return null;
      } else if (tag.equals(Tag.BOOL)) {
        String w = v.toLowerCase(Locale.ROOT);
        return ConfNode.bool(w.equals("true") || w.equals("yes") || w.equals("on"), v, source,
            line, column);
      } else if (tag.equals(Tag.INT)) {
        return ConfNode.integer(yamlInteger(v), v, source, line, column);
      } else if (tag.equals(Tag.FLOAT)) {
        return ConfNode.floating(yamlFloat(v), v, source, line, column);
      }
    } catch (NumberFormatException | ArithmeticException e) {
      error(node, "cannot read '" + v + "' as a number");
      return null;
    }
    if (node.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN && v.startsWith("$")
        && !v.startsWith("$2a$")) {
      return environment(node, v.substring(1));
    }
    // Strings, timestamps and explicitly tagged values stay text.
    return ConfNode.string(v, source, line, column);
  }

  private ConfNode environment(ScalarNode node, String name) {
    String value = env.apply(name);
    if (value == null) {
      error(node, "variable reference for '" + name + "' can not be found"
          + " (no such environment variable)");
      return null;
    }
    try {
      return ConfParser.parseEnvValue(name, value).withPosition(source, line(node), column(node));
    } catch (ConfigException e) {
      error(node, "variable reference for '" + name + "' could not be parsed: " + e.getMessage());
      return null;
    }
  }

  /** YAML 1.1 integers as SnakeYAML reads them: 1_000, 0x1F, 0b101, 017 (octal), 1:30 (base 60). */
  static long yamlInteger(String text) {
    String s = text.replace("_", "");
    int sign = 1;
    if (s.startsWith("-") || s.startsWith("+")) {
      sign = s.startsWith("-") ? -1 : 1;
      s = s.substring(1);
    }
    BigInteger value;
    if (s.equals("0")) {
      return 0;
    } else if (s.startsWith("0b")) {
      value = new BigInteger(s.substring(2), 2);
    } else if (s.startsWith("0x")) {
      value = new BigInteger(s.substring(2), 16);
    } else if (s.startsWith("0o")) {
      value = new BigInteger(s.substring(2), 8);
    } else if (s.startsWith("0")) {
      value = new BigInteger(s.substring(1), 8);
    } else if (s.contains(":")) {
      value = BigInteger.ZERO;
      for (String part : s.split(":")) {
        value = value.multiply(BigInteger.valueOf(60)).add(new BigInteger(part));
      }
    } else {
      value = new BigInteger(s);
    }
    return value.multiply(BigInteger.valueOf(sign)).longValueExact();
  }

  static double yamlFloat(String text) {
    String s = text.replace("_", "").toLowerCase(Locale.ROOT);
    switch (s) {
      case ".inf":
      case "+.inf":
        return Double.POSITIVE_INFINITY;
      case "-.inf":
        return Double.NEGATIVE_INFINITY;
      case ".nan":
        return Double.NaN;
      default:
        if (s.contains(":")) {
          double sign = s.startsWith("-") ? -1 : 1;
          double value = 0;
          for (String part : s.replaceFirst("^[-+]", "").split(":")) {
            value = value * 60 + Double.parseDouble(part);
          }
          return sign * value;
        }
        return Double.parseDouble(s);
    }
  }

  private void error(Node node, String message) {
    errors.add(where(node) + ": " + message);
  }

  private String where(Node node) {
    return source + ":" + line(node) + ":" + column(node);
  }

  private static int line(Node node) {
    return node.getStartMark() == null ? 1 : node.getStartMark().getLine() + 1;
  }

  private static int column(Node node) {
    return node.getStartMark() == null ? 1 : node.getStartMark().getColumn() + 1;
  }
}
