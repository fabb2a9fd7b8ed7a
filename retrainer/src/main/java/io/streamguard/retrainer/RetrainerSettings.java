package io.streamguard.retrainer;

import io.streamguard.schemas.Topics;
import java.time.Duration;
import java.util.Objects;

/**
 * How the retrainer learns from feedback.
 *
 * @param feedbackTopic moderators' {@code Feedback}
 * @param labeledTopic {@code LabeledEvent}s, whose texts fill in feedback that carries none
 * @param versionsTopic the compacted {@code ModelVersion} topic workers follow
 * @param trigger when a retrain starts: after N new verdicts, or T after the last one with at least one new
 * @param textRetention how long a labeled event's text is kept for a verdict to join with it; also how
 *     long a verdict waits for its text
 * @param holdoutPercent share of feedback events (by a stable hash of the event id) never trained on
 *     and used by the gate instead (near-copies go together, see {@link Holdout})
 * @param nearDuplicates word-set Jaccard similarity from which two feedback texts are near-copies: one piece of
 *     evidence, never split between training and hold-out ({@link NearDuplicates})
 * @param feedbackWeight how many times each feedback example counts against one original example
 * @param samplePerTask original training rows mixed in per retrained task, so old skills are kept
 * @param epochs passes over the mixed data (the best on validation plus feedback is kept)
 * @param learningRate Adam's step size for the warm-started heads
 * @param gate what a candidate must achieve to be promoted
 * @param seed sampling and training seed: the same feedback and data give the same candidate
 */
public record RetrainerSettings(
        String feedbackTopic,
        String labeledTopic,
        String versionsTopic,
        RetrainTrigger trigger,
        Duration textRetention,
        int holdoutPercent,
        double nearDuplicates,
        int feedbackWeight,
        int samplePerTask,
        int epochs,
        float learningRate,
        Gate gate,
        long seed) {

    /** Default of {@link #nearDuplicates}. */
    public static final double NEAR_DUPLICATES = 0.5;

    public RetrainerSettings {
        Objects.requireNonNull(feedbackTopic, "feedbackTopic");
        Objects.requireNonNull(labeledTopic, "labeledTopic");
        Objects.requireNonNull(versionsTopic, "versionsTopic");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(textRetention, "textRetention");
        Objects.requireNonNull(gate, "gate");
        if (textRetention.isNegative() || textRetention.isZero()) {
            throw new IllegalArgumentException("text retention must be positive, got " + textRetention);
        }
        if (holdoutPercent < 1 || holdoutPercent > 90) {
            throw new IllegalArgumentException("holdout must be 1..90 percent, got " + holdoutPercent);
        }
        new NearDuplicates(nearDuplicates); // validates
        if (feedbackWeight < 1 || samplePerTask < 0 || epochs < 1) {
            throw new IllegalArgumentException("feedback weight and epochs must be positive and the sample at least 0,"
                    + " got " + feedbackWeight + ", " + epochs + ", " + samplePerTask);
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
        }
    }

    /**
     * Standard topics; retrain after 100 verdicts or 30 minutes; texts kept 24 h; 20 % held out; feedback
     * weighted 10; near-copies from Jaccard 0.5; 2,000 original rows per task; 5 epochs at 1e-3; the default
     * {@link Gate}; seed 42.
     */
    public static RetrainerSettings defaults() {
        return new RetrainerSettings(
                Topics.MODERATION_FEEDBACK,
                Topics.TEXT_LABELED,
                Topics.MODEL_VERSIONS,
                new RetrainTrigger(100, Duration.ofMinutes(30)),
                Duration.ofHours(24),
                20,
                NEAR_DUPLICATES,
                10,
                2_000,
                5,
                1e-3f,
                Gate.defaults(),
                42L);
    }

    public RetrainerSettings withTopics(String feedback, String labeled, String versions) {
        return new RetrainerSettings(
                feedback,
                labeled,
                versions,
                trigger,
                textRetention,
                holdoutPercent,
                nearDuplicates,
                feedbackWeight,
                samplePerTask,
                epochs,
                learningRate,
                gate,
                seed);
    }

    public RetrainerSettings withTrigger(RetrainTrigger newTrigger) {
        return new RetrainerSettings(
                feedbackTopic,
                labeledTopic,
                versionsTopic,
                newTrigger,
                textRetention,
                holdoutPercent,
                nearDuplicates,
                feedbackWeight,
                samplePerTask,
                epochs,
                learningRate,
                gate,
                seed);
    }

    public RetrainerSettings withTextRetention(Duration retention) {
        return new RetrainerSettings(
                feedbackTopic,
                labeledTopic,
                versionsTopic,
                trigger,
                retention,
                holdoutPercent,
                nearDuplicates,
                feedbackWeight,
                samplePerTask,
                epochs,
                learningRate,
                gate,
                seed);
    }

    public RetrainerSettings withTraining(
            int newHoldoutPercent,
            int newFeedbackWeight,
            int newSamplePerTask,
            int newEpochs,
            float newLearningRate,
            long newSeed) {
        return new RetrainerSettings(
                feedbackTopic,
                labeledTopic,
                versionsTopic,
                trigger,
                textRetention,
                newHoldoutPercent,
                nearDuplicates,
                newFeedbackWeight,
                newSamplePerTask,
                newEpochs,
                newLearningRate,
                gate,
                newSeed);
    }

    public RetrainerSettings withGate(Gate newGate) {
        return new RetrainerSettings(
                feedbackTopic,
                labeledTopic,
                versionsTopic,
                trigger,
                textRetention,
                holdoutPercent,
                nearDuplicates,
                feedbackWeight,
                samplePerTask,
                epochs,
                learningRate,
                newGate,
                seed);
    }

    public RetrainerSettings withNearDuplicates(double similarity) {
        return new RetrainerSettings(
                feedbackTopic,
                labeledTopic,
                versionsTopic,
                trigger,
                textRetention,
                holdoutPercent,
                similarity,
                feedbackWeight,
                samplePerTask,
                epochs,
                learningRate,
                gate,
                seed);
    }
}
