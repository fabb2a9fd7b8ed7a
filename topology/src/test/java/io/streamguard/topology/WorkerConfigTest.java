package io.streamguard.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamguard.model.encoder.Device;
import io.streamguard.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerConfigTest {

    @TempDir
    Path dir;

    @Test
    void defaultsAreExactlyOnceAllRoleAndTheBuiltInDeadLetterQueue() {
        WorkerConfig config = WorkerConfig.of(Map.of("bootstrap.servers", "b:9092"));

        assertThat(config.role()).isEqualTo(Role.ALL);
        assertThat(config.batch()).isEqualTo(BatchSettings.DEFAULTS);
        assertThat(config.engineBatchSize()).isEqualTo(32);
        assertThat(config.pipelineSettings().maxTextBytes()).isEqualTo(65_536);
        assertThat(config.encoderConfig().encoderId()).isEqualTo("minilm-l6");
        assertThat(config.metricsPort()).isEqualTo(9464);
        assertThat(config.workerId()).contains("-");
        Properties streams = config.streamsProperties();
        assertThat(streams)
                .containsEntry("application.id", "streamguard")
                .containsEntry("processing.guarantee", "exactly_once_v2")
                .containsEntry("errors.dead.letter.queue.topic.name", "text-events-dlq")
                .containsEntry("deserialization.exception.handler", DeadLetterHandlers.Deserialization.class.getName())
                .containsEntry("processing.exception.handler", DeadLetterHandlers.Processing.class.getName())
                .containsEntry("production.exception.handler", DeadLetterHandlers.Production.class.getName())
                .containsEntry("poll.ms", "10")
                .containsEntry("bootstrap.servers", "b:9092");
        // The dead letter of the largest text-events record the broker accepts, headers included, must fit.
        assertThat(streams).containsEntry("producer.max.request.size", "" + Topics.DEAD_LETTER_MAX_BYTES);
        assertThat(Topics.spec(Topics.TEXT_EVENTS_DLQ).configs())
                .containsEntry("max.message.bytes", "" + Topics.DEAD_LETTER_MAX_BYTES);
        assertThat(WorkerConfig.of(Map.of("bootstrap.servers", "b:9092", "producer.max.request.size", "5000000"))
                        .streamsProperties())
                .as("the user's setting wins")
                .containsEntry("producer.max.request.size", "5000000");
    }

    @Test
    void engineBatchesAreCutFromTheMicroBatchAndNeverLargerThanIt() {
        assertThat(WorkerConfig.of(Map.of("bootstrap.servers", "b:9092", WorkerConfig.BATCH_ENGINE_SIZE, "8"))
                        .engineBatchSize())
                .isEqualTo(8);
        assertThat(WorkerConfig.of(Map.of("bootstrap.servers", "b:9092", WorkerConfig.BATCH_MAX_SIZE, "4"))
                        .engineBatchSize())
                .as("capped by batch.max.size")
                .isEqualTo(4);
        assertThat(WorkerConfig.load(
                                null, Map.of("STREAMGUARD_BOOTSTRAP", "b:9092", "STREAMGUARD_BATCH_ENGINE_SIZE", "16"))
                        .engineBatchSize())
                .isEqualTo(16);
        assertThatThrownBy(() ->
                        WorkerConfig.of(Map.of("bootstrap.servers", "b:9092", WorkerConfig.BATCH_ENGINE_SIZE, "0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("streamguard.batch.engine.size");
    }

    @Test
    void environmentOverridesTheFileAndPassesKafkaSettingsThrough() throws Exception {
        Path file = dir.resolve("worker.properties");
        Files.writeString(file, """
                bootstrap.servers=file:9092
                streamguard.role=inference
                streamguard.batch.max.size=16
                security.protocol=SASL_SSL
                schema.registry.url=http://file-registry
                """);
        WorkerConfig config = WorkerConfig.load(
                file,
                Map.of(
                        "STREAMGUARD_BATCH_MAX_SIZE", "64",
                        "STREAMGUARD_BATCH_MAX_WAIT_MS", "8",
                        "STREAMGUARD_SASL_JAAS_CONFIG", "secret-jaas",
                        "STREAMGUARD_NUM_STANDBY_REPLICAS", "1",
                        "STREAMGUARD_PROCESSING_GUARANTEE", "at_least_once",
                        "STREAMGUARD_MODEL_DEVICE", "cpu",
                        "STREAMGUARD_REGISTRY_URL", "http://env-registry",
                        "PATH", "/usr/bin"));

        assertThat(config.role()).isEqualTo(Role.INFERENCE);
        assertThat(config.batch())
                .isEqualTo(new BatchSettings(64, Duration.ofMillis(8), BatchSettings.DEFAULTS.maxTokensPerBatch()));
        assertThat(config.encoderConfig().device()).isEqualTo(Device.CPU);
        Properties streams = config.streamsProperties();
        assertThat(streams)
                .containsEntry("application.id", "streamguard-inference")
                .containsEntry("bootstrap.servers", "file:9092")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.jaas.config", "secret-jaas")
                .containsEntry("num.standby.replicas", "1")
                .containsEntry("processing.guarantee", "at_least_once")
                .containsEntry("poll.ms", "4")
                .doesNotContainKey("streamguard.batch.max.size")
                .doesNotContainKey("path");
        assertThat(config.registryProperties()).containsEntry("schema.registry.url", "http://env-registry");
        assertThat(config.toString()).doesNotContain("secret-jaas");
    }

    @Test
    void badValuesFailAtLoad() {
        assertThatThrownBy(() -> WorkerConfig.of(Map.of())).hasMessageContaining("bootstrap.servers");
        assertThatThrownBy(() -> WorkerConfig.of(Map.of("bootstrap.servers", "b", "streamguard.role", "gpu")))
                .hasMessageContaining("tokenizer, inference or all");
        assertThatThrownBy(() -> WorkerConfig.of(Map.of("bootstrap.servers", "b", "streamguard.batch.max.size", "x")))
                .hasMessageContaining("streamguard.batch.max.size");
        // The messages name the setting as the user wrote it, not the field it becomes (maxBatchSize, maxWait).
        assertThatThrownBy(() -> WorkerConfig.of(Map.of("bootstrap.servers", "b", "streamguard.batch.max.size", "0")))
                .hasMessage("Invalid value 0 for configuration streamguard.batch.max.size: Value must be at least 1");
        assertThatThrownBy(
                        () -> WorkerConfig.of(Map.of("bootstrap.servers", "b", "streamguard.batch.max.wait.ms", "-5")))
                .hasMessage(
                        "Invalid value -5 for configuration streamguard.batch.max.wait.ms: Value must be at least 1");
    }

    @Test
    void eachSettingIsValidatedAsDeclared() {
        assertThatThrownBy(() -> WorkerConfig.of(Map.of("bootstrap.servers", "b", WorkerConfig.MODEL_DEVICE, "tpu")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(WorkerConfig.MODEL_DEVICE);
        assertThatThrownBy(() -> WorkerConfig.of(Map.of("bootstrap.servers", "b", WorkerConfig.MODEL_FOLLOW, "maybe")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(WorkerConfig.MODEL_FOLLOW);
        assertThatThrownBy(() -> WorkerConfig.of(Map.of("bootstrap.servers", "b", WorkerConfig.METRICS_PORT, "70000")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(WorkerConfig.METRICS_PORT);
        assertThatThrownBy(() -> WorkerConfig.of(Map.of("bootstrap.servers", "b", WorkerConfig.MODEL_ENCODER, "gpt")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minilm-l6");
        WorkerConfig blanks = WorkerConfig.of(Map.of(
                "bootstrap.servers",
                "b",
                WorkerConfig.BATCH_MAX_SIZE,
                " ",
                WorkerConfig.MODEL_DEVICE,
                "GPU",
                WorkerConfig.MODEL_FOLLOW,
                "FALSE",
                WorkerConfig.METRICS_PORT,
                "-1"));
        assertThat(blanks.batch()).as("blank is unset").isEqualTo(BatchSettings.DEFAULTS);
        assertThat(blanks.encoderConfig().device()).isEqualTo(Device.GPU);
        assertThat(blanks.followModelVersions()).isFalse();
        assertThat(blanks.metricsPort()).isEqualTo(-1);
    }

    @Test
    void defaultsFileEnvironmentAndOverridesApplyInThatOrder() throws Exception {
        Path file = dir.resolve("worker.properties");
        Files.writeString(file, """
                streamguard.role=inference
                streamguard.batch.max.size=16
                streamguard.batch.max.wait.ms=30
                """);
        WorkerConfig config = WorkerConfig.load(
                Map.of(
                        "bootstrap.servers",
                        "default:9092",
                        WorkerConfig.BATCH_MAX_TOKENS,
                        "100",
                        WorkerConfig.BATCH_MAX_SIZE,
                        "1"),
                file,
                Map.of("STREAMGUARD_BATCH_MAX_WAIT_MS", "8", "STREAMGUARD_ROLE", "tokenizer"),
                Map.of(WorkerConfig.ROLE, "all"));

        assertThat(config.get("bootstrap.servers"))
                .as("default, nothing overrides it")
                .isEqualTo("default:9092");
        assertThat(config.batch()).isEqualTo(new BatchSettings(16, Duration.ofMillis(8), 100));
        assertThat(config.role()).as("an override beats the environment").isEqualTo(Role.ALL);
    }
}
