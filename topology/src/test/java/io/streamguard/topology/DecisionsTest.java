package io.streamguard.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamguard.avro.Decision;
import io.streamguard.avro.LabelPolicy;
import io.streamguard.avro.ModerationPolicy;
import io.streamguard.model.heads.Thresholds;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecisionsTest {

    private final ModelInfo model =
            new ModelInfo("m7", Map.of("toxic", new Thresholds(0.5, 0.9), "spam", new Thresholds(0.6, 0.95)));

    @Test
    void thresholdsAreInclusiveAndBlockBeatsReview() {
        assertThat(Decisions.decide(Map.of("toxic", 0.49f, "spam", 0.1f), null, model)
                        .decision())
                .isEqualTo(Decision.ALLOW);
        assertThat(Decisions.decide(Map.of("toxic", 0.5f, "spam", 0.1f), null, model))
                .isEqualTo(new Decisions.Verdict(Decision.REVIEW, List.of("toxic"), "model:m7"));
        Decisions.Verdict both = Decisions.decide(Map.of("toxic", 0.7f, "spam", 0.95f), null, model);
        assertThat(both.decision()).isEqualTo(Decision.BLOCK);
        assertThat(both.triggeredLabels()).as("only the labels that blocked").containsExactly("spam");
    }

    @Test
    void policyOverridesPerLabelAndUnknownLabelsNeverTrigger() {
        Policy policy = Policy.fromAvro(ModerationPolicy.newBuilder()
                .setVersion("p3")
                .setLabels(
                        Map.of("toxic", LabelPolicy.newBuilder().setReview(0.2).build()))
                .setUpdatedAt(Instant.EPOCH)
                .setUpdatedBy("ops")
                .build());

        Decisions.Verdict v = Decisions.decide(Map.of("toxic", 0.99f, "spam", 0.97f, "new-label", 1f), policy, model);
        assertThat(v.decision())
                .as("toxic can no longer block; spam keeps the model's thresholds")
                .isEqualTo(Decision.BLOCK);
        assertThat(v.triggeredLabels()).containsExactly("spam");
        assertThat(v.policyVersion()).isEqualTo("p3");
        assertThat(Decisions.decide(Map.of("toxic", 0.99f, "spam", 0f), policy, model)
                        .decision())
                .isEqualTo(Decision.REVIEW);
    }

    @Test
    void invalidPoliciesAreRejected() {
        assertThatThrownBy(() -> new Policy.Rule(0.9, 0.5, true)).isInstanceOf(InvalidPolicyException.class);
        assertThatThrownBy(() -> new Policy.Rule(1.5, null, true)).hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> Policy.fromAvro(ModerationPolicy.newBuilder()
                        .setVersion("p")
                        .setLabels(Map.of(
                                "toxic",
                                LabelPolicy.newBuilder().setReview(-0.1).build()))
                        .setUpdatedAt(Instant.EPOCH)
                        .setUpdatedBy("ops")
                        .build()))
                .hasMessageContaining("label 'toxic'");
        assertThatThrownBy(() -> new Policy(" ", Map.of())).hasMessageContaining("version");
    }

    @Test
    void aLanguagesOverrideBeatsTheLabelsRuleWhichBeatsTheModel() {
        Policy policy = Policy.fromAvro(ModerationPolicy.newBuilder()
                .setVersion("p4")
                .setLabels(Map.of(
                        "toxic",
                        LabelPolicy.newBuilder().setReview(0.5).setBlock(0.9).build()))
                .setLanguages(Map.of(
                        "zh-CN",
                        Map.of(
                                "toxic",
                                LabelPolicy.newBuilder()
                                        .setReview(0.3)
                                        .setBlock(0.6)
                                        .build())))
                .setUpdatedAt(Instant.EPOCH)
                .setUpdatedBy("ops")
                .build());
        Map<String, Float> scores = Map.of("toxic", 0.65f, "spam", 0.7f);

        assertThat(policy.languages()).as("keyed by primary subtag").containsOnlyKeys("zh");
        assertThat(Decisions.decide(scores, policy, model, "zh"))
                .isEqualTo(new Decisions.Verdict(Decision.BLOCK, List.of("toxic"), "p4"));
        assertThat(Decisions.decide(scores, policy, model, "en"))
                .as("the labels' rule, and spam the model's")
                .isEqualTo(new Decisions.Verdict(Decision.REVIEW, List.of("spam", "toxic"), "p4"));
        assertThat(Decisions.decide(scores, policy, model, null))
                .isEqualTo(Decisions.decide(scores, policy, model, "en"));
    }

    @Test
    void unscoredTextsGoToReviewUnlessThePolicySaysOtherwise() {
        assertThat(Decisions.unscored(null)).isEqualTo(new Decisions.Verdict(Decision.REVIEW, List.of(), "model:none"));
        Policy allow = Policy.fromAvro(ModerationPolicy.newBuilder()
                .setVersion("p5")
                .setLabels(Map.of())
                .setUnsupportedLanguage(Decision.ALLOW)
                .setUpdatedAt(Instant.EPOCH)
                .setUpdatedBy("ops")
                .build());
        assertThat(Decisions.unscored(allow)).isEqualTo(new Decisions.Verdict(Decision.ALLOW, List.of(), "p5"));
        assertThat(Decisions.unscored(new Policy("p6", Map.of())).decision()).isEqualTo(Decision.REVIEW);
    }

    @Test
    void aLanguageThatIsNoTagOrNamedTwiceIsAnInvalidPolicy() {
        var builder = ModerationPolicy.newBuilder()
                .setVersion("p7")
                .setLabels(Map.of())
                .setUpdatedAt(Instant.EPOCH)
                .setUpdatedBy("ops");
        assertThatThrownBy(() -> Policy.fromAvro(
                        builder.setLanguages(Map.of("chinese", Map.of())).build()))
                .isInstanceOf(InvalidPolicyException.class)
                .hasMessageContaining("language 'chinese' is not a language tag");
        assertThatThrownBy(() -> Policy.fromAvro(builder.setLanguages(Map.of("zh", Map.of(), "ZH-TW", Map.of()))
                        .build()))
                .hasMessage("language zh is named twice");
        assertThatThrownBy(() -> Policy.fromAvro(builder.setLanguages(Map.of(
                                "zh",
                                Map.of(
                                        "toxic",
                                        LabelPolicy.newBuilder().setReview(2.0).build())))
                        .build()))
                .hasMessage("language zh, label 'toxic': review threshold must lie in [0, 1], got 2.0");
    }
}
