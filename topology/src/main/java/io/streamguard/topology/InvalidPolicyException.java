package io.streamguard.topology;

/** A moderation policy that cannot be applied: threshold outside [0, 1], review above block, no version. */
public class InvalidPolicyException extends PipelineException {

    private static final long serialVersionUID = 1L;

    public InvalidPolicyException(String message) {
        super(message);
    }
}
