package io.streamguard.model.training;

import io.streamguard.model.heads.Thresholds;

/**
 * Thresholds picked for one label, with how each performs on validation data (for the training report).
 *
 * @param thresholds to store in the heads file
 * @param review the point behind {@code thresholds.review()}
 * @param block the point behind {@code thresholds.block()}
 * @param blockTargetMet whether {@code block} reaches the requested precision; if not it is the most
 *     precise point available
 */
public record ThresholdChoice(
        Thresholds thresholds, OperatingPoint review, OperatingPoint block, boolean blockTargetMet) {}
