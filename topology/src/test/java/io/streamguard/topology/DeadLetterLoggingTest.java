package io.streamguard.topology;

import static io.streamguard.topology.Harness.batch;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * What the console shows when records are dead-lettered: one line each, from our handlers, with where the
 * record came from, its key and the reason; no stack trace (Kafka Streams' own handlers logged 16 lines each).
 */
class DeadLetterLoggingTest {

    /** Kafka Streams' logger that also reports every bad-bytes record, with its stack trace. */
    private static final String KAFKA_SKIPPING = "org.apache.kafka.streams.processor.internals.RecordDeserializer";

    @TempDir
    Path stateDir;

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> console = new ListAppender<>();

    DeadLetterLoggingTest() {
        console.start();
        root.addAppender(console);
    }

    @AfterEach
    void detach() {
        root.detachAppender(console);
    }

    @Test
    void everyKindOfRejectionIsOneLineWithoutAStackTrace() {
        FakeScorer scorer = new FakeScorer(Harness.TOKENIZER).poison("volcano");
        // at_least_once: the driver keeps the deserialization handler's dead letters only then (see Harness).
        try (Harness h = new Harness(
                stateDir,
                StreamsConfig.AT_LEAST_ONCE,
                self -> LabelingTopology.build(
                        Harness.settings(batch(1, 20, 8192)),
                        self.serdes,
                        self.metrics,
                        Tokenizers.single("minilm-l6", Harness.TOKENIZER),
                        Scorers.single("minilm-l6", scorer)))) {
            byte[] badMagic = h.bytes(Harness.event("x", "fine"));
            badMagic[0] = 7;
            h.textEvents.pipeInput("bad-magic", badMagic);
            h.textEvents.pipeInput("tombstone", (byte[]) null);
            h.send("empty", " ");
            h.send("large", "x".repeat(201));
            h.send("poisoned", "the volcano erupts");

            assertThat(h.dlq.readRecordsToList()).hasSize(5);
        }

        List<String> ours = console.list.stream()
                .filter(e -> e.getLoggerName().equals(DeadLetterHandlers.class.getName()))
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
        assertThat(ours)
                .satisfiesExactly(
                        line -> assertThat(line)
                                .startsWith("Dead-lettered text-events-0@0 key=bad-magic BAD_MAGIC_BYTE: "),
                        line -> assertThat(line).startsWith("Dead-lettered text-events-0@1 key=tombstone NULL_VALUE: "),
                        line -> assertThat(line).startsWith("Dead-lettered text-events-0@2 key=empty EMPTY_TEXT: "),
                        line -> assertThat(line)
                                .startsWith("Dead-lettered text-events-0@3 key=large TEXT_TOO_LARGE: ")
                                .contains("more than 200 bytes"),
                        line -> assertThat(line)
                                .startsWith("Dead-lettered text-events-0@4 key=poisoned INFERENCE_FAILED: ")
                                .contains("simulated engine failure"))
                .allSatisfy(line -> assertThat(line).doesNotContain("\n"));
        assertThat(console.list)
                .filteredOn(e -> !e.getLoggerName().equals(KAFKA_SKIPPING))
                .as("no stack trace at WARN, and nothing from Kafka Streams' log-and-continue handlers")
                .allSatisfy(e -> {
                    assertThat(e.getThrowableProxy())
                            .as(e.getFormattedMessage())
                            .isNull();
                    assertThat(e.getLoggerName()).doesNotStartWith("org.apache.kafka.streams.errors");
                });
        assertThat(console.list)
                .filteredOn(e -> e.getLoggerName().equals(KAFKA_SKIPPING))
                .as("Kafka Streams' own 'Skipping record' line with the stack trace, for bad bytes only: the CLI's"
                        + " logback.xml turns this logger off below ERROR (ConsoleLoggingTest in the launcher)")
                .singleElement()
                .satisfies(e -> assertThat(e.getFormattedMessage()).contains("Skipping record"));
    }
}
