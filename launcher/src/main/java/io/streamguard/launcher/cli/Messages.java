package io.streamguard.launcher.cli;

/**
 * The one-line form of everything the CLI reports: a failure prints as one {@code streamguard: ...}
 * line on stderr, so messages from deep down (Kafka, the registry, a parser) are flattened here.
 */
public final class Messages {
    /** What each line the CLI prints about a failure starts with. */
    public static final String PREFIX = "streamguard: ";

    private Messages() {}

    /** {@code message} with its line breaks (and the blanks around them) as single spaces; "" for null. */
    public static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    /**
     * The innermost cause's message, else its class name: Kafka and the registry wrap the reason a
     * user can act on (a refused connection, a port in use) several layers deep.
     */
    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }
}
