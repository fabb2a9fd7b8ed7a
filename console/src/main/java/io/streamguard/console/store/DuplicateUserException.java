package io.streamguard.console.store;

/** {@link Users#add} for a name that is taken. */
public final class DuplicateUserException extends ConsoleException {
    private static final long serialVersionUID = 1L;

    public DuplicateUserException(String name) {
        super("user already exists: " + name);
    }
}
