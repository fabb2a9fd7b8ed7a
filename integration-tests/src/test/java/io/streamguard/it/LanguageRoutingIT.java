package io.streamguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamguard.avro.Decision;
import io.streamguard.avro.LabeledEvent;
import io.streamguard.avro.TextEvent;
import io.streamguard.launcher.client.StreamsRunning;
import io.streamguard.schemas.Topics;
import io.streamguard.schemas.serde.AvroSerde;
import io.streamguard.topology.ClassifierScorer;
import io.streamguard.topology.Worker;
import io.streamguard.topology.WorkerConfig;
import io.streamguard.versions.ModelVersionsTopic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * English and Chinese on one worker, on the real broker and registry, with the real encoders (MiniLM and
 * bge-small-zh) and the committed trained heads of each (models/v2/minilm-l6.json, models/v1/bge-small-zh.json):
 * every event is scored by the model of its language and says which encoder and which of that encoder's
 * versions scored it; a language with no model comes out unscored; and a new Chinese version published on
 * {@code model-versions} is served for Chinese texts only.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LanguageRoutingIT {

    private static final String WORKER_ID = "it-languages";
    private static final Duration PATIENCE = Duration.ofMinutes(5);

    @TempDir
    static Path dir;

    private static Path home;
    private static String versionsTopic;
    private static Worker worker;
    private static AvroSerde<TextEvent> textEvents;
    private static AvroSerde<LabeledEvent> labeledEvents;

    @BeforeAll
    static void start() {
        SharedStack.get();
        home = Path.of(System.getProperty("streamguard.home"));
        // A topic of its own: versions other tests publish must not swap this worker's heads.
        versionsTopic = "it-language-versions-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", SharedStack.bootstrap()))) {
            ModelVersionsTopic.ensure(admin, versionsTopic, PATIENCE); // as the retrainer does on a fresh cluster
        }
        Map<String, String> p = new HashMap<>(Map.of(
                "bootstrap.servers",
                SharedStack.bootstrap(),
                "schema.registry.url",
                SharedStack.registryUrl(),
                "application.id",
                "it-languages-" + UUID.randomUUID(),
                "state.dir",
                dir.resolve("state").toString(),
                WorkerConfig.WORKER_ID,
                WORKER_ID,
                WorkerConfig.MODEL_ENCODER,
                "minilm-l6,bge-small-zh",
                WorkerConfig.MODEL_HEADS,
                home.resolve("models/v2/minilm-l6.json") + "," + home.resolve("models/v1/bge-small-zh.json"),
                WorkerConfig.MODEL_VERSIONS_TOPIC,
                versionsTopic,
                WorkerConfig.METRICS_PORT,
                "-1"));
        p.put(WorkerConfig.BATCH_MAX_SIZE, "16");
        worker = Worker.start(WorkerConfig.of(p), ClassifierScorer::load);
        StreamsRunning.await("the worker", worker::state, PATIENCE);
        textEvents = SharedStack.valueSerde(TextEvent.class);
        labeledEvents = SharedStack.valueSerde(LabeledEvent.class);
    }

    @AfterAll
    static void stop() {
        if (worker != null) {
            worker.close();
        }
    }

    @Test
    @Order(1)
    void eachEventIsScoredByTheModelOfItsLanguageWithThatModelsVersion() throws Exception {
        String prefix = "lang-" + UUID.randomUUID().toString().substring(0, 6);
        // id suffix -> (text, producer's language tag or null)
        Map<String, String[]> events = Map.of(
                "en", new String[] {"What a wonderful, kind and thoughtful gift. Thank you so much!", null},
                "zh", new String[] {"这家酒店的服务非常好，房间干净，下次还会再来。", null},
                "zh-offensive", new String[] {"你们这些地域黑真是恶心，滚出我们这里", null},
                "mixed", new String[] {"这个product真的很好用，强烈推荐给大家", null},
                "tagged-zh", new String[] {"ok", "zh-CN"},
                "ja", new String[] {"これはとても良い製品です。また買いたいと思います。", null},
                "tagged-fr", new String[] {"Bonjour tout le monde", "fr"});
        List<LabeledEvent> out = produceAndAwait(prefix, events);
        Map<String, LabeledEvent> byCase = out.stream()
                .collect(Collectors.toMap(e -> e.getId().substring(prefix.length() + 1), Function.identity()));

        assertScoredBy(byCase.get("en"), "en", "minilm-l6", "v2");
        assertScoredBy(byCase.get("zh"), "zh", "bge-small-zh", "v1");
        assertScoredBy(byCase.get("zh-offensive"), "zh", "bge-small-zh", "v1");
        assertScoredBy(byCase.get("mixed"), "zh", "bge-small-zh", "v1");
        assertScoredBy(byCase.get("tagged-zh"), "zh", "bge-small-zh", "v1");
        // The Chinese heads have only Chinese tasks: offensive and sentiment, no hate or spam.
        assertThat(byCase.get("zh").getScores()).containsOnlyKeys("offensive");
        assertThat(byCase.get("en").getScores()).containsOnlyKeys("offensive", "hate", "spam");
        // The trained heads read their own language: a polite review is positive and harmless, an insult is not.
        assertThat(byCase.get("zh").getSentiment().getLabel()).isEqualTo("positive");
        assertThat(byCase.get("zh").getDecision()).isEqualTo(Decision.ALLOW);
        assertThat(byCase.get("zh-offensive").getScores().get("offensive"))
                .isGreaterThan(byCase.get("zh").getScores().get("offensive") + 0.5);
        assertThat(byCase.get("en").getSentiment().getLabel()).isEqualTo("positive");

        for (String unsupported : List.of("ja", "tagged-fr")) {
            LabeledEvent e = byCase.get(unsupported);
            assertThat(e.getScores())
                    .as(unsupported + ": no score presented as real")
                    .isEmpty();
            assertThat(e.getSentiment()).isNull();
            assertThat(e.getEncoderName()).isNull();
            assertThat(e.getModelVersion()).isEqualTo("none");
            assertThat(e.getDecision()).as("a human looks at it").isEqualTo(Decision.REVIEW);
        }
        assertThat(byCase.get("ja").getUnscoredReason()).isEqualTo("unsupported language: ja");
        assertThat(byCase.get("tagged-fr").getUnscoredReason()).isEqualTo("unsupported language: fr");
        assertThat(byCase.get("ja").getLanguage()).isEqualTo("ja");
    }

    @Test
    @Order(2)
    void aNewChineseVersionIsServedToChineseTextsOnly() throws Exception {
        Cli published = Cli.run(
                "models",
                "--versions-topic",
                versionsTopic,
                "--bootstrap",
                SharedStack.bootstrap(),
                "--registry",
                SharedStack.registryUrl(),
                "publish",
                home.resolve("models/v1/bge-small-zh.json").toString(),
                "--as",
                "v1-it");
        assertThat(published.exit()).as(published.err()).isZero();
        assertThat(published.out()).contains("Published v1-it as the live bge-small-zh version");

        // Until the follower swaps: probes in Chinese until one is scored by the new version.
        String prefix = "swap-" + UUID.randomUUID().toString().substring(0, 6);
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        LabeledEvent swapped = null;
        for (int i = 0; swapped == null && System.nanoTime() < deadline; i++) {
            LabeledEvent probe = produceAndAwait(prefix + "-" + i, Map.of("zh", new String[] {"服务很好，推荐", null}))
                    .get(0);
            if ("v1-it".equals(probe.getModelVersion())) {
                swapped = probe;
            }
        }
        assertThat(swapped).as("the Chinese version v1-it was never served").isNotNull();
        assertScoredBy(swapped, "zh", "bge-small-zh", "v1-it");

        List<LabeledEvent> after = produceAndAwait(
                prefix + "-after",
                Map.of(
                        "en", new String[] {"Have a great weekend everyone", null},
                        "zh", new String[] {"今天天气不错", null}));
        Map<String, LabeledEvent> byCase = after.stream()
                .collect(Collectors.toMap(e -> e.getId().substring(e.getId().lastIndexOf('-') + 1), e -> e));
        assertScoredBy(byCase.get("en"), "en", "minilm-l6", "v2");
        assertScoredBy(byCase.get("zh"), "zh", "bge-small-zh", "v1-it");
    }

    private static void assertScoredBy(LabeledEvent e, String language, String encoder, String version) {
        assertThat(e.getLanguage()).as(e.getId()).isEqualTo(language);
        assertThat(e.getEncoderName()).as(e.getId()).isEqualTo(encoder);
        assertThat(e.getModelVersion()).as(e.getId()).isEqualTo(version);
        assertThat(e.getUnscoredReason()).as(e.getId()).isNull();
        assertThat(e.getScores()).as(e.getId()).isNotEmpty();
        assertThat(e.getWorkerId()).isEqualTo(WORKER_ID);
    }

    /** Produces {@code <prefix>-<case>} per entry and returns their labeled events. */
    private static List<LabeledEvent> produceAndAwait(String prefix, Map<String, String[]> cases) throws Exception {
        try (Tail<LabeledEvent> labeled = Tail.of(Topics.TEXT_LABELED, labeledEvents);
                KafkaProducer<String, TextEvent> producer = producer()) {
            for (Map.Entry<String, String[]> c : cases.entrySet()) {
                String id = prefix + "-" + c.getKey();
                TextEvent.Builder event = TextEvent.newBuilder().setId(id).setText(c.getValue()[0]);
                if (c.getValue()[1] != null) {
                    event.setLanguage(c.getValue()[1]);
                }
                producer.send(new ProducerRecord<>(Topics.TEXT_EVENTS, id, event.build()))
                        .get();
            }
            return labeled.await(r -> r.value().getId().startsWith(prefix + "-") && ours(r), cases.size()).stream()
                    .map(ConsumerRecord::value)
                    .toList();
        }
    }

    private static boolean ours(ConsumerRecord<String, LabeledEvent> r) {
        return WORKER_ID.equals(r.value().getWorkerId());
    }

    private static KafkaProducer<String, TextEvent> producer() {
        var p = SharedStack.producerProps();
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(p, new StringSerializer(), textEvents.serializer());
    }
}
