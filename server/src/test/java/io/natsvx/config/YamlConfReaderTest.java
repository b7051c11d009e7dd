package io.natsvx.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class YamlConfReaderTest {

  @TempDir Path dir;

  private static ConfNode read(String yaml) throws ConfigException {
    return YamlConfReader.readString(yaml, "test.yaml", name -> null);
  }

  private static ConfNode read(String yaml, Map<String, String> env) throws ConfigException {
    return YamlConfReader.readString(yaml, "test.yaml", env::get);
  }

  private static String error(String yaml) {
    return assertThrows(ConfigException.class, () -> read(yaml)).getMessage();
  }

  @Test
  void scalarsMapsAndListsWithLines() throws Exception {
    ConfNode root = read("# comment\nport: 4222\nname: srv\nratio: 1.5\non_off: yes\n"
        + "nested:\n  list:\n    - a\n    - 2\n  inner: {x: 1}\n");
    assertEquals(4222, root.get("port").asLong());
    assertEquals(2, root.get("port").line());
    assertEquals("test.yaml", root.get("port").file());
    assertEquals("srv", root.get("name").asString());
    assertEquals(1.5, root.get("ratio").asDouble());
    assertTrue(root.get("on_off").asBoolean());
    ConfNode list = root.get("nested").get("list");
    assertEquals(7, list.line()); // a value is placed at its key
    assertEquals(8, list.asList().get(0).line());
    assertEquals(9, list.asList().get(1).line());
    assertEquals(2, list.asList().get(1).asLong());
    assertEquals(Map.of("x", 1L), root.get("nested").get("inner").toPlain());
    assertEquals(List.of("port", "name", "ratio", "on_off", "nested"),
        List.copyOf(root.asMap().keySet()));
  }

  @ParameterizedTest
  @CsvSource({"yes,true", "No,false", "on,true", "OFF,false", "true,true", "False,false"})
  void yamlBooleansMatchNatsConf(String word, boolean expected) throws Exception {
    ConfNode v = read("b: " + word + "\n").get("b");
    assertTrue(v.isBoolean());
    assertEquals(expected, v.asBoolean());
  }

  @ParameterizedTest
  @CsvSource({"1_000, 1000", "0x1F, 31", "017, 15", "0b101, 5", "-42, -42", "1:30, 90"})
  void yamlIntegers(String text, long expected) throws Exception {
    assertEquals(expected, read("i: " + text + "\n").get("i").asLong());
  }

  @Test
  void sizesAndDurationsStayStrings() throws Exception {
    ConfNode root = read("max_payload: 1MB\nping_interval: 2m\nquoted: \"4222\"\n");
    assertEquals("1MB", root.get("max_payload").asString());
    assertEquals("2m", root.get("ping_interval").asString());
    assertEquals("4222", root.get("quoted").asString());
  }

  @Test
  void environmentVariablesInPlainScalars() throws Exception {
    ConfNode root = read("port: $P\nname: $N\nsize: $S\nliteral: \"$P\"\nsingle: '$P'\n",
        Map.of("P", "4999", "N", "srv", "S", "2MB"));
    assertEquals(4999, root.get("port").asLong());
    assertEquals(1, root.get("port").line());
    assertEquals("srv", root.get("name").asString());
    assertEquals(2 * 1024 * 1024, root.get("size").asLong());
    assertEquals("$P", root.get("literal").asString());
    assertEquals("$P", root.get("single").asString());
  }

  @Test
  void unresolvedVariableNamesFileAndLine() {
    String msg = error("a: 1\nport: $NOPE\n");
    assertEquals("test.yaml:2:7: variable reference for 'NOPE' can not be found"
        + " (no such environment variable)", msg);
  }

  @Test
  void bcryptHashIsNotAVariable() throws Exception {
    String hash = "$2a$11$W2zko751KUvVy59mUTWmpOdWjpEm5qhcCZRd05GjI/sSOT.xtiHyG";
    assertEquals(hash, read("pass: " + hash + "\n").get("pass").asString());
  }

  @Test
  void anchorsAliasesAndMergeKeys() throws Exception {
    ConfNode root = read("base: &b\n  a: 1\n  b: 2\nuse:\n  <<: *b\n  b: 3\ncopy: *b\n");
    assertEquals(Map.of("a", 1L, "b", 3L), root.get("use").toPlain());
    assertEquals(Map.of("a", 1L, "b", 2L), root.get("copy").toPlain());
  }

  @Test
  void emptyFileIsAnEmptyMap() throws Exception {
    assertTrue(read("").asMap().isEmpty());
    assertTrue(read("# only a comment\n").asMap().isEmpty());
  }

  @Test
  void errorsNameFileLineAndColumn() {
    String syntax = error("port: 4222\nbad: [1, 2\nnext: 3\n");
    assertTrue(syntax.startsWith("test.yaml:3:"), syntax);
    String top = error("- a\n- b\n");
    assertEquals("test.yaml:1:1: expected a map of keys at the top of the file", top);
    String noValue = error("port:\nhost: x\n");
    assertEquals("test.yaml:1:1: port: no value", noValue);
  }

  @Test
  void allValueErrorsAreCollected() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> read("a: $X\nb: ~\nc: $Y\n"));
    assertEquals(3, e.errors().size(), e.getMessage());
  }

  @Test
  void readsFilesAndNamesThem() throws Exception {
    Path f = dir.resolve("c.yml");
    Files.writeString(f, "port: 1\n");
    ConfNode root = YamlConfReader.readFile(f);
    assertEquals(f.toString(), root.get("port").file());
    ConfigException e = assertThrows(ConfigException.class,
        () -> YamlConfReader.readFile(dir.resolve("missing.yaml")));
    assertTrue(e.getMessage().contains("missing.yaml"));
  }

  @Test
  void multipleDocumentsAreRejected() {
    String msg = error("a: 1\n---\nb: 2\n");
    assertFalse(msg.isEmpty());
    assertTrue(msg.startsWith("test.yaml"), msg);
  }
}
