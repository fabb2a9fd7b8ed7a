package io.streamguard.console.store;

/**
 * The root of everything the console module throws on purpose: a database failure (with the {@link
 * java.sql.SQLException} as cause) or a refused request, so callers catch one type.
 */
public class ConsoleException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConsoleException(String message) {
        super(message);
    }

    public ConsoleException(String message, Throwable cause) {
        super(message, cause);
    }
}
