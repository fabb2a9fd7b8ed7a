package io.streamguard.retrainer;

/**
 * The retrainer's one failure type: its {@code model-versions} topic cannot be created or configured, a
 * version cannot be published, or it was interrupted doing so. The cause is Kafka's own exception. The poll
 * loop stops on it (retraining from a version history it could not extend would publish stale parents);
 * {@link Retrainer#start} throws it when the topic cannot be prepared.
 */
public class RetrainerException extends RuntimeException {

    public RetrainerException(String message, Throwable cause) {
        super(message, cause);
    }
}
