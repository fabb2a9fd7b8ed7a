package io.streamguard.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamguard.schemas.ConfigDocs;
import io.streamguard.schemas.registry.RegistryConfig;
import io.streamguard.topology.WorkerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The README's settings tables are the {@link ConfigDef}s that declare them, rendered by {@link ConfigDocs}
 * between two markers. After changing a setting, regenerate them with {@code mvn -pl launcher -am verify
 * -Dtest=ReadmeTablesTest -Dsurefire.failIfNoSpecifiedTests=false -Dstreamguard.readme.update=true} and review the
 * diff.
 */
class ReadmeTablesTest {
    private static final Path README = Path.of("..", "README.md");

    static Stream<Arguments> tables() {
        return Stream.of(
                Arguments.of("worker-settings", WorkerConfig.configDef()),
                Arguments.of("registry-settings", RegistryConfig.configDef()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tables")
    void readmeTableIsTheDeclaration(String name, ConfigDef declaration) throws Exception {
        String readme = Files.readString(README);
        String begin = "<!-- " + name + ":begin (generated, see ReadmeTablesTest) -->\n";
        String end = "<!-- " + name + ":end -->";
        int from = readme.indexOf(begin);
        int to = readme.indexOf(end);
        assertThat(from).as("README.md has the markers of the %s table", name).isNotNegative();
        assertThat(to).isGreaterThan(from);
        String table = ConfigDocs.markdownTable(declaration);
        if (Boolean.getBoolean("streamguard.readme.update")) {
            Files.writeString(README, readme.substring(0, from + begin.length()) + table + readme.substring(to));
            return;
        }
        assertThat(readme.substring(from + begin.length(), to))
                .as("README.md's %s table; regenerate it with -Dstreamguard.readme.update=true", name)
                .isEqualTo(table);
    }
}
