package io.streamguard.console.store;

/** A queue filter named a label that has no {@code score_<label>} column in moderation_events. */
public final class UnknownLabelException extends ConsoleException {
    private static final long serialVersionUID = 1L;

    public UnknownLabelException(String label) {
        super("unknown label: " + label);
    }
}
