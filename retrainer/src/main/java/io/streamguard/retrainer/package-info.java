/**
 * The retraining sidecar: moderator feedback in, gated model versions out.
 *
 * <p>{@link io.streamguard.retrainer.Retrainer} is the entry point (lifecycle and poll loop). It joins verdicts
 * with their texts ({@link io.streamguard.retrainer.FeedbackLog}); when the
 * {@link io.streamguard.retrainer.RetrainTrigger} fires, {@link io.streamguard.retrainer.Retraining} trains a
 * candidate ({@link io.streamguard.retrainer.CandidateTrainer}) on the feedback the
 * {@link io.streamguard.retrainer.Holdout} does not keep back (near-copies,
 * {@link io.streamguard.retrainer.NearDuplicates}, stay together), judges it ({@link io.streamguard.retrainer.Evaluation}, {@link io.streamguard.retrainer.Gate},
 * {@link io.streamguard.retrainer.McNemar}) and publishes it with its
 * {@link io.streamguard.retrainer.Lineage} to {@code model-versions} (module {@code streamguard-versions}).
 *
 * <p>Every failure of the retrainer's own is a {@link io.streamguard.retrainer.RetrainerException} (topic cannot
 * be prepared, version cannot be published); settings are validated with {@link IllegalArgumentException}.
 */
package io.streamguard.retrainer;
