package io.streamguard.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamguard.model.encoder.Device;
import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.encoder.Precision;
import io.streamguard.model.heads.HeadsFile;
import io.streamguard.schemas.Topics;
import io.streamguard.topology.testing.SeededHeads;
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
        assertThatThrownBy(
                        () -> WorkerConfig.of(Map.of("bootstrap.servers", "b", WorkerConfig.MODEL_PRECISION, "int8")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(WorkerConfig.MODEL_PRECISION);
        assertThat(WorkerConfig.of(Map.of("bootstrap.servers", "b"))
                        .encoderConfig()
                        .precision())
                .as("workers take bfloat16 where the CPU has it")
                .isEqualTo(Precision.AUTO);
        assertThat(WorkerConfig.of(Map.of("bootstrap.servers", "b", WorkerConfig.MODEL_PRECISION, "FP32"))
                        .encoderConfig()
                        .precision())
                .isEqualTo(Precision.FP32);
        assertThat(WorkerConfig.of(Map.of("bootstrap.servers", "b", WorkerConfig.MODEL_PRECISION, "fp16"))
                        .encoderConfig()
                        .precision())
                .isEqualTo(Precision.FP16);
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

    private static WorkerConfig config(String... keyValues) {
        Map<String, String> p = new java.util.HashMap<>(Map.of("bootstrap.servers", "b:9092"));
        for (int i = 0; i < keyValues.length; i += 2) {
            p.put(keyValues[i], keyValues[i + 1]);
        }
        return WorkerConfig.of(p);
    }

    private Path heads(String name, String encoderId) {
        Path file = dir.resolve(name);
        HeadsFile.write(SeededHeads.random("v1", 7, encoderId, "vocab-" + encoderId, 8, 128), file);
        return file;
    }

    @Test
    void oneEncoderPerLanguageTheFirstTheDefault() {
        WorkerConfig config =
                config(WorkerConfig.MODEL_ENCODER, "minilm-l6, bge-small-zh", WorkerConfig.MODEL_DEVICE, "cpu");

        assertThat(config.encoderIds()).containsExactly("minilm-l6", "bge-small-zh");
        assertThat(config.encoderConfig().encoderId())
                .as("the default language's")
                .isEqualTo("minilm-l6");
        assertThat(config.encoderConfigs())
                .extracting(EncoderConfig::encoderId, EncoderConfig::device)
                .containsExactly(
                        org.assertj.core.api.Assertions.tuple("minilm-l6", Device.CPU),
                        org.assertj.core.api.Assertions.tuple("bge-small-zh", Device.CPU));
        assertThat(config(WorkerConfig.MODEL_ENCODER, "bert-base-uncased").encoderIds())
                .as("a single value as before")
                .containsExactly("bert-base-uncased");
        assertThat(config().encoderIds()).containsExactly("minilm-l6");
    }

    @Test
    void twoEncodersForOneLanguageOrOneTwiceAreAConfigError() {
        assertThatThrownBy(() -> config(WorkerConfig.MODEL_ENCODER, "minilm-l6,bert-base-uncased"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid value [minilm-l6, bert-base-uncased] for configuration streamguard.model.encoder:"
                        + " encoders minilm-l6 and bert-base-uncased both read language en: configure one encoder per"
                        + " language");
        assertThatThrownBy(() -> config(WorkerConfig.MODEL_ENCODER, "bge-small-zh,bge-small-zh"))
                .hasMessageEndingWith("encoder bge-small-zh is configured twice");
        assertThatThrownBy(() -> config(WorkerConfig.MODEL_ENCODER, "minilm-l6,gpt"))
                .hasMessageContaining("gpt")
                .hasMessageContaining("bert-base-uncased, bge-small-zh, minilm-l6");
    }

    @Test
    void headsFilesAreMatchedToTheirEncodersByTheEncoderTheyRecord() {
        Path zh = heads("zh.json", "bge-small-zh");
        Path en = heads("en.json", "minilm-l6");
        WorkerConfig config =
                config(WorkerConfig.MODEL_ENCODER, "minilm-l6,bge-small-zh", WorkerConfig.MODEL_HEADS, zh + "," + en);

        assertThat(config.headsFiles()).containsExactly(zh, en);
        assertThat(config.headsFile("bge-small-zh")).isEqualTo(zh);
        assertThat(config.headsFile("minilm-l6")).isEqualTo(en);
        assertThat(config.headsFile()).as("the default encoder's").isEqualTo(en);

        WorkerConfig chinese = config.forEncoder("bge-small-zh");
        assertThat(chinese.encoderIds()).containsExactly("bge-small-zh");
        assertThat(chinese.headsFile()).isEqualTo(zh);
        assertThat(chinese.get("bootstrap.servers")).isEqualTo("b:9092");
        assertThatThrownBy(() -> config.forEncoder("bert-base-uncased"))
                .hasMessageContaining("encoder bert-base-uncased is not configured");
    }

    @Test
    void anEncoderWithoutHeadsHasNoneAndStrayOrDoubleHeadsAreRefused() {
        Path en = heads("en.json", "minilm-l6");
        WorkerConfig onlyEnglish =
                config(WorkerConfig.MODEL_ENCODER, "minilm-l6,bge-small-zh", WorkerConfig.MODEL_HEADS, en.toString());
        assertThat(onlyEnglish.headsFile("bge-small-zh")).isNull();
        assertThat(onlyEnglish.forEncoder("bge-small-zh").headsFile())
                .as("ClassifierScorer.load then says a heads file is needed")
                .isNull();

        Path bert = heads("bert.json", "bert-base-uncased");
        assertThatThrownBy(() -> config(
                                WorkerConfig.MODEL_ENCODER,
                                "minilm-l6,bge-small-zh",
                                WorkerConfig.MODEL_HEADS,
                                en + "," + bert)
                        .headsFile("minilm-l6"))
                .hasMessage("heads file " + bert + " is for encoder bert-base-uncased, which is not configured"
                        + " (streamguard.model.encoder=minilm-l6,bge-small-zh)");
        Path en2 = heads("en2.json", "minilm-l6");
        assertThatThrownBy(() -> config(
                                WorkerConfig.MODEL_ENCODER,
                                "minilm-l6,bge-small-zh",
                                WorkerConfig.MODEL_HEADS,
                                en + "," + en2)
                        .headsFile("minilm-l6"))
                .hasMessage("heads files " + en + " and " + en2 + " are both for encoder minilm-l6");
        assertThatThrownBy(() -> config(
                                WorkerConfig.MODEL_ENCODER,
                                "minilm-l6,bge-small-zh",
                                WorkerConfig.MODEL_HEADS,
                                dir.resolve("missing.json").toString())
                        .headsFile("minilm-l6"))
                .hasMessageContaining("missing.json");
    }

    @Test
    void oneEncoderAndOneHeadsFileNeedNoReading() {
        Path missing = dir.resolve("not-yet.json");
        WorkerConfig config = config(WorkerConfig.MODEL_HEADS, missing.toString());
        assertThat(config.headsFile()).as("loading checks it, as before").isEqualTo(missing);
        assertThat(config.forEncoder("minilm-l6").headsFile()).isEqualTo(missing);
        assertThat(config.headsFile("bge-small-zh")).isNull();
    }
}
