package io.natsvx.subject;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SubjectsTest {

  @Test
  void aWildcardIsAWholeToken() {
    assertTrue(Subjects.isLiteral("a.b*.c>"));
    assertTrue(Subjects.isLiteral("a.**.>>"));
    assertFalse(Subjects.isLiteral("a.*"));
    assertFalse(Subjects.isLiteral("*.a"));
    assertFalse(Subjects.isLiteral("a.*.b"));
    assertFalse(Subjects.isLiteral(">"));
    assertFalse(Subjects.isLiteral("$O.files.M.>"));
  }
}
