package io.streamguard.topology;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Every setting carries its doc, and the help text and table render it (the README's table: ReadmeTablesTest). */
class WorkerConfigDocsTest {
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
