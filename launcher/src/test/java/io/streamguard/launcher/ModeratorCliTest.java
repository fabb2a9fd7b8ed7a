package io.streamguard.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamguard.avro.VersionStatus;
import io.streamguard.launcher.cli.Checkout;
import io.streamguard.launcher.client.VersionsTopic;
import io.streamguard.launcher.stack.EmbeddedStack;
import io.streamguard.model.heads.HeadsFile;
import io.streamguard.versions.ModelVersions;
import io.streamguard.versions.ModelVersionsTopic;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a moderator types, against the embedded broker and {@link TinyRegistry}: labels checked against the live
 * model (here the checkout's {@code models/v2/minilm-l6.json}, as {@code model-versions} is empty), verdicts on
 * unknown events, policy reset and the thresholds in force, one event by key, and input with bad lines.
 */
class ModeratorCliTest {
    private static final String NO_REGISTRY = "http://127.0.0.1:1/apis/ccompat/v7";

    @TempDir
    static Path dataDir;

    private static EmbeddedStack stack;
    private static TinyRegistry registry;
    private static String home;
    private static Path heads;

    @BeforeAll
    static void start() throws Exception {
        stack = EmbeddedStack.builder()
                .dataDir(dataDir)
                .ephemeralPorts()
                .withoutRegistry()
                .partitions(3)
                .start();
        registry = new TinyRegistry();
        home = System.getProperty(Checkout.HOME_PROPERTY);
        // The launcher module's directory: its parent is the checkout, with the trained models.
        Path checkout = Path.of("").toAbsolutePath().getParent();
        System.setProperty(Checkout.HOME_PROPERTY, checkout.toString());
        heads = checkout.resolve("models/v2/minilm-l6.json");
    }

    @AfterAll
    static void stop() {
        if (home == null) {
            System.clearProperty(Checkout.HOME_PROPERTY);
        } else {
            System.setProperty(Checkout.HOME_PROPERTY, home);
        }
        if (registry != null) {
            registry.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    private static CliRun cli(String registryUrl, String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "-b";
        all[args.length + 1] = stack.bootstrapServers();
        all[args.length + 2] = "-r";
        all[args.length + 3] = registryUrl;
        return CliRun.of(all);
    }

    private static void send(String topic, String key, String value) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    private static List<JsonNode> records(CliRun run) throws Exception {
        return new ObjectMapper()
                .readerFor(JsonNode.class)
                .<JsonNode>readValues(run.out())
                .readAll();
    }

    private static String hex(String text) {
        return HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void consumeByKeyShowsOnlyThatEventsRecords() throws Exception {
        send("text-events", "k-off", "someone else");
        send("text-events", "k-1", "first");
        for (int i = 0; i < 20; i++) {
            send("text-events", "k-noise-" + i, "noise");
        }
        send("text-events", "k-1", "second");

        CliRun all = cli(NO_REGISTRY, "consume", "-t", "text-events", "--raw", "--key", "k-1", "--timeout-ms", "1500");
        assertThat(all.exitCode()).as(all.err()).isZero();
        assertThat(records(all))
                .extracting(r ->
                        r.get("key_hex").asText() + "=" + r.get("value_hex").asText())
                .containsExactly(hex("k-1") + "=" + hex("first"), hex("k-1") + "=" + hex("second"));

        CliRun first = cli(NO_REGISTRY, "consume", "-t", "text-events", "--raw", "--id", "k-1", "--max", "1");
        assertThat(records(first))
                .singleElement()
                .satisfies(r -> assertThat(r.get("value_hex").asText()).isEqualTo(hex("first")));
        assertThat(first.err()).contains("Consumed 1 record with key k-1 from text-events");
    }

    @Test
    void feedbackRefusesLabelsTheLiveModelDoesNotHave() throws Exception {
        CliRun typo = cli(NO_REGISTRY, "feedback", "--id", "x", "--label", "spamm=true");

        assertThat(typo.exitCode()).isEqualTo(2);
        assertThat(typo.errLines())
                .containsExactly("streamguard: unknown label 'spamm': model v2 (" + heads
                        + ", as model-versions has no promoted minilm-l6 version) has hate, offensive, spam");

        Path file = Files.writeString(
                dataDir.resolve("verdicts.jsonl"),
                "{\"id\":\"a\",\"labels\":{\"spam\":true,\"scam\":true},\"text\":\"t\"}\n"
                        + "{\"id\":\"b\",\"labels\":{\"hat\":false},\"text\":\"t\"}\n");
        CliRun inFile = cli(NO_REGISTRY, "feedback", "--file", file.toString());
        assertThat(inFile.exitCode()).isEqualTo(2);
        assertThat(inFile.err()).contains("unknown labels 'hat', 'scam': model v2 (");
    }

    @Test
    void theLiveVersionOnModelVersionsNamesTheKnownLabels() throws Exception {
        try (Admin admin = stack.admin()) {
            ModelVersionsTopic.ensure(admin, "lab-versions", Duration.ofSeconds(30));
        }
        VersionsTopic.write(
                stack.bootstrapServers(),
                registry.url(),
                "lab-versions",
                ModelVersions.toAvro(HeadsFile.read(heads), VersionStatus.PROMOTED, "test", Map.of(), Instant.now()));

        CliRun typo = cli(
                registry.url(), "feedback", "--versions-topic", "lab-versions", "--id", "x", "--label", "spamm=true");

        assertThat(typo.exitCode()).isEqualTo(2);
        assertThat(typo.errLines())
                .containsExactly("streamguard: unknown label 'spamm': model v2 (the live minilm-l6 version on"
                        + " lab-versions) has hate, offensive, spam");
    }

    @Test
    void aVerdictOnAnUnknownEventWarnsWithItsTextAndIsRefusedWithout() throws Exception {
        send("text-labeled", "e-known", "labeled");

        CliRun noText = cli(registry.url(), "feedback", "--id", "e-never", "--label", "spam=true");
        assertThat(noText.exitCode()).isEqualTo(2);
        assertThat(noText.errLines())
                .containsExactly("streamguard: no event 'e-never' on text-labeled and no text to learn from: give the"
                        + " verdict's text (--text, or \"text\" in the file); nothing was sent");

        CliRun withText = cli(
                registry.url(), "feedback", "--id", "e-never", "--label", "spam=true", "--text", "win a free prize");
        assertThat(withText.exitCode()).as(withText.err()).isZero();
        assertThat(withText.errLines())
                .containsExactly("warning: no event 'e-never' on text-labeled; the verdict counts with the text given");
        assertThat(withText.out()).contains("Sent 1 verdict(s) to moderation-feedback.");

        CliRun known = cli(registry.url(), "feedback", "--id", "e-known", "--label", "spam=false");
        assertThat(known.exitCode()).as(known.err()).isZero();
        assertThat(known.err()).isEmpty();

        CliRun sent =
                cli(NO_REGISTRY, "consume", "-t", "moderation-feedback", "--raw", "--key", "e-never", "--max", "1");
        assertThat(records(sent)).hasSize(1);
    }

    @Test
    void policyRefusesTyposResetsToTheModelAndShowsWhatIsInForce() throws Exception {
        CliRun typo = cli(NO_REGISTRY, "policy", "set", "--label", "offensiv", "--review", "0.3", "--block", "0.6");
        assertThat(typo.exitCode()).isEqualTo(2);
        assertThat(typo.err()).contains("unknown label 'offensiv': model v2 (", ") has hate, offensive, spam");

        CliRun none = cli(registry.url(), "policy", "show");
        assertThat(none.exitCode()).as(none.err()).isZero();
        assertThat(none.out())
                .contains("No policy 'default' on moderation-policy: the model's own thresholds decide.")
                .containsPattern("(?m)^hate\\s+0\\.\\d\\d\\s+0\\.\\d\\d\\s+model v2$")
                .containsPattern("(?m)^spam\\s+0\\.\\d\\d\\s+0\\.\\d\\d\\s+model v2$");

        CliRun set = cli(registry.url(), "policy", "set", "--label", "hate", "--review", "0.4", "--block", "0.8");
        assertThat(set.exitCode()).as(set.err()).isZero();
        assertThat(cli(registry.url(), "policy", "show").out())
                .containsPattern("(?m)^Policy 'default' v1 \\(")
                .containsPattern("(?m)^hate\\s+0\\.40\\s+0\\.80\\s+policy v1$")
                .containsPattern("(?m)^offensive\\s+0\\.\\d\\d\\s+0\\.\\d\\d\\s+model v2$");

        CliRun reset = cli(registry.url(), "policy", "reset", "--description", "back to the model");
        assertThat(reset.exitCode()).as(reset.err()).isZero();
        assertThat(reset.out().strip())
                .isEqualTo("Policy 'default' v2 set (was v1): no overrides, every label uses the model's thresholds");
        assertThat(cli(registry.url(), "policy", "show").out())
                .containsPattern("(?m)^Policy 'default' v2 \\(.*: back to the model\\)$")
                .containsPattern("(?m)^hate\\s+0\\.\\d\\d\\s+0\\.\\d\\d\\s+model v2$")
                .doesNotContain("policy v");

        assertThat(cli(registry.url(), "policy", "set", "--label", "spam", "--disable")
                        .exitCode())
                .isZero();
        CliRun replace = cli(registry.url(), "policy", "set", "--replace");
        assertThat(replace.out()).startsWith("Policy 'default' v4 set (was v3): no overrides");
        Path empty = Files.writeString(dataDir.resolve("policy.json"), "{\"labels\": {}}");
        CliRun fromFile = cli(registry.url(), "policy", "set", "--file", empty.toString());
        assertThat(fromFile.exitCode()).as(fromFile.err()).isZero();
        assertThat(cli(registry.url(), "policy", "show", "--json").out()).contains("\"version\" : \"v5\"");
    }

    @Test
    void aPolicyOverridesLabelsPerLanguageAndSaysWhatLanguagesWithoutAModelGet() throws Exception {
        String name = "per-language";
        CliRun zh = cli(
                registry.url(),
                "policy",
                "set",
                "--name",
                name,
                "--language",
                "zh-CN",
                "--label",
                "hate",
                "--block",
                "0.6");
        assertThat(zh.exitCode()).as(zh.err()).isZero();
        assertThat(zh.out().strip()).isEqualTo("Policy 'per-language' v1 set: zh: hate block>=0.6");

        CliRun all = cli(
                registry.url(),
                "policy",
                "set",
                "--name",
                name,
                "--label",
                "spam",
                "--block",
                "0.9",
                "--unsupported-language",
                "BLOCK");
        assertThat(all.exitCode()).as(all.err()).isZero();
        assertThat(all.out().strip())
                .as("the language's overrides stay")
                .isEqualTo("Policy 'per-language' v2 set (was v1): spam block>=0.9; zh: hate block>=0.6;"
                        + " unsupported languages: BLOCK");
        assertThat(cli(registry.url(), "policy", "show", "--name", name).out())
                .contains("Language zh: hate block>=0.6\n")
                .contains("Languages no model reads: BLOCK\n");

        Path file = Files.writeString(
                dataDir.resolve("languages.json"),
                "{\"labels\": {}, \"languages\": {\"zh\": {\"spam\": {\"review\": 0.5}}},"
                        + " \"unsupportedLanguage\": \"allow\"}");
        CliRun fromFile = cli(registry.url(), "policy", "set", "--name", name, "--file", file.toString());
        assertThat(fromFile.exitCode()).as(fromFile.err()).isZero();
        JsonNode stored = new ObjectMapper()
                .readTree(cli(registry.url(), "policy", "show", "--name", name, "--json")
                        .out());
        assertThat(stored.at("/languages/zh/spam/review").asDouble()).isEqualTo(0.5);
        assertThat(stored.at("/unsupportedLanguage").asText()).isEqualTo("ALLOW");

        CliRun typo = cli(
                registry.url(),
                "policy",
                "set",
                "--name",
                name,
                "--language",
                "zh",
                "--label",
                "hat",
                "--block",
                "0.5");
        assertThat(typo.exitCode()).isEqualTo(2);
        assertThat(typo.err()).contains("unknown label 'hat'");
        CliRun notATag =
                cli(registry.url(), "policy", "set", "--name", name, "--language", "chinese", "--label", "hate");
        assertThat(notATag.exitCode()).isEqualTo(2);
        assertThat(notATag.err()).contains("--language: 'chinese' is not a language tag");
    }

    @Test
    void produceSkipsInvalidLinesAndSaysWhich() throws Exception {
        Path input = Files.writeString(
                dataDir.resolve("mixed.jsonl"),
                "{\"id\":\"s-1\",\"text\":\"one\"}\nnot json\n{\"id\":\"s-2\",\"text\":\"two\"}\n{\"id\":\"s-3\"}\n");

        CliRun run = cli(registry.url(), "produce", "-t", "text-events", "--skip-invalid", input.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().strip()).isEqualTo("Produced 2 records to text-events; skipped 2 invalid lines (2, 4)");
        assertThat(run.errLines()).hasSize(2).allMatch(line -> line.startsWith(input + ":"));
        CliRun sent = cli(NO_REGISTRY, "consume", "-t", "text-events", "--raw", "--key", "s-2", "--max", "1");
        assertThat(records(sent)).hasSize(1);
    }

    @Test
    void stdinIsSentAsItIsReadSoABadLineStopsAfterTheRecordsBeforeIt() throws Exception {
        InputStream stdin = System.in;
        System.setIn(new ByteArrayInputStream(
                "{\"id\":\"in-1\",\"text\":\"one\"}\n{\"id\":\"in-2\"}\n{\"id\":\"in-3\",\"text\":\"three\"}\n"
                        .getBytes(StandardCharsets.UTF_8)));
        CliRun run;
        try {
            run = cli(registry.url(), "produce", "-t", "text-events", "-");
        } finally {
            System.setIn(stdin);
        }

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines())
                .containsExactly("streamguard: stdin:2: missing required field 'text' (1 earlier record was produced)");
    }
}
