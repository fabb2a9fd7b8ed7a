/**
 * Trains classifier heads on cached encoder features with TensorFlow Java and picks per-label
 * thresholds on validation data. Entry points: {@link io.streamguard.model.training.HeadTrainer}
 * and {@link io.streamguard.model.training.ThresholdSelector}. Inputs are plain arrays so any
 * dataset reader or feature cache can feed them.
 */
package io.streamguard.model.training;
