package io.streamguard.model.training;

import io.streamguard.model.heads.Head;
import java.util.List;

/**
 * A trained head and how it got there.
 *
 * @param head the best epoch's weights
 * @param history every epoch run, in order
 * @param bestEpoch 1-based epoch whose weights {@link #head()} holds
 * @param bestMetric its validation metric
 * @param validationProbabilities the head's probabilities on the validation rows, row-major
 *     {@code [rows, outputs]}, computed by TensorFlow at the best epoch (input to {@link ThresholdSelector})
 * @param stoppedEarly whether patience ran out before {@link TrainingOptions#maxEpochs()}
 */
public record TrainingResult(
        Head head,
        List<EpochStats> history,
        int bestEpoch,
        double bestMetric,
        float[] validationProbabilities,
        boolean stoppedEarly) {

    public TrainingResult {
        history = List.copyOf(history);
    }
}
