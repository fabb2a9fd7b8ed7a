package io.streamguard.model.training;

import io.streamguard.model.heads.Head;

/**
 * How {@link HeadTrainer} trains a head.
 *
 * @param hiddenUnits 0 for a linear (logistic / multinomial) head, else the width of one ReLU hidden layer
 * @param learningRate Adam's step size
 * @param l2 weight decay: {@code l2 / 2 * ||W||^2} over the kernels (not the biases) is added to the loss
 * @param inputDropout fraction of standardised inputs dropped during training, in [0, 1)
 * @param hiddenDropout fraction of hidden units dropped during training, in [0, 1)
 * @param batchSize rows per Adam step
 * @param maxEpochs passes over the training data at most
 * @param patience stop after this many epochs without a better validation metric
 * @param seed drives initial weights, shuffling and dropout masks: same data and seed give the same weights
 * @param classWeighting weight each row's loss by {@code rows / (classes * rowsOfItsClass)}, so every
 *     class contributes equally however rare it is
 * @param warmStart if not null, training starts from this head's weights and keeps its normaliser
 *     (inputMean/inputScale), so epoch 0 starts from exactly the current model; its shape must match
 * @param halfPrecisionWeights round the trained kernels to float16, so the model file stores them at half
 *     the size (biases and normaliser stay float32); the returned head, its validation probabilities and
 *     everything measured on them are those of the rounded weights
 */
public record TrainingOptions(
        int hiddenUnits,
        float learningRate,
        float l2,
        float inputDropout,
        float hiddenDropout,
        int batchSize,
        int maxEpochs,
        int patience,
        long seed,
        boolean classWeighting,
        Head warmStart,
        boolean halfPrecisionWeights) {

    public TrainingOptions {
        if (hiddenUnits < 0) {
            throw new IllegalArgumentException("hiddenUnits must be >= 0, got " + hiddenUnits);
        }
        if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be positive, got " + learningRate);
        }
        if (!(l2 >= 0) || Float.isInfinite(l2)) {
            throw new IllegalArgumentException("l2 must be >= 0, got " + l2);
        }
        if (!(inputDropout >= 0 && inputDropout < 1) || !(hiddenDropout >= 0 && hiddenDropout < 1)) {
            throw new IllegalArgumentException(
                    "dropout must lie in [0, 1), got input " + inputDropout + ", hidden " + hiddenDropout);
        }
        if (hiddenDropout > 0 && hiddenUnits == 0) {
            throw new IllegalArgumentException("hiddenDropout needs a hidden layer");
        }
        if (batchSize < 1 || maxEpochs < 1 || patience < 1) {
            throw new IllegalArgumentException("batchSize, maxEpochs and patience must be positive, got " + batchSize
                    + ", " + maxEpochs + ", " + patience);
        }
        if (warmStart != null && hiddenUnits != hiddenUnitsOf(warmStart)) {
            throw new IllegalArgumentException(
                    "hiddenUnits " + hiddenUnits + " differ from the warm-start head's " + hiddenUnitsOf(warmStart));
        }
    }

    /**
     * Logistic head, Adam 1e-3, l2 1e-4, no dropout, batch 64, up to 30 epochs, patience 3, seed 42,
     * class weighting on, no warm start, kernels rounded to float16 (the heads file halves; against float32
     * training of v1, no validation metric of BERT-base moved and MiniLM's hate macro-F1 moved by 0.0008).
     */
    public static TrainingOptions defaults() {
        return new TrainingOptions(0, 1e-3f, 1e-4f, 0f, 0f, 64, 30, 3, 42L, true, null, true);
    }

    public TrainingOptions withHiddenUnits(int units) {
        return new TrainingOptions(
                units,
                learningRate,
                l2,
                inputDropout,
                hiddenDropout,
                batchSize,
                maxEpochs,
                patience,
                seed,
                classWeighting,
                warmStart,
                halfPrecisionWeights);
    }

    public TrainingOptions withLearningRate(float rate) {
        return new TrainingOptions(
                hiddenUnits,
                rate,
                l2,
                inputDropout,
                hiddenDropout,
                batchSize,
                maxEpochs,
                patience,
                seed,
                classWeighting,
                warmStart,
                halfPrecisionWeights);
    }

    public TrainingOptions withL2(float decay) {
        return new TrainingOptions(
                hiddenUnits,
                learningRate,
                decay,
                inputDropout,
                hiddenDropout,
                batchSize,
                maxEpochs,
                patience,
                seed,
                classWeighting,
                warmStart,
                halfPrecisionWeights);
    }

    public TrainingOptions withDropout(float input, float hidden) {
        return new TrainingOptions(
                hiddenUnits,
                learningRate,
                l2,
                input,
                hidden,
                batchSize,
                maxEpochs,
                patience,
                seed,
                classWeighting,
                warmStart,
                halfPrecisionWeights);
    }

    public TrainingOptions withBatchSize(int rows) {
        return new TrainingOptions(
                hiddenUnits,
                learningRate,
                l2,
                inputDropout,
                hiddenDropout,
                rows,
                maxEpochs,
                patience,
                seed,
                classWeighting,
                warmStart,
                halfPrecisionWeights);
    }

    public TrainingOptions withEpochs(int max, int patienceEpochs) {
        return new TrainingOptions(
                hiddenUnits,
                learningRate,
                l2,
                inputDropout,
                hiddenDropout,
                batchSize,
                max,
                patienceEpochs,
                seed,
                classWeighting,
                warmStart,
                halfPrecisionWeights);
    }

    public TrainingOptions withSeed(long newSeed) {
        return new TrainingOptions(
                hiddenUnits,
                learningRate,
                l2,
                inputDropout,
                hiddenDropout,
                batchSize,
                maxEpochs,
                patience,
                newSeed,
                classWeighting,
                warmStart,
                halfPrecisionWeights);
    }

    public TrainingOptions withClassWeighting(boolean on) {
        return new TrainingOptions(
                hiddenUnits,
                learningRate,
                l2,
                inputDropout,
                hiddenDropout,
                batchSize,
                maxEpochs,
                patience,
                seed,
                on,
                warmStart,
                halfPrecisionWeights);
    }

    /** Starts from {@code head}'s weights; {@link #hiddenUnits()} follows its shape. */
    public TrainingOptions withWarmStart(Head head) {
        int units = head == null ? hiddenUnits : hiddenUnitsOf(head);
        return new TrainingOptions(
                units,
                learningRate,
                l2,
                inputDropout,
                hiddenDropout,
                batchSize,
                maxEpochs,
                patience,
                seed,
                classWeighting,
                head,
                halfPrecisionWeights);
    }

    public TrainingOptions withHalfPrecisionWeights(boolean on) {
        return new TrainingOptions(
                hiddenUnits,
                learningRate,
                l2,
                inputDropout,
                hiddenDropout,
                batchSize,
                maxEpochs,
                patience,
                seed,
                classWeighting,
                warmStart,
                on);
    }

    private static int hiddenUnitsOf(Head head) {
        return head.layers().size() == 1 ? 0 : head.layers().get(0).outputs();
    }
}
