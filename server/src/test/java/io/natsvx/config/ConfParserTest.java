package io.natsvx.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfParserTest {

  private static final Function<String, String> NO_ENV = name -> null;

  @TempDir Path dir;

  private static ConfNode parse(String text) throws ConfigException {
    return ConfParser.parseString(text, "test.conf", NO_ENV);
  }

  private static ConfNode parse(String text, Map<String, String> env) throws ConfigException {
    return ConfParser.parseString(text, "test.conf", env::get);
  }

  private static String parseError(String text) {
    return assertThrows(ConfigException.class, () -> parse(text)).getMessage();
  }

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
    return p;
  }

  // ---- key/value forms ----

  @Test
  void separatorsColonEqualsAndBlank() throws Exception {
    ConfNode root = parse("a: 1\nb = 2\nc 3\nd:4\ne=5\nf\t6\n");
    for (String k : List.of("a", "b", "c", "d", "e", "f")) {
      assertTrue(root.get(k).isInteger(), k);
    }
    assertEquals(6, root.get("f").asLong());
    assertEquals(List.of("a", "b", "c", "d", "e", "f"), List.copyOf(root.asMap().keySet()));
  }

  @Test
  void valuesMayEndWithSemicolonOrComma() throws Exception {
    ConfNode root = parse("a: 1; b: 2, c: \"x\";\n");
    assertEquals(1, root.get("a").asLong());
    assertEquals(2, root.get("b").asLong());
    assertEquals("x", root.get("c").asString());
  }

  @Test
  void strayTopLevelSeparatorsAreSkipped() throws Exception {
    // nats-server accepts "port: 1;;"; natsvx also takes what follows.
    ConfNode root = parse("a: 1;;\n,b: 2,,\n");
    assertEquals(Map.of("a", 1L, "b", 2L), root.toPlain());
  }

  @Test
  void integerBeforeArrayEndThenMore() throws Exception {
    // nats-server 2.9.10's lexer loses its place after "2]" here; the meaning is plain.
    ConfNode root = parse("l: [1, 2]\nm { a: 1 }\n");
    assertEquals(List.of(1L, 2L), root.get("l").toPlain());
    assertEquals(Map.of("a", 1L), root.get("m").toPlain());
  }

  @Test
  void quotedKeys() throws Exception {
    ConfNode root = parse("\"a b\": 1\n'c:d' = 2\nm { \"x y\": 3, 'z': 4 }\n");
    assertEquals(1, root.get("a b").asLong());
    assertEquals(2, root.get("c:d").asLong());
    assertEquals(3, root.get("m").get("x y").asLong());
    assertEquals(4, root.get("m").get("z").asLong());
  }

  @Test
  void wholeFileMayBeWrappedInBraces() throws Exception {
    ConfNode root = parse("{\n  port: 4222\n  debug: true\n}\n");
    assertEquals(4222, root.get("port").asLong());
    assertTrue(root.get("debug").asBoolean());
  }

  @Test
  void repeatedKeyKeepsLastValue() throws Exception {
    assertEquals(2, parse("a: 1\na: 2\n").get("a").asLong());
  }

  // ---- strings ----

  @Test
  void unquotedStringsEndAtBlanksAndTerminators() throws Exception {
    ConfNode root = parse("a: hello\nb: nats://localhost:4222\nc: foo#bar\nd: x/y\n");
    assertEquals("hello", root.get("a").asString());
    assertEquals("nats://localhost:4222", root.get("b").asString());
    assertEquals("foo#bar", root.get("c").asString());
    assertEquals("x/y", root.get("d").asString());
  }

  @Test
  void doubleQuotedStringsHaveEscapes() throws Exception {
    ConfNode root = parse("a: \"tab\\there \\\"q\\\" back\\\\slash \\x41\\xc3\\xa9\"\n");
    assertEquals("tab\there \"q\" back\\slash Aé", root.get("a").asString());
  }

  @Test
  void singleQuotedStringsAreRaw() throws Exception {
    assertEquals("a\\tb $X", parse("a: 'a\\tb $X'\n").get("a").asString());
  }

  @Test
  void quotedStringMaySpanLinesAndHoldAnything() throws Exception {
    ConfNode root = parse("a: \"line1\nline2 # not a comment, {}[]\"\nb: 1\n");
    assertEquals("line1\nline2 # not a comment, {}[]", root.get("a").asString());
    assertEquals(3, root.get("b").line());
  }

  @Test
  void blockStringUpToClosingParenOnItsOwnLine() throws Exception {
    ConfNode root = parse("text (\nfirst line\n  second (with parens)\n)\nport: 1\n");
    assertEquals("\nfirst line\n  second (with parens)", root.get("text").asString());
    assertEquals(1, root.get("port").asLong());
  }

  @Test
  void invalidEscapeIsAnError() {
    String msg = parseError("a: \"bad \\q\"\n");
    assertTrue(msg.startsWith("test.conf:1:"), msg);
    assertTrue(msg.contains("Invalid escape character 'q'"), msg);
  }

  @Test
  void textAfterAnUnquotedStringIsAnError() {
    // nats-server: a value with blanks needs quotes.
    String msg = parseError("server_name: my server\n");
    assertTrue(msg.contains("test.conf:1:"), msg);
    assertTrue(msg.contains("Expected a top-level value to end with a new line, comment or EOF, "
        + "but got 's' instead."), msg);
  }

  // ---- booleans ----

  @ParameterizedTest
  @CsvSource({"true,true", "TRUE,true", "yes,true", "Yes,true", "on,true", "ON,true",
      "false,false", "False,false", "no,false", "NO,false", "off,false", "Off,false"})
  void booleans(String word, boolean expected) throws Exception {
    ConfNode v = parse("x: " + word + "\n").get("x");
    assertTrue(v.isBoolean());
    assertEquals(expected, v.asBoolean());
    assertEquals(word, v.text());
  }

  @Test
  void quotedBooleanIsAString() throws Exception {
    assertEquals("true", parse("x: \"true\"\n").get("x").asString());
  }

  // ---- numbers ----

  @ParameterizedTest
  @CsvSource({
      "4222, 4222", "-1, -1", "0, 0",
      "1k, 1000", "1K, 1000", "1kb, 1024", "1KB, 1024", "1Ki, 1024", "1KiB, 1024",
      "2m, 2000000", "2M, 2000000", "2MB, 2097152", "1mib, 1048576",
      "1g, 1000000000", "1GB, 1073741824", "1t, 1000000000000", "1TB, 1099511627776",
      "1p, 1000000000000000", "1PB, 1125899906842624", "1e, 1000000000000000000",
      "-2k, -2000"})
  void integersWithSizeSuffixes(String text, long expected) throws Exception {
    ConfNode v = parse("x: " + text + "\n").get("x");
    assertTrue(v.isInteger(), text);
    assertEquals(expected, v.asLong());
    assertEquals(text, v.text());
  }

  @Test
  void integerBeforeTerminators() throws Exception {
    ConfNode root = parse("a: 1;b: 2,c: 3}\n");
    assertEquals(3, root.get("c").asLong());
    ConfNode list = parse("l: [1, 2]\n").get("l");
    assertEquals(2, list.asList().get(1).asLong());
  }

  @Test
  void floats() throws Exception {
    ConfNode root = parse("a: 1.5\nb: -0.25\n");
    assertEquals(1.5, root.get("a").asDouble());
    assertEquals(-0.25, root.get("b").asDouble());
  }

  @ParameterizedTest
  @ValueSource(strings = {"10s", "1h", "500ms", "4222abc", "2min", "1m30s"})
  void numbersFollowedByLettersAreStrings(String text) throws Exception {
    ConfNode v = parse("x: " + text + "\n").get("x");
    assertTrue(v.isString(), text);
    assertEquals(text, v.asString());
  }

  @Test
  void ipAddressesAreStrings() throws Exception {
    ConfNode root = parse("a: 127.0.0.1\nb: 0.0.0.0:4222\n");
    assertEquals("127.0.0.1", root.get("a").asString());
    assertEquals("0.0.0.0:4222", root.get("b").asString());
  }

  @Test
  void zuluDatesAreStrings() throws Exception {
    assertEquals("2016-05-04T18:53:41Z", parse("d: 2016-05-04T18:53:41Z\n").get("d").asString());
    assertTrue(parseError("d: 2016-05-04\n").contains("ISO8601"));
    assertTrue(parseError("d: 12-05\n").contains("All ISO8601 dates must be in full Zulu form."));
  }

  @Test
  void badNumbers() {
    assertTrue(parseError("x: .5\n").contains("Floats must start with a digit"));
    assertTrue(parseError("x: 1.\n").contains("Floats must have a digit after the '.'"));
    assertTrue(parseError("x: -a\n").contains("Expected a digit but got 'a'."));
    String bad = parseError("x: 1kbb\n");
    assertTrue(bad.startsWith("test.conf:1:4: invalid size suffix in '1kbb'"), bad);
    String big = parseError("x: 99999999999999999999\n");
    assertTrue(big.contains("out of the range"), big);
    assertTrue(parseError("x: 9000000E\n").contains("out of the range"));
  }

  // ---- arrays and maps ----

  @Test
  void arraysCommaOrNewlineSeparatedWithComments() throws Exception {
    ConfNode root = parse("a: [1, two, \"three\", true]\n"
        + "b: [\n  x  # first\n  y, // second\n  z\n]\n"
        + "c: []\n");
    ConfNode a = root.get("a");
    assertEquals(4, a.asList().size());
    assertEquals(1, a.asList().get(0).asLong());
    assertEquals("two", a.asList().get(1).asString());
    assertEquals("three", a.asList().get(2).asString());
    assertTrue(a.asList().get(3).asBoolean());
    assertEquals(List.of("x", "y", "z"), root.get("b").toPlain());
    assertEquals(4, root.get("b").asList().get(1).line());
    assertTrue(root.get("c").asList().isEmpty());
  }

  @Test
  void nestedMapsAndArrays() throws Exception {
    ConfNode root = parse("outer {\n  inner = { a: 1; b: [ {c: 2}, {d: [3, 4]} ] }\n"
        + "  other: x\n}\n");
    ConfNode inner = root.get("outer").get("inner");
    assertEquals(1, inner.get("a").asLong());
    assertEquals(2, inner.get("b").asList().get(0).get("c").asLong());
    assertEquals(4, inner.get("b").asList().get(1).get("d").asList().get(1).asLong());
    assertEquals("x", root.get("outer").get("other").asString());
    assertEquals(Map.of("a", 1L, "b", List.of(Map.of("c", 2L), Map.of("d", List.of(3L, 4L)))),
        inner.toPlain());
  }

  @Test
  void mapValueMayStartOnNextLineInsideBlocks() throws Exception {
    assertEquals(1, parse("m {\n a =\n  1\n}\n").get("m").get("a").asLong());
  }

  @Test
  void unterminatedStructuresAreErrors() {
    assertTrue(parseError("m {\n a: 1\n").contains("Unexpected EOF processing map."));
    assertTrue(parseError("a: [1, 2\n").contains("Unexpected EOF processing array."));
    assertTrue(parseError("a: \"abc\n").contains("Unexpected EOF"));
    assertTrue(parseError("a: [1,,2]\n").contains("Unexpected array value terminator ','."));
    assertTrue(parseError("a: [1 2]\n").contains("Expected an array value terminator"));
    assertTrue(parseError("m { a: 1 b }\n").contains("Expected a map value terminator"));
  }

  @Test
  void missingValues() {
    String msg = parseError("port:\nhost: x\n");
    assertEquals("test.conf:1:6: Expected value but found new line", msg);
    assertTrue(parseError("port").contains("Expected a value for key 'port'"));
    assertTrue(parseError("m { a }\n").contains("Expected a value for key 'a'"));
    assertTrue(parseError(": 1\n").contains("Unexpected key separator ':'"));
  }

  // ---- comments ----

  @Test
  void hashAndSlashComments() throws Exception {
    ConfNode root = parse("# leading\n// also leading\n"
        + "a: 1 # trailing\nb: 2 // trailing\n"
        + "m {\n  # inside\n  c: 3 // inside\n}\n# a: 99\n");
    assertEquals(Map.of("a", 1L, "b", 2L, "m", Map.of("c", 3L)), root.toPlain());
  }

  // ---- positions ----

  @Test
  void nodesKnowFileLineAndColumn() throws Exception {
    Path f = write("pos.conf", "# comment\n\nport: 4222\n  m {\n    inner: [a,\n  b]\n  }\n");
    ConfNode root = ConfParser.parseFile(f, NO_ENV);
    ConfNode port = root.get("port");
    assertEquals(f.toString(), port.file());
    assertEquals(3, port.line());
    assertEquals(1, port.column());
    assertEquals(f + ":3", port.location());
    assertEquals(4, root.get("m").line());
    assertEquals(3, root.get("m").column());
    ConfNode inner = root.get("m").get("inner");
    assertEquals(5, inner.line());
    assertEquals(6, inner.asList().get(1).line());
  }

  @Test
  void syntaxErrorNamesFileLineAndColumn() throws Exception {
    Path f = write("bad.conf", "port: 4222\nhost: 1.\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfParser.parseFile(f));
    assertEquals(List.of(f + ":2:9: Floats must have a digit after the '.', but got '\\n' instead."),
        e.errors());
  }

  @Test
  void missingFileIsAnError() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfParser.parseFile(dir.resolve("nope.conf")));
    assertTrue(e.getMessage().contains("nope.conf"), e.getMessage());
    assertTrue(e.getMessage().contains("no such file"), e.getMessage());
  }

  // ---- variables ----

  @Test
  void variablesFromEarlierKeys() throws Exception {
    ConfNode root = parse("PORT: 4333\nport: $PORT\nNAME: \"srv\"\nserver_name: $NAME\n");
    assertEquals(4333, root.get("port").asLong());
    assertEquals(2, root.get("port").line()); // reported where used, not where defined
    assertEquals("srv", root.get("server_name").asString());
    assertTrue(root.get("PORT").usedAsVariable());
    assertFalse(root.get("port").usedAsVariable());
  }

  @Test
  void variablesAreBlockScopedInnermostFirst() throws Exception {
    ConfNode root = parse("X: outer\n"
        + "m {\n  X: inner\n  a: $X\n  n { b: $X }\n}\n"
        + "c: $X\n"
        + "l: [ $X ]\n");
    assertEquals("inner", root.get("m").get("a").asString());
    assertEquals("inner", root.get("m").get("n").get("b").asString());
    assertEquals("outer", root.get("c").asString());
    assertEquals("outer", root.get("l").asList().get(0).asString());
  }

  @Test
  void variableMayHoldAMap() throws Exception {
    ConfNode root = parse("DEF { a: 1 }\nuse: $DEF\n");
    assertEquals(Map.of("a", 1L), root.get("use").toPlain());
  }

  @Test
  void variablesFallBackToEnvironmentParsedAsValues() throws Exception {
    ConfNode root = parse("port: $P\nname: $N\nsize: $S\nflag: $B\n",
        Map.of("P", "4555", "N", "hello", "S", "1MB", "B", "yes"));
    assertEquals(4555, root.get("port").asLong());
    assertEquals("hello", root.get("name").asString());
    assertEquals(1024 * 1024, root.get("size").asLong());
    assertTrue(root.get("flag").asBoolean());
    assertEquals(1, root.get("port").line());
  }

  @Test
  void realEnvironmentIsUsedByDefault() throws Exception {
    String path = System.getenv("PATH");
    org.junit.jupiter.api.Assumptions.assumeTrue(path != null && !path.contains(" "));
    ConfNode root = ConfParser.parseString("p: $PATH\n", "env.conf");
    assertEquals(path, root.get("p").asString());
  }

  @Test
  void configKeyWinsOverEnvironment() throws Exception {
    assertEquals(1, parse("P: 1\nport: $P\n", Map.of("P", "2")).get("port").asLong());
  }

  @Test
  void quotedDollarIsLiteral() throws Exception {
    ConfNode root = parse("a: \"$NOPE\"\nb: '$NOPE'\n");
    assertEquals("$NOPE", root.get("a").asString());
    assertEquals("$NOPE", root.get("b").asString());
  }

  @Test
  void unquotedBcryptHashIsNotAVariable() throws Exception {
    String hash = "$2a$11$W2zko751KUvVy59mUTWmpOdWjpEm5qhcCZRd05GjI/sSOT.xtiHyG";
    assertEquals(hash, parse("pass: " + hash + "\n").get("pass").asString());
  }

  @Test
  void unresolvedVariablesAreAllReportedWithFileAndLine() throws Exception {
    Path f = write("vars.conf", "a: 1\nport: $NOPE\nm {\n  x: $ALSO_NOPE\n}\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfParser.parseFile(f, NO_ENV));
    assertEquals(2, e.errors().size(), e.getMessage());
    assertTrue(e.errors().get(0).startsWith(f + ":2:7: variable reference for 'NOPE' can not be found"),
        e.getMessage());
    assertTrue(e.errors().get(1).startsWith(f + ":4:6: variable reference for 'ALSO_NOPE'"),
        e.getMessage());
  }

  @Test
  void variableDefinedLaterIsNotVisible() {
    String msg = parseError("port: $P\nP: 1\n");
    assertTrue(msg.contains("variable reference for 'P' can not be found"), msg);
  }

  @Test
  void unparsableEnvironmentValueIsAnError() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> parse("name: $N\n", Map.of("N", "two words")));
    assertTrue(e.getMessage().startsWith("test.conf:1:7: variable reference for 'N' could not be parsed"),
        e.getMessage());
  }

  // ---- include ----

  @Test
  void includeRelativeToIncludingFile() throws Exception {
    write("sub/limits.conf", "max_payload: 2MB\nmax_pending = 64MB\n");
    write("sub/more/auth.conf", "inner: yes\n");
    write("sub/block.conf", "include more/auth.conf\nname: x\n");
    Path main = write("main.conf", "port: 4222\ninclude ./sub/limits.conf\n"
        + "m {\n  include 'sub/block.conf'\n  after: 1\n}\n"
        + "include \"sub/more/auth.conf\"; last: 2\n");
    ConfNode root = ConfParser.parseFile(main, NO_ENV);
    assertEquals(2 * 1024 * 1024, root.get("max_payload").asLong());
    assertEquals(dir.resolve("sub/limits.conf").toString(), root.get("max_payload").file());
    assertEquals(1, root.get("max_payload").line());
    assertEquals(2, root.get("max_pending").line());
    assertTrue(root.get("m").get("inner").asBoolean());
    assertEquals("x", root.get("m").get("name").asString());
    assertEquals(1, root.get("m").get("after").asLong());
    assertTrue(root.get("inner").asBoolean());
    assertEquals(2, root.get("last").asLong());
  }

  @Test
  void includedKeysCanBeUsedAsVariablesAfterwards() throws Exception {
    write("vars.conf", "PORT: 4999\n");
    Path main = write("main.conf", "include vars.conf\nport: $PORT\n");
    assertEquals(4999, ConfParser.parseFile(main, NO_ENV).get("port").asLong());
  }

  @Test
  void includeErrorsNameTheIncludedFile() throws Exception {
    Path inc = write("broken.conf", "a: 1\nb: [\n");
    Path main = write("main.conf", "x: 1\ninclude broken.conf\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfParser.parseFile(main));
    assertTrue(e.getMessage().startsWith(inc + ":3:"), e.getMessage());
  }

  @Test
  void missingIncludeNamesIncludingLine() throws Exception {
    Path main = write("main.conf", "x: 1\ninclude missing.conf\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfParser.parseFile(main));
    assertEquals(main + ":2:1: error parsing include file 'missing.conf': open "
        + dir.resolve("missing.conf") + ": no such file or directory", e.getMessage());
  }

  @Test
  void includeCycleIsAnError() throws Exception {
    write("a.conf", "include b.conf\n");
    write("b.conf", "include a.conf\n");
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfParser.parseFile(dir.resolve("a.conf")));
    assertTrue(e.getMessage().contains("include cycle: a.conf -> b.conf -> a.conf"), e.getMessage());
  }

  @Test
  void badIncludeValues() {
    assertTrue(parseError("include [a]\n").contains("Expected include value but found start of an array"));
    assertTrue(parseError("include 5\n").contains("Expected include value but found start of a number"));
  }

  @Test
  void keyNamedIncludeNeedsASpace() throws Exception {
    // "include:" is an ordinary key; only "include <file>" includes.
    assertEquals("x", parse("include: x\n").get("include").asString());
  }

  // ---- accessors ----

  @Test
  void accessorsAndKinds() throws Exception {
    ConfNode root = parse("Port: 1\nf: 1.5\n");
    assertNotNull(root.getIgnoreCase("PORT"));
    assertNull(root.get("PORT"));
    assertNull(root.get("f").get("x"));
    assertEquals(ConfNode.Kind.FLOAT, root.get("f").kind());
    assertThrows(IllegalStateException.class, () -> root.get("f").asString());
  }
}
