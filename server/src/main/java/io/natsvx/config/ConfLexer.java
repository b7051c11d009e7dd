package io.natsvx.config;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits nats.conf text into tokens, following the rules of nats-server's conf/lex.go: keys and
 * values separated by '=', ':' or blanks; '{' maps and '[' arrays; '#' and '//' comments; single-
 * quoted (raw), double-quoted (escapes) and unquoted strings; numbers with size suffixes; the
 * {@code include} keyword; {@code $NAME} references. Where lex.go accepts something by accident
 * and then misreads it (an integer followed by ']' becomes a string, "1m30s" a broken integer),
 * this lexer takes the obvious meaning instead. Not thread-safe; one instance per text.
 */
final class ConfLexer {

  enum Type {
    KEY, STRING, BOOL, INTEGER, FLOAT, DATETIME, VARIABLE, INCLUDE,
    ARRAY_START, ARRAY_END, MAP_START, MAP_END, EOF
  }

  /** A token; {@code text} is the value without quotes, escapes resolved. */
  record Token(Type type, String text, int line, int column) {}

  private static final int EOF = -1;

  private final String in;
  private final String source;
  private final List<Token> tokens = new ArrayList<>();
  private int pos;
  private int line = 1;
  private int lineStart;

  private ConfLexer(String in, String source) {
    this.in = in;
    this.source = source;
  }

  /**
   * Tokens of {@code text}, ending with an EOF token.
   *
   * @param source the file name for messages
   * @throws ConfigException at the first syntax error ("file:line:column: what")
   */
  static List<Token> lex(String text, String source) throws ConfigException {
    ConfLexer lx = new ConfLexer(text, source);
    lx.top();
    return lx.tokens;
  }

  // ---- structure ----

  private void top() throws ConfigException {
    while (true) {
      // A whole file may be wrapped in braces; lex.go skips them. Stray ';' and ',' between
      // top-level entries are skipped too ("port: 1;;" is valid for nats-server).
      skipBlanksAndComments(true);
      if (peek() == EOF) {
        emit(Type.EOF, "", line, column());
        return;
      }
      keyAndValue(false);
      topValueEnd();
    }
  }

  private void topValueEnd() throws ConfigException {
    skipSpacesAndTabs();
    int c = peek();
    if (isCommentStart()) {
      skipComment();
    } else if (c == EOF) {
      return;
    } else if (isNewline(c) || c == ';' || c == ',' || c == '}') {
      next();
    } else {
      throw error("Expected a top-level value to end with a new line, comment or EOF, but got '"
          + show(c) + "' instead.");
    }
  }

  /** A key then its value, or an include. Emits KEY + value tokens, or INCLUDE. */
  private void keyAndValue(boolean inMap) throws ConfigException {
    int keyLine = line;
    int keyColumn = column();
    int c = peek();
    String key;
    if (c == '=' || c == ':') {
      throw error("Unexpected key separator '" + (char) c + "'.");
    } else if (c == '"' || c == '\'') {
      next();
      int start = pos;
      while (peek() != c) {
        if (peek() == EOF) {
          throw error("Unexpected EOF processing quoted key.");
        }
        next();
      }
      key = in.substring(start, pos);
      next();
    } else {
      int start = pos;
      while (peek() != EOF && !isSpace(peek()) && peek() != '=' && peek() != ':') {
        next();
      }
      key = in.substring(start, pos);
      if (key.equalsIgnoreCase("include") && isSpace(peek())) {
        include(keyLine, keyColumn);
        return;
      }
    }
    emit(Type.KEY, key, keyLine, keyColumn);

    skipAllSpace();
    boolean separator = peek() == '=' || peek() == ':';
    if (separator) {
      next();
    }
    if (inMap || !separator) {
      // Inside maps (and before a value without separator) lex.go lets the value start on a later line.
      skipAllSpace();
    } else {
      skipSpacesAndTabs();
      if (isNewline(peek())) {
        throw error("Expected value but found new line");
      }
    }
    c = peek();
    if (c == EOF || (inMap && c == '}')) {
      throw error("Expected a value for key '" + key + "'");
    }
    if (inMap && c == ',') {
      throw error("Unexpected map value terminator ','.");
    }
    value();
  }

  private void include(int keyLine, int keyColumn) throws ConfigException {
    skipSpacesAndTabs();
    int c = peek();
    String name;
    if (c == '\'' || c == '"') {
      next();
      int start = pos;
      while (peek() != c) {
        if (peek() == EOF) {
          throw error(c == '"' ? "Unexpected EOF in double quoted include"
              : "Unexpected EOF in quoted include");
        }
        next();
      }
      name = in.substring(start, pos);
      next();
    } else if (c == '[') {
      throw error("Expected include value but found start of an array");
    } else if (c == '{') {
      throw error("Expected include value but found start of a map");
    } else if (c == '(') {
      throw error("Expected include value but found start of a block");
    } else if (isDigit(c) || c == '-') {
      throw error("Expected include value but found start of a number");
    } else if (c == '\\') {
      throw error("Expected include value but found escape sequence");
    } else if (isNewline(c) || c == EOF) {
      throw error("Expected include value but found " + (c == EOF ? "end of file" : "new line"));
    } else {
      int start = pos;
      while ((c = peek()) != EOF && !isNewline(c) && c != ';' && c != '}' && !isBlank(c)
          && c != '\'') {
        next();
      }
      name = in.substring(start, pos);
      if (c == '\'') {
        next();
      }
    }
    emit(Type.INCLUDE, name, keyLine, keyColumn);
  }

  private void value() throws ConfigException {
    int startLine = line;
    int startColumn = column();
    int start = pos;
    int c = next();
    switch (c) {
      case '[':
        emit(Type.ARRAY_START, "[", startLine, startColumn);
        arrayValues();
        return;
      case '{':
        emit(Type.MAP_START, "{", startLine, startColumn);
        mapEntries();
        return;
      case '\'':
        singleQuoted(startLine, startColumn);
        return;
      case '"':
        unquotedOrDoubleQuoted(start + 1, true, startLine, startColumn);
        return;
      case '-':
        negativeNumber(start, startLine, startColumn);
        return;
      case '(':
        block(startLine, startColumn);
        return;
      case '.':
        throw error("Floats must start with a digit");
      default:
        if (isNewline(c)) {
          throw error("Expected value but found new line");
        }
        if (isDigit(c)) {
          numberDateStringOrIp(start, startLine, startColumn);
          return;
        }
        pos = start; // the first character belongs to the string
        unquotedOrDoubleQuoted(start, false, startLine, startColumn);
    }
  }

  private void arrayValues() throws ConfigException {
    while (true) {
      skipBlanksAndComments(false);
      int c = peek();
      if (c == ',') {
        throw error("Unexpected array value terminator ','.");
      } else if (c == ']') {
        emit(Type.ARRAY_END, "]", line, column());
        next();
        return;
      } else if (c == EOF) {
        throw error("Unexpected EOF processing array.");
      }
      value();
      skipSpacesAndTabs();
      c = peek();
      if (isCommentStart()) {
        skipComment();
      } else if (c == ',' || isNewline(c)) {
        next();
      } else if (c == ']') {
        emit(Type.ARRAY_END, "]", line, column());
        next();
        return;
      } else {
        throw error("Expected an array value terminator ',' or an array terminator ']', but got '"
            + show(c) + "' instead.");
      }
    }
  }

  private void mapEntries() throws ConfigException {
    while (true) {
      skipBlanksAndComments(false);
      int c = peek();
      if (c == '=' || c == ':') {
        throw error("Unexpected key separator '" + (char) c + "'.");
      } else if (c == ']') {
        throw error("Unexpected array end ']' processing map.");
      } else if (c == '}') {
        emit(Type.MAP_END, "}", line, column());
        next();
        return;
      } else if (c == EOF) {
        throw error("Unexpected EOF processing map.");
      }
      keyAndValue(true);
      skipSpacesAndTabs();
      c = peek();
      if (isCommentStart()) {
        skipComment();
      } else if (c == ';' || c == ',' || isNewline(c)) {
        next();
      } else if (c == '}') {
        emit(Type.MAP_END, "}", line, column());
        next();
        return;
      } else if (c == EOF) {
        throw error("Unexpected EOF processing map.");
      } else {
        throw error("Expected a map value terminator ',' or a map terminator '}', but got '"
            + show(c) + "' instead.");
      }
    }
  }

  // ---- scalars ----

  private void singleQuoted(int startLine, int startColumn) throws ConfigException {
    int start = pos;
    while (peek() != '\'') {
      if (peek() == EOF) {
        throw error("Unexpected EOF in quoted string.");
      }
      next();
    }
    emit(Type.STRING, in.substring(start, pos), startLine, startColumn);
    next();
  }

  /**
   * A double-quoted string (from after the quote) or an unquoted one (from its first character,
   * which may follow digits already read). Both resolve backslash escapes, as lex.go does.
   */
  private void unquotedOrDoubleQuoted(int start, boolean quoted, int startLine, int startColumn)
      throws ConfigException {
    ByteArrayOutputStream bytes = null; // only once an escape shows up; \xXX adds raw bytes
    int partStart = start;
    while (true) {
      int c = peek();
      if (c == '\\') {
        if (bytes == null) {
          bytes = new ByteArrayOutputStream();
        }
        bytes.writeBytes(in.substring(partStart, pos).getBytes(StandardCharsets.UTF_8));
        next();
        escape(bytes);
        partStart = pos;
        continue;
      }
      if (quoted) {
        if (c == EOF) {
          throw error("Unexpected EOF in double quoted string.");
        }
        if (c == '"') {
          break;
        }
      } else if (c == EOF || isNewline(c) || c == ';' || c == ',' || c == ']' || c == '}'
          || isBlank(c) || c == '\'') {
        break;
      }
      next();
    }
    String tail = in.substring(partStart, pos);
    String value;
    if (bytes != null) {
      bytes.writeBytes(tail.getBytes(StandardCharsets.UTF_8));
      value = bytes.toString(StandardCharsets.UTF_8);
    } else {
      value = tail;
    }
    if (quoted || peek() == '\'') {
      next(); // the closing quote (lex.go also ends an unquoted string at a single quote)
    }
    if (quoted || bytes != null) {
      emit(Type.STRING, value, startLine, startColumn);
    } else if (isBoolWord(value)) {
      emit(Type.BOOL, value, startLine, startColumn);
    } else if (value.startsWith("$")) {
      emit(Type.VARIABLE, value.substring(1), startLine, startColumn);
    } else {
      emit(Type.STRING, value, startLine, startColumn);
    }
  }

  private void escape(ByteArrayOutputStream out) throws ConfigException {
    int c = next();
    switch (c) {
      case 'x': {
        int a = next();
        int b = isNewline(a) ? a : next();
        if (isNewline(a) || isNewline(b) || a == EOF || b == EOF) {
          throw error("Expected two hexadecimal digits after '\\x', but hit end of line");
        }
        int hi = Character.digit(a, 16);
        int lo = Character.digit(b, 16);
        if (hi < 0 || lo < 0) {
          throw error("Expected two hexadecimal digits after '\\x', but got '"
              + (char) a + (char) b + "'");
        }
        out.write(hi * 16 + lo);
        return;
      }
      case 't':
        out.write('\t');
        return;
      case 'n':
        out.write('\n');
        return;
      case 'r':
        out.write('\r');
        return;
      case '"':
        out.write('"');
        return;
      case '\\':
        out.write('\\');
        return;
      default:
        throw error("Invalid escape character '" + show(c) + "'. Only the following escape "
            + "characters are allowed: \\xXX, \\t, \\n, \\r, \\\", \\\\.");
    }
  }

  /** After a first digit: an integer (maybe with a size suffix), a float, an IP, a date or a string. */
  private void numberDateStringOrIp(int start, int startLine, int startColumn)
      throws ConfigException {
    while (true) {
      int c = peek();
      if (isDigit(c)) {
        next();
      } else if (c == '-') {
        if (pos - start != 4) {
          throw error("All ISO8601 dates must be in full Zulu form.");
        }
        next();
        date(start, startLine, startColumn);
        return;
      } else if (c == '.') {
        next();
        floatOrIp(start, startLine, startColumn);
        return;
      } else if (isSizeSuffix(c)) {
        next();
        sizeSuffix(start, startLine, startColumn);
        return;
      } else if (endsNumber(c)) {
        emit(Type.INTEGER, in.substring(start, pos), startLine, startColumn);
        return;
      } else {
        // "10s", "4222abc": an unquoted string that starts with digits.
        unquotedOrDoubleQuoted(start, false, startLine, startColumn);
        return;
      }
    }
  }

  private void sizeSuffix(int start, int startLine, int startColumn) throws ConfigException {
    while (peek() == 'b' || peek() == 'B' || peek() == 'i' || peek() == 'I') {
      next();
    }
    if (endsNumber(peek())) {
      emit(Type.INTEGER, in.substring(start, pos), startLine, startColumn);
    } else {
      // "2min", "1m30s": a string; ConfParser checks the suffix of real integers.
      unquotedOrDoubleQuoted(start, false, startLine, startColumn);
    }
  }

  private void negativeNumber(int start, int startLine, int startColumn) throws ConfigException {
    int c = peek();
    if (!isDigit(c)) {
      throw error(c == '.' ? "Floats must start with a digit, not '.'."
          : "Expected a digit but got '" + show(c) + "'.");
    }
    while (isDigit(peek())) {
      next();
    }
    if (peek() == '.') {
      next();
      floatOrIp(start, startLine, startColumn);
    } else if (isSizeSuffix(peek())) {
      next();
      sizeSuffix(start, startLine, startColumn);
    } else {
      emit(Type.INTEGER, in.substring(start, pos), startLine, startColumn);
    }
  }

  private void floatOrIp(int start, int startLine, int startColumn) throws ConfigException {
    int c = peek();
    if (!isDigit(c)) {
      throw error("Floats must have a digit after the '.', but got '" + show(c) + "' instead.");
    }
    while (isDigit(peek())) {
      next();
    }
    if (peek() == '.') {
      // A second dot: an IP address such as 127.0.0.1 or 0.0.0.0:4222, kept as a string.
      while (isDigit(peek()) || peek() == '.' || peek() == ':' || peek() == '-') {
        next();
      }
      emit(Type.STRING, in.substring(start, pos), startLine, startColumn);
      return;
    }
    emit(Type.FLOAT, in.substring(start, pos), startLine, startColumn);
  }

  /** The rest of a Zulu date after "YYYY-": "MM-DDTHH:MM:SSZ". */
  private void date(int start, int startLine, int startColumn) throws ConfigException {
    String format = "00-00T00:00:00Z";
    for (int i = 0; i < format.length(); i++) {
      char f = format.charAt(i);
      int c = next();
      if (f == '0') {
        if (!isDigit(c)) {
          throw error("Expected digit in ISO8601 datetime, but found '" + show(c) + "' instead.");
        }
      } else if (c != f) {
        throw error("Expected '" + f + "' in ISO8601 datetime, but found '" + show(c)
            + "' instead.");
      }
    }
    emit(Type.DATETIME, in.substring(start, pos), startLine, startColumn);
  }

  /** {@code ( ... )}: raw text up to a ')' alone at the start of a line. */
  private void block(int startLine, int startColumn) throws ConfigException {
    int start = pos;
    while (true) {
      int c = next();
      if (c == EOF) {
        throw error("Unexpected EOF processing block.");
      }
      if (c == ')' && pos - 2 >= start && in.charAt(pos - 2) == '\n'
          && (peek() == '\n' || peek() == EOF)) {
        emit(Type.STRING, in.substring(start, pos - 2), startLine, startColumn);
        return;
      }
    }
  }

  // ---- characters ----

  private int peek() {
    return pos < in.length() ? in.charAt(pos) : EOF;
  }

  private int next() {
    if (pos >= in.length()) {
      return EOF;
    }
    char c = in.charAt(pos++);
    if (c == '\n') {
      line++;
      lineStart = pos;
    }
    return c;
  }

  private int column() {
    return pos - lineStart + 1;
  }

  private boolean isCommentStart() {
    return peek() == '#' || (peek() == '/' && pos + 1 < in.length() && in.charAt(pos + 1) == '/');
  }

  /** Skips to the end of the line, leaving the newline. */
  private void skipComment() {
    while (peek() != EOF && !isNewline(peek())) {
      next();
    }
  }

  private void skipSpacesAndTabs() {
    while (isBlank(peek())) {
      next();
    }
  }

  private void skipAllSpace() {
    while (isSpace(peek())) {
      next();
    }
  }

  private void skipBlanksAndComments(boolean topLevel) {
    while (true) {
      int c = peek();
      if (isSpace(c) || (topLevel && (c == '{' || c == '}' || c == ';' || c == ','))) {
        next();
      } else if (isCommentStart()) {
        skipComment();
      } else {
        return;
      }
    }
  }

  private void emit(Type type, String text, int tokenLine, int tokenColumn) {
    tokens.add(new Token(type, text, tokenLine, tokenColumn));
  }

  private ConfigException error(String message) {
    return new ConfigException(source + ":" + line + ":" + column() + ": " + message);
  }

  private static boolean endsNumber(int c) {
    return c == EOF || isNewline(c) || c == '}' || c == ']' || c == ';' || c == ',' || isBlank(c);
  }

  private static boolean isSizeSuffix(int c) {
    return c != EOF && "kKmMgGtTpPeE".indexOf(c) >= 0;
  }

  static boolean isBoolWord(String s) {
    switch (s.toLowerCase(java.util.Locale.ROOT)) {
      case "true": case "false": case "yes": case "no": case "on": case "off":
        return true;
      default:
        return false;
    }
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isBlank(int c) {
    return c == ' ' || c == '\t';
  }

  private static boolean isNewline(int c) {
    return c == '\n' || c == '\r';
  }

  /** Go's unicode.IsSpace. */
  private static boolean isSpace(int c) {
    return c != EOF && (Character.isWhitespace(c) || c == '\u00a0' || c == '\u0085');
  }

  private static String show(int c) {
    if (c == EOF) {
      return "EOF";
    }
    return c == '\n' ? "\\n" : c == '\r' ? "\\r" : String.valueOf((char) c);
  }
}
