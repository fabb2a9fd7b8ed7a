package io.streamguard.model.training;

/** Training failed: TensorFlow refused the graph or a run, or the loss diverged. */
public class TrainingException extends RuntimeException {

    public TrainingException(String message) {
        super(message);
    }

    public TrainingException(String message, Throwable cause) {
        super(message, cause);
    }
}
