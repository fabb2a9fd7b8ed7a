package io.streamguard.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamguard.launcher.client.StreamGuardTopics;
import io.streamguard.launcher.stack.EmbeddedStack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack without a registry (the embedded one is covered by integration-tests/) plus the CLI
 * commands that work against a bare broker. One broker for the whole class keeps it quick.
 */
class EmbeddedStackCliTest {
    /** Nothing listens here: any accidental registry call fails instead of hanging. */
    private static final String NO_REGISTRY = "http://127.0.0.1:1/apis/ccompat/v7";

    @TempDir
    static Path dataDir;

    private static EmbeddedStack stack;

    @BeforeAll
    static void start() {
        stack = EmbeddedStack.builder()
                .dataDir(dataDir)
                .ephemeralPorts()
                .withoutRegistry()
                .partitions(2)
                .start();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void stackCreatesTheStandardTopicsOnceWithCompactionWhereDeclared() {
        try (Admin admin = stack.admin()) {
            List<StreamGuardTopics.Info> topics = StreamGuardTopics.describe(admin, StreamGuardTopics.standardNames());

            assertThat(topics)
                    .extracting(StreamGuardTopics.Info::name)
                    .containsExactly(
                            "text-events",
                            "text-tokenized",
                            "text-labeled",
                            "moderation-review",
                            "moderation-blocked",
                            "text-events-dlq",
                            "moderation-feedback",
                            "model-versions",
                            "moderation-policy");
            assertThat(topics).allSatisfy(t -> {
                assertThat(t.partitions()).isEqualTo(2);
                assertThat(t.replicationFactor()).isEqualTo(1);
                boolean compacted =
                        t.name().equals("model-versions") || t.name().equals("moderation-policy");
                // model-versions records are whole heads files, over the 1 MB default; a dead letter is a
                // whole text-events record plus the error headers.
                assertThat(t.nonDefaultConfigs())
                        .isEqualTo(
                                t.name().equals("model-versions")
                                        ? Map.of("cleanup.policy", "compact", "max.message.bytes", "33554432")
                                        : t.name().equals("text-events-dlq")
                                                ? Map.of("max.message.bytes", "2097152")
                                                : compacted ? Map.of("cleanup.policy", "compact") : Map.of());
            });
            assertThat(StreamGuardTopics.ensure(admin, 5))
                    .as("second run creates nothing")
                    .isEmpty();
        }
        assertThat(stack.dataDir()).isEqualTo(dataDir.toAbsolutePath().normalize());
        assertThat(stack.kafka().dataDir()).isEqualTo(stack.dataDir().resolve("kafka"));
        assertThat(stack.hasRegistry()).isFalse();
        assertThatThrownBy(stack::registryUrl).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void topicsListAndCreate() {
        CliRun list = CliRun.of("topics", "list", "--bootstrap", stack.bootstrapServers());
        assertThat(list.exitCode()).isZero();
        assertThat(list.out().lines().toList()).first().asString().matches("TOPIC\\s+PARTITIONS\\s+RF\\s+CONFIG");
        assertThat(list.out())
                .containsPattern("(?m)^text-events\\s+2\\s+1$")
                .containsPattern(
                        "(?m)^model-versions\\s+2\\s+1\\s+cleanup.policy=compact,\\s*max.message.bytes=33554432$");

        CliRun create = CliRun.of("topics", "create", "-b", stack.bootstrapServers());
        assertThat(create.exitCode()).isZero();
        assertThat(create.out().lines())
                .hasSize(StreamGuardTopics.standard().size())
                .allMatch(line -> line.startsWith("exists "));

        CliRun byDefault = CliRun.of("topics", "-b", stack.bootstrapServers());
        assertThat(byDefault.out()).isEqualTo(list.out());
        CliRun optionBeforeSubcommand = CliRun.of("topics", "--bootstrap", stack.bootstrapServers(), "list");
        assertThat(optionBeforeSubcommand.out()).isEqualTo(list.out());
        CliRun laterOptionWins =
                CliRun.of("topics", "-b", "127.0.0.1:1", "describe", "-b", stack.bootstrapServers(), "text-events");
        assertThat(laterOptionWins.exitCode()).isZero();
    }

    @Test
    void describeShowsPartitionsAndRejectsUnknownTopics() {
        CliRun describe = CliRun.of("topics", "describe", "-b", stack.bootstrapServers(), "moderation-policy");
        assertThat(describe.exitCode()).isZero();
        assertThat(describe.out())
                .startsWith("moderation-policy  partitions=2 rf=1 config={cleanup.policy=compact}")
                .contains("partition 1  leader=1 replicas=[1] isr=[1] offsets=0..0");

        CliRun missing = CliRun.of("topics", "describe", "-b", stack.bootstrapServers(), "nope");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.errLines()).containsExactly("streamguard: no such topic: nope");
    }

    @Test
    void produceReportsMissingTopicsWithExitOneAndBadLinesWithExitTwo() throws Exception {
        Path valid = Files.writeString(dataDir.resolve("valid.jsonl"), "{\"id\":\"a\",\"text\":\"fine\"}\n");
        Path input = Files.writeString(dataDir.resolve("events.jsonl"), "\n{\"id\":\"a\",\"txt\":\"typo\"}\n");

        CliRun noTopic =
                CliRun.of("produce", "-b", stack.bootstrapServers(), "-r", NO_REGISTRY, "-t", "nope", valid.toString());
        assertThat(noTopic.exitCode()).isEqualTo(1);
        assertThat(noTopic.errLines())
                .singleElement()
                .asString()
                .startsWith("streamguard: topic 'nope' does not exist on " + stack.bootstrapServers());

        CliRun badLine = CliRun.of(
                "produce", "-b", stack.bootstrapServers(), "-r", NO_REGISTRY, "-t", "text-events", input.toString());
        assertThat(badLine.exitCode())
                .as("a malformed line is a usage error, as in eval")
                .isEqualTo(2);
        assertThat(badLine.errLines())
                .containsExactly("streamguard: " + input + ":2: unknown field 'txt' (allowed: id, text,"
                        + " language, source, author, eventTime, attributes); 1 invalid line (2), nothing was sent"
                        + " (--skip-invalid sends the valid lines, --dry-run lists the problems)");
        assertThat(badLine.out()).isEmpty();
    }

    @Test
    void consumePrintsRawAndUndecodableRecordsAsJson() throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                            "text-events-dlq",
                            0,
                            "k1".getBytes(StandardCharsets.UTF_8),
                            "not avro".getBytes(StandardCharsets.UTF_8),
                            List.of(
                                    new RecordHeader("error", "boom".getBytes(StandardCharsets.UTF_8)),
                                    new RecordHeader("attempt", new byte[] {0, 0, 0, 1}))))
                    .get();
        }

        CliRun raw = CliRun.of(
                "consume",
                "-b",
                stack.bootstrapServers(),
                "-t",
                "text-events-dlq",
                "--from-beginning",
                "--max",
                "1",
                "--raw");
        assertThat(raw.exitCode()).isZero();
        JsonNode rawJson = new ObjectMapper().readTree(raw.out());
        assertThat(rawJson.get("partition").asInt()).isZero();
        assertThat(rawJson.get("offset").asLong()).isZero();
        assertThat(rawJson.get("key_hex").asText()).isEqualTo("6b31");
        assertThat(rawJson.get("value_hex").asText()).isEqualTo("6e6f74206176726f");
        // Headers that are text (the dead-letter reason) read as text even in raw mode; binary ones as hex.
        assertThat(rawJson.at("/headers/error").asText()).isEqualTo("boom");
        assertThat(rawJson.at("/headers/attempt").asText()).isEqualTo("hex:00000001");
        assertThat(raw.err()).contains("Consumed 1 record from text-events-dlq");

        // Not Confluent wire format: shown with the reason, without asking the registry.
        CliRun decoded = CliRun.of(
                "consume",
                "-b",
                stack.bootstrapServers(),
                "-r",
                NO_REGISTRY,
                "-t",
                "text-events-dlq",
                "--from-beginning",
                "--timeout-ms",
                "1500");
        assertThat(decoded.exitCode()).isZero();
        JsonNode json = new ObjectMapper().readTree(decoded.out());
        assertThat(json.get("key").asText()).isEqualTo("k1");
        assertThat(json.at("/headers/error").asText()).isEqualTo("boom");
        assertThat(json.at("/headers/attempt").asText()).isEqualTo("hex:00000001");
        assertThat(json.get("value_error").asText()).isNotBlank();
        assertThat(json.get("value_hex").asText()).isEqualTo("6e6f74206176726f");
    }
}
