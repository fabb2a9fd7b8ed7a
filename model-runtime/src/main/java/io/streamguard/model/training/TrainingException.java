package io.streamguard.model.training;

import io.streamguard.model.ModelRuntimeException;

/** Training failed: TensorFlow refused the graph or a run, or the loss diverged. */
public class TrainingException extends ModelRuntimeException {

    public TrainingException(String message) {
        super(message);
    }

    public TrainingException(String message, Throwable cause) {
        super(message, cause);
    }
}
