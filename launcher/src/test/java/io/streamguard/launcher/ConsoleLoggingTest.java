package io.streamguard.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamguard.topology.DeadLetterHandlers;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The CLI's logback.xml (the launcher has no logback-test.xml, so its tests run under it): a dead-lettered
 * record is the one line DeadLetterHandlers logs, not that plus Kafka Streams' own line for bad bytes
 * (DeadLetterLoggingTest in topology shows which logger says it).
 */
class ConsoleLoggingTest {

    @Test
    void aDeadLetteredRecordIsOurLineAlone() {
        assertThat(LoggerFactory.getLogger(DeadLetterHandlers.class).isWarnEnabled())
                .isTrue();
        assertThat(LoggerFactory.getLogger("org.apache.kafka.streams.processor.internals.RecordDeserializer")
                        .isWarnEnabled())
                .as("Kafka Streams' 'Skipping record due to deserialization error' line")
                .isFalse();
        assertThat(LoggerFactory.getLogger("org.apache.kafka.streams.processor.internals.RecordDeserializer")
                        .isErrorEnabled())
                .isTrue();
    }
}
