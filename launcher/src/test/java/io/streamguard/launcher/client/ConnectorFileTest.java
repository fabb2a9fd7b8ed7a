package io.streamguard.launcher.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConnectorFileTest {
    @Test
    void readsConnectsOwnFormatWithValuesAsStrings() {
        ConnectorFile file = ConnectorFile.parse(
                "{\"name\": \"s\", \"config\": {\"tasks.max\": 2, \"delete.enabled\": true, \"topics\": \"t\"}}");

        assertThat(file.name()).isEqualTo("s");
        assertThat(file.config())
                .containsExactly(
                        java.util.Map.entry("tasks.max", "2"),
                        java.util.Map.entry("delete.enabled", "true"),
                        java.util.Map.entry("topics", "t"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
      {"name": "s"                                 | not JSON: Unexpected end-of-input: expected close marker for Object
      []                                           | expected {"name": ..., "config": {...}}
      {"config": {}}                               | "name" must be a non-empty string
      {"name": " ", "config": {}}                  | "name" must be a non-empty string
      {"name": "s", "config": "x"}                 | "config" must be an object
      {"name": "s", "config": {"a": {"b": 1}}}     | config "a" must be a string, number or boolean
      {"name": "s", "config": {"a": null}}         | config "a" must be a string, number or boolean
      """)
    void refusesWhatIsNotAConnectorInOneLine(String text, String message) {
        assertThatThrownBy(() -> ConnectorFile.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message);
    }
}
