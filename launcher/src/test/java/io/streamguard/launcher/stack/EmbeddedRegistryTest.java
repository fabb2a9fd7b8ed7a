package io.streamguard.launcher.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamguard.launcher.cli.LauncherException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Process handling of the registry launcher; the real Apicurio app is exercised in
 * integration-tests/.
 */
class EmbeddedRegistryTest {
    @TempDir
    Path tmp;

    @Test
    void appJarComesFromEnvThenPropertyThenHomeThenWorkingDir() {
        Properties sys = new Properties();
        assertThat(EmbeddedRegistry.defaultAppJar(Map.of(), sys))
                .isEqualTo(Path.of("embedded-registry/target/quarkus-app/quarkus-run.jar"));

        sys.setProperty("streamguard.home", "/repo");
        assertThat(EmbeddedRegistry.defaultAppJar(Map.of(), sys))
                .isEqualTo(Path.of("/repo/embedded-registry/target/quarkus-app/quarkus-run.jar"));

        sys.setProperty("streamguard.registry.app", "/from/property.jar");
        assertThat(EmbeddedRegistry.defaultAppJar(Map.of(), sys)).isEqualTo(Path.of("/from/property.jar"));

        assertThat(EmbeddedRegistry.defaultAppJar(Map.of("STREAMGUARD_REGISTRY_APP", "/from/env.jar"), sys))
                .isEqualTo(Path.of("/from/env.jar"));
    }

    @Test
    void missingAppIsAClearError() {
        Path missing = tmp.resolve("nope/quarkus-run.jar");

        assertThatThrownBy(() -> EmbeddedRegistry.builder()
                        .appJar(missing)
                        .port(0)
                        .dataDir(tmp)
                        .launch())
                .isInstanceOf(LauncherException.class)
                .hasMessageContaining("schema registry app not found at " + missing)
                .hasMessageContaining("STREAMGUARD_REGISTRY_APP")
                .hasMessageContaining("--registry-url");
    }

    @Test
    void aRegistryThatDiesDuringStartupReportsItsExitStatusAndLogTail() throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "does.not.Exist");
        Path app = tmp.resolve("quarkus-run.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(app), manifest)) {
            out.putNextEntry(new JarEntry("empty.txt"));
        }

        assertThatThrownBy(() -> EmbeddedRegistry.builder()
                        .appJar(app)
                        .port(0)
                        .dataDir(tmp)
                        .startupTimeout(Duration.ofSeconds(30))
                        .start())
                .isInstanceOf(LauncherException.class)
                .hasMessageContaining("schema registry exited with status 1 during startup")
                .hasMessageContaining(tmp.resolve("registry.log").toString())
                .hasMessageContaining("ClassNotFoundException: does.not.Exist");
    }

    @Test
    void anAppThatIsNotAJarIsRejected() throws Exception {
        Path notAJar = Files.writeString(tmp.resolve("quarkus-run.jar"), "not a jar");

        assertThatThrownBy(() -> EmbeddedRegistry.builder()
                        .appJar(notAJar)
                        .port(0)
                        .dataDir(tmp)
                        .launch())
                .isInstanceOf(LauncherException.class)
                .hasMessageStartingWith("schema registry app " + notAJar + " is not a readable jar");
    }
}
