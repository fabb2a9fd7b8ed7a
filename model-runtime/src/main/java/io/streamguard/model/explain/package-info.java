/**
 * Why a text was flagged: leave-one-word-out occlusion on the model that scored it. {@link
 * io.streamguard.model.explain.Occlusion} splits a text into {@link io.streamguard.model.explain.Word}s
 * (with character offsets, for highlighting), scores the original and every one-word-removed variant
 * in one {@link io.streamguard.model.Classifier} call (so one heads version), and returns an {@link
 * io.streamguard.model.explain.Explanation}: per label, how much each word's removal lowers its score.
 *
 * <p>Cost is one extra text per word (at most {@link io.streamguard.model.explain.Occlusion#DEFAULT_MAX_SPANS}
 * + 1 texts per item); {@link io.streamguard.model.explain.Explanation#cost()} reports what it took.
 * Failures are the classifier's ({@link io.streamguard.model.BatchFailedException} etc.).
 */
package io.streamguard.model.explain;
