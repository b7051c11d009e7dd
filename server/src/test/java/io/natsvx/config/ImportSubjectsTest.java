package io.natsvx.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The subject tests behind import checks, with the cases of nats-server's sublist tests. */
class ImportSubjectsTest {

  @ParameterizedTest
  @CsvSource({"foo.*, >, true", "foo.*, *.*, true", "foo.*, foo.*, true", "foo.*, foo.bar, false",
      "foo.bar, foo.*, true", "'>', foo.>, false", "foo.bar.baz, foo.>, true", "foo, foo.>, false",
      "foo.bar, foo.bar.baz, false", "a..b, a.*.b, false"})
  void subsetMatch(String subject, String test, boolean expected) {
    assertEquals(expected, io.natsvx.subject.Subjects.isSubsetMatch(subject, test));
  }

  @ParameterizedTest
  @CsvSource({"a.*, a.b, true", "a.*, b.*, false", "a.>, a.b.c, true", "a.*, a.b.c, false",
      "a.>, *.b, true", "a.b, a.b, true", "a.b, a.c, false", "*.*, a.>, true", "a.*, *.*.c, false"})
  void collide(String s1, String s2, boolean expected) {
    assertEquals(expected, ImportSubjects.collide(s1, s2));
    assertEquals(expected, ImportSubjects.collide(s2, s1));
  }

  @Test
  void tokenizeAndBack() {
    assertEquals("a.$1.b.$2", ImportSubjects.tokenize("a.*.b.*"));
    assertEquals("a.*.*.$x.{{wildcard(1,2)}}",
        ImportSubjects.untokenize("a.$1.{{ Wildcard(2) }}.$x.{{wildcard(1,2)}}"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      a.*     | b.$1
      a.*.*   | b.$2.$1
      a.*     | b.{{wildcard(1)}}
      a.*     | b.{{ Wildcard( 1 ) }}
      a.>     | b.>
      a.*.>   | $1.b.>
      """)
  void reversibleTransforms(String src, String dest) {
    assertNull(ImportSubjects.transformProblem(src, dest));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      a.*   | b                      | invalid mapping destination: not using all of the token wildcard(s) in b
      a.>   | b                      | invalid subject
      a.*   | b.*                    | invalid subject
      a..b  | b                      | invalid subject
      a.>   | b.$1.>                 | invalid mapping destination: wildcard index out of range in $1
      a.*   | b.$2                   | invalid mapping destination: wildcard index out of range in $2: [2]
      a.*   | b.{{foo(1)}}           | invalid mapping destination: unknown function in {{foo(1)}}
      a.*   | b.{{wildcard()}}       | invalid mapping destination: not enough arguments passed to the function in {{wildcard()}}
      a.*   | b.{{wildcard(1,2)}}    | invalid mapping destination: too many arguments passed to the function in {{wildcard(1,2)}}
      a.*   | b.{{wildcard(x)}}      | invalid mapping destination: function argument is invalid or in the wrong format in {{wildcard(x)}}
      a.*   | b.{{SplitFromLeft(1,2)}} | invalid mapping destination: the only mapping function allowed for import transforms is {{Wildcard()}} in {{SplitFromLeft(1,2)}}
      """)
  void irreversibleTransforms(String src, String dest, String problem) {
    assertEquals(problem, ImportSubjects.transformProblem(src, dest));
  }
}
