package io.streamguard.launcher.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamguard.avro.LabelPolicy;
import io.streamguard.avro.ModerationPolicy;
import io.streamguard.console.web.Thresholds.Label;
import io.streamguard.launcher.cli.ModelFiles;
import io.streamguard.model.heads.Feature;
import io.streamguard.model.heads.HeadsFile;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.heads.TestHeads;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The console shows the thresholds the workers apply: the policy's where it names a label, else the model's. */
class LiveThresholdsTest {
    private final HeadsModel heads = HeadsFile.read( // tests run in launcher/
            Path.of("..", "models", "v1", ModelFiles.DEFAULT_ENCODER + ".json"));
    ;
    private final ServingModel model = ServingModel.headsOnly(heads);
    private final AtomicReference<Optional<ModerationPolicy>> policy = new AtomicReference<>(Optional.empty());
    private final LiveThresholds thresholds = new LiveThresholds(policy::get, model);

    @Test
    void withoutAPolicyEveryModerationLabelHasTheModelsOwnThresholds() {
        Map<String, Label> current = thresholds.current();

        assertThat(current.keySet()).containsExactlyInAnyOrderElementsOf(heads.moderationLabels());
        heads.moderationLabels().forEach(label -> {
            assertThat(current.get(label).review())
                    .isEqualTo(heads.thresholds().get(label).review());
            assertThat(current.get(label).block())
                    .isEqualTo(heads.thresholds().get(label).block());
        });
        assertThat(model.version()).contains(heads.version());
    }

    @Test
    void aPolicyOverridesTheLabelsItNamesAndANewPolicyShowsAtOnce() {
        String spam = "spam";
        String hate = "hate";
        policy.set(Optional.of(policy("v1", Map.of(spam, new LabelPolicy(0.2, 0.7, true)))));
        assertThat(thresholds.current().get(spam)).isEqualTo(new Label(0.2, 0.7));
        assertThat(thresholds.current().get(hate).review())
                .isEqualTo(heads.thresholds().get(hate).review());

        // Disabled: never triggers, so nothing to measure priority against. Block only: review at block.
        policy.set(Optional.of(
                policy("v2", Map.of(spam, new LabelPolicy(0.2, 0.7, false), hate, new LabelPolicy(null, 0.9, true)))));
        assertThat(thresholds.current()).doesNotContainKey(spam);
        assertThat(thresholds.current().get(hate).review()).isCloseTo(0.9, within(1e-9));
        assertThat(thresholds.current().get(hate).block()).isCloseTo(0.9, within(1e-9));

        policy.set(Optional.of(policy("v3", Map.of(hate, new LabelPolicy(0.3, null, true)))));
        assertThat(thresholds.current().get(hate)).isEqualTo(new Label(0.3, LiveThresholds.NEVER));
    }

    @Test
    void anItemIsMeasuredAgainstItsEncodersModelAndThePolicyForItsLanguage() {
        HeadsModel english = TestHeads.random("v1", 1, "minilm-l6", "en", 8, Feature.MEAN, 128);
        HeadsModel chinese = TestHeads.random("v1", 2, "bge-small-zh", "zh", 8, Feature.MEAN, 128)
                .withThresholds(Map.of(
                        "offensive", new io.streamguard.model.heads.Thresholds(0.3, 0.6),
                        "hate", new io.streamguard.model.heads.Thresholds(0.2, 0.5),
                        "spam", new io.streamguard.model.heads.Thresholds(0.7, 0.99)));
        LiveThresholds both =
                new LiveThresholds(policy::get, ServingModel.headsOnly(java.util.List.of(english, chinese)));
        ModerationPolicy p = policy("p1", Map.of("spam", new LabelPolicy(0.1, 0.2, true)));
        p.setLanguages(Map.of("zh", Map.of("hate", new LabelPolicy(0.05, 0.15, true))));
        policy.set(Optional.of(p));

        Map<String, Label> zh = both.forItem(Optional.of("bge-small-zh"), "zh");
        assertThat(zh.get("offensive")).isEqualTo(new Label(0.3, 0.6)); // the Chinese model's own
        assertThat(zh.get("hate")).isEqualTo(new Label(0.05, 0.15)); // the policy's zh override
        assertThat(zh.get("spam")).isEqualTo(new Label(0.1, 0.2)); // the policy's for every language

        Map<String, Label> en = both.forItem(Optional.of("minilm-l6"), "en");
        assertThat(en.get("offensive")).isEqualTo(new Label(0.5, 0.9)); // TestHeads' English thresholds
        assertThat(en.get("hate")).isEqualTo(new Label(0.4, 0.8));
        // rows from before encoders were named: the first encoder; current(): the same, no language
        assertThat(both.forItem(Optional.empty(), "en")).isEqualTo(en);
        assertThat(both.current()).isEqualTo(en);
        // an unscored item (no encoder served reads it): only what the policy says
        assertThat(both.forItem(Optional.of("bert-base-uncased"), "ja").keySet())
                .containsExactly("spam");
    }

    private static ModerationPolicy policy(String version, Map<String, LabelPolicy> labels) {
        return ModerationPolicy.newBuilder()
                .setVersion(version)
                .setLabels(labels)
                .setUpdatedAt(Instant.now())
                .setUpdatedBy("test")
                .build();
    }
}
