package io.streamguard.launcher.cli;

import java.nio.file.Path;

/**
 * The checkout the launcher runs from, where the trained models ({@code models/}) and, beside it,
 * the shared datasets ({@code ../shared/datasets}) are found. The {@code streamguard} wrapper sets
 * {@value #HOME_PROPERTY}; without it (tests, an IDE) the working directory stands in.
 */
public final class Checkout {
    /** System property naming the checkout; set by the {@code streamguard} wrapper script. */
    public static final String HOME_PROPERTY = "streamguard.home";

    private Checkout() {}

    /** {@code -Dstreamguard.home}, else the working directory; absolute and normalized. */
    public static Path home() {
        String home = System.getProperty(HOME_PROPERTY);
        return (home != null && !home.isBlank() ? Path.of(home) : Path.of(""))
                .toAbsolutePath()
                .normalize();
    }

    /**
     * {@code explicit} if given, else {@code $STREAMGUARD_DATASETS}, else {@code ../shared/datasets}
     * beside the checkout.
     */
    public static Path datasetsDir(Path explicit) {
        if (explicit != null) {
            return explicit;
        }
        String env = System.getenv("STREAMGUARD_DATASETS");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return home().resolve("../shared/datasets").normalize();
    }
}
