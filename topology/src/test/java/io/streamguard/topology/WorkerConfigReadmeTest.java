package io.streamguard.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table is {@link WorkerConfig#markdownTable()}, between two markers. To
 * regenerate it after changing a setting: {@code mvn -pl topology test -Dtest=WorkerConfigReadmeTest
 * -Dstreamguard.readme.update=true} (then review the diff).
 */
class WorkerConfigReadmeTest {

    static final Path README = Path.of("..", "README.md");
    static final String BEGIN = "<!-- worker-settings:begin (generated from WorkerConfig.SETTINGS) -->\n";
    static final String END = "<!-- worker-settings:end -->";

    @Test
    void readmeTableIsTheDeclaredSettings() throws Exception {
        String readme = Files.readString(README);
        int from = readme.indexOf(BEGIN);
        int to = readme.indexOf(END);
        assertThat(from).as("README.md has the markers of the generated table").isNotNegative();
        assertThat(to).isGreaterThan(from);
        String table = readme.substring(from + BEGIN.length(), to);
        if (Boolean.getBoolean("streamguard.readme.update")) {
            Files.writeString(
                    README,
                    readme.substring(0, from + BEGIN.length()) + WorkerConfig.markdownTable() + readme.substring(to));
            return;
        }
        assertThat(table)
                .as("README.md's configuration table; regenerate it with -Dstreamguard.readme.update=true")
                .isEqualTo(WorkerConfig.markdownTable());
    }

    @Test
    void everySettingIsDocumentedAndHelpListsIt() {
        assertThat(WorkerConfig.SETTINGS.configKeys().values())
                .allSatisfy(key -> assertThat(key.documentation).isNotBlank());
        assertThat(WorkerConfig.helpLines())
                .contains("streamguard.batch.max.size=256", "streamguard.worker.id")
                .anySatisfy(line -> assertThat(line).contains("Most texts per micro-batch"));
        assertThat(WorkerConfig.markdownTable()).contains("| `streamguard.metrics.port` | `9464` | [-1,...,65535] |");
    }
}
