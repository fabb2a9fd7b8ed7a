package io.streamguard.model;

/**
 * Root of every failure the model runtime raises on purpose, so a caller (the CLI, a worker) can
 * report any of them with one catch; the subclasses say what went wrong and what to do (tree and
 * advice in {@code package-info.java}). Unchecked, because a broken model artifact or data file
 * cannot be fixed at the call site. Abstract: every failure has a typed subclass.
 */
public abstract class ModelRuntimeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    protected ModelRuntimeException(String message) {
        super(message);
    }

    protected ModelRuntimeException(String message, Throwable cause) {
        super(message, cause);
    }
}
