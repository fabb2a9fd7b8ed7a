package io.streamguard.model.training;

import java.time.Duration;

/** Told how far a long job (feature extraction, training) has got; called from the working thread. */
@FunctionalInterface
public interface ProgressListener {

    /** Ignores every update. */
    ProgressListener NONE = (done, total, elapsed) -> {};

    /**
     * @param done units finished so far (texts, batches, epochs), from 0 up to {@code total}
     * @param total units in the whole job
     * @param elapsed time since the job started
     */
    void progress(long done, long total, Duration elapsed);
}
