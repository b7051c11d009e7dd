package io.natsvx.arch;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The server's packages form layers: no package reaches, through any chain of imports, back
 * to itself. The root package is the composition root: it may use every other, none uses it.
 */
class PackageLayersTest {

  private static final JavaClasses SERVER = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.natsvx");

  /**
   * No package reaches itself through others: JetStream's API, streams and consumers included
   * (a stream knows its consumers only through {@code StreamConsumers}).
   */
  @Test
  void noPackageDependsOnItselfThroughOthers() {
    slices().matching("io.natsvx.(**)").should().beFreeOfCycles()
        .check(SERVER);
  }

  @Test
  void nothingDependsOnTheCompositionRoot() {
    com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
        .that().resideOutsideOfPackage("io.natsvx")
        .should().dependOnClassesThat().resideInAPackage("io.natsvx")
        .check(SERVER);
  }
}
