package io.natsvx.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One node of a parsed configuration (nats.conf or YAML): a map with ordered string keys, a list,
 * or a scalar. Every node keeps the file and the 1-based line and column it came from, so that
 * {@link OptionsReader} can say where a bad value is. A value stored under a key carries the key's
 * position, as nats-server reports errors at the key. Immutable and thread-safe.
 */
public final class ConfNode {

  /** The kinds of values a configuration holds. */
  public enum Kind {
    MAP("a map"),
    LIST("a list"),
    STRING("a string"),
    INTEGER("an integer"),
    FLOAT("a float"),
    BOOLEAN("a boolean");

    private final String description;

    Kind(String description) {
      this.description = description;
    }

    /** "a map", "an integer"…, for messages. */
    public String description() {
      return description;
    }
  }

  private final Kind kind;
  private final Object value; // Map<String, ConfNode>, List<ConfNode>, String, Long, Double, Boolean
  private final String text;  // the scalar as written in the source, e.g. "1MB"; null for MAP/LIST
  private final String file;
  private final int line;
  private final int column;
  private final boolean usedAsVariable;

  private ConfNode(Kind kind, Object value, String text, String file, int line, int column,
      boolean usedAsVariable) {
    this.kind = kind;
    this.value = value;
    this.text = text;
    this.file = file;
    this.line = line;
    this.column = column;
    this.usedAsVariable = usedAsVariable;
  }

  // ---- factories (positions: file may be null for text not read from a file) ----

  public static ConfNode map(Map<String, ConfNode> entries, String file, int line, int column) {
    Map<String, ConfNode> copy = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    return new ConfNode(Kind.MAP, copy, null, file, line, column, false);
  }

  public static ConfNode list(List<ConfNode> items, String file, int line, int column) {
    return new ConfNode(Kind.LIST, List.copyOf(items), null, file, line, column, false);
  }

  public static ConfNode string(String value, String file, int line, int column) {
    return new ConfNode(Kind.STRING, Objects.requireNonNull(value), value, file, line, column, false);
  }

  public static ConfNode integer(long value, String text, String file, int line, int column) {
    return new ConfNode(Kind.INTEGER, value, text, file, line, column, false);
  }

  public static ConfNode floating(double value, String text, String file, int line, int column) {
    return new ConfNode(Kind.FLOAT, value, text, file, line, column, false);
  }

  public static ConfNode bool(boolean value, String text, String file, int line, int column) {
    return new ConfNode(Kind.BOOLEAN, value, text, file, line, column, false);
  }

  /** The same value at another position (a value takes its key's position; a $NAME its own). */
  ConfNode withPosition(String newFile, int newLine, int newColumn) {
    return new ConfNode(kind, value, text, newFile, newLine, newColumn, false);
  }

  /** This node marked as the target of a {@code $NAME} reference (no "unknown field" warning). */
  ConfNode markedUsedAsVariable() {
    return new ConfNode(kind, value, text, file, line, column, true);
  }

  // ---- position ----

  /** The file this node came from, or null (text parsed from a string). */
  public String file() {
    return file;
  }

  /** 1-based line. */
  public int line() {
    return line;
  }

  /** 1-based column. */
  public int column() {
    return column;
  }

  /** "file:line" for messages. */
  public String location() {
    return (file == null ? "<config>" : file) + ":" + line;
  }

  /**
   * True when a {@code $NAME} reference in the config used this top-level key; nats-server does
   * not call such keys unknown fields.
   */
  public boolean usedAsVariable() {
    return usedAsVariable;
  }

  // ---- value ----

  public Kind kind() {
    return kind;
  }

  public boolean isMap() {
    return kind == Kind.MAP;
  }

  public boolean isList() {
    return kind == Kind.LIST;
  }

  public boolean isString() {
    return kind == Kind.STRING;
  }

  public boolean isInteger() {
    return kind == Kind.INTEGER;
  }

  public boolean isFloat() {
    return kind == Kind.FLOAT;
  }

  public boolean isBoolean() {
    return kind == Kind.BOOLEAN;
  }

  /** The scalar as written in the source ("1MB", "yes", "2m"), or null for maps and lists. */
  public String text() {
    return text;
  }

  @SuppressWarnings("unchecked")
  public Map<String, ConfNode> asMap() {
    expect(Kind.MAP);
    return (Map<String, ConfNode>) value;
  }

  @SuppressWarnings("unchecked")
  public List<ConfNode> asList() {
    expect(Kind.LIST);
    return (List<ConfNode>) value;
  }

  public String asString() {
    expect(Kind.STRING);
    return (String) value;
  }

  public long asLong() {
    expect(Kind.INTEGER);
    return (Long) value;
  }

  public double asDouble() {
    expect(Kind.FLOAT);
    return (Double) value;
  }

  public boolean asBoolean() {
    expect(Kind.BOOLEAN);
    return (Boolean) value;
  }

  /** The child under {@code key} of a map (exact key), or null if absent or not a map. */
  public ConfNode get(String key) {
    return kind == Kind.MAP ? asMap().get(key) : null;
  }

  /** The child under {@code key} compared case-insensitively, as nats-server matches keys. */
  public ConfNode getIgnoreCase(String key) {
    if (kind != Kind.MAP) {
      return null;
    }
    ConfNode found = null;
    for (Map.Entry<String, ConfNode> e : asMap().entrySet()) {
      if (e.getKey().equalsIgnoreCase(key)) {
        found = e.getValue(); // the last one wins, as when a key is repeated
      }
    }
    return found;
  }

  /**
   * The value as plain Java objects (LinkedHashMap, ArrayList, String, Long, Double, Boolean),
   * e.g. to hand a plugin's config block to a JsonObject.
   */
  public Object toPlain() {
    switch (kind) {
      case MAP: {
        Map<String, Object> m = new LinkedHashMap<>();
        asMap().forEach((k, v) -> m.put(k, v.toPlain()));
        return m;
      }
      case LIST: {
        List<Object> l = new ArrayList<>();
        asList().forEach(v -> l.add(v.toPlain()));
        return l;
      }
      default:
        return value;
    }
  }

  private void expect(Kind wanted) {
    if (kind != wanted) {
      throw new IllegalStateException(location() + ": expected " + wanted.description()
          + " but is " + kind.description());
    }
  }

  @Override
  public boolean equals(Object o) {
    // Value equality; the position is where it came from, not what it is.
    return o instanceof ConfNode && ((ConfNode) o).kind == kind && ((ConfNode) o).value.equals(value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, value);
  }

  @Override
  public String toString() {
    return String.valueOf(toPlain());
  }
}
