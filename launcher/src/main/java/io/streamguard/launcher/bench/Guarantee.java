package io.streamguard.launcher.bench;

/** Kafka Streams' processing guarantee of the pipeline runs, as {@code --guarantee} names it. */
enum Guarantee {
    EXACTLY_ONCE_V2("exactly_once_v2"),
    AT_LEAST_ONCE("at_least_once");

    private final String config;

    Guarantee(String config) {
        this.config = config;
    }

    /** The {@code processing.guarantee} value. */
    String config() {
        return config;
    }

    static Guarantee parse(String value) {
        for (Guarantee g : values()) {
            if (g.config.equalsIgnoreCase(value)) {
                return g;
            }
        }
        throw new IllegalArgumentException("must be exactly_once_v2 or at_least_once, was '" + value + "'");
    }
}
