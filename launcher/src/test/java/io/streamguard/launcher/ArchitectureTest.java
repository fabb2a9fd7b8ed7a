package io.streamguard.launcher;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The launcher's packages use only those below them, as {@code package-info} draws them: nothing calls back
 * up into the root or a command. Checked on the compiled classes (imports, fully qualified names, method
 * calls and field types alike), not on the source text. Between modules Maven's dependencies already forbid
 * an upward import.
 */
class ArchitectureTest {
    private static final JavaClasses LAUNCHER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.streamguard.launcher");

    @Test
    void everyPackageUsesOnlyThoseBelowIt() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("root")
                .definedBy("io.streamguard.launcher")
                .layer("command")
                .definedBy("io.streamguard.launcher.command..")
                .layer("bench")
                .definedBy("io.streamguard.launcher.bench..")
                .layer("stack")
                .definedBy("io.streamguard.launcher.stack..")
                .layer("traffic")
                .definedBy("io.streamguard.launcher.traffic..")
                .layer("client")
                .definedBy("io.streamguard.launcher.client..")
                .layer("input")
                .definedBy("io.streamguard.launcher.input..")
                .layer("cli")
                .definedBy("io.streamguard.launcher.cli..")
                .whereLayer("root")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("command")
                .mayOnlyBeAccessedByLayers("root")
                .whereLayer("bench")
                .mayOnlyBeAccessedByLayers("root")
                .whereLayer("stack")
                .mayOnlyBeAccessedByLayers("root", "command", "bench")
                .whereLayer("traffic")
                .mayOnlyBeAccessedByLayers("root", "command", "bench")
                .whereLayer("client")
                .mayOnlyBeAccessedByLayers("root", "command", "bench", "stack", "traffic")
                .whereLayer("input")
                .mayOnlyBeAccessedByLayers("root", "command", "bench", "stack", "traffic")
                .check(LAUNCHER);
    }
}
