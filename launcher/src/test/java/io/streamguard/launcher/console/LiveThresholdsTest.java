package io.streamguard.launcher.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamguard.avro.LabelPolicy;
import io.streamguard.avro.ModerationPolicy;
import io.streamguard.console.web.Thresholds.Label;
import io.streamguard.launcher.cli.ModelFiles;
import io.streamguard.model.heads.HeadsFile;
import io.streamguard.model.heads.HeadsModel;
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

    private static ModerationPolicy policy(String version, Map<String, LabelPolicy> labels) {
        return ModerationPolicy.newBuilder()
                .setVersion(version)
                .setLabels(labels)
                .setUpdatedAt(Instant.now())
                .setUpdatedBy("test")
                .build();
    }
}
