package io.streamguard.launcher.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

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
     * Where a build output of the checkout is looked for when none is given: {@code envName} in
     * {@code env}, then the {@code propertyName} system property, then {@code inCheckout} below
     * {@value #HOME_PROPERTY} or the working dir (relative, as given). The overrides let a packaged
     * install point at outputs built elsewhere.
     */
    public static Path buildOutput(
            Map<String, String> env, Properties sys, String envName, String propertyName, Path inCheckout) {
        String fromEnv = env.get(envName);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        String fromProperty = sys.getProperty(propertyName);
        if (fromProperty != null && !fromProperty.isBlank()) {
            return Path.of(fromProperty);
        }
        String home = sys.getProperty(HOME_PROPERTY);
        Path root = home != null && !home.isBlank() ? Path.of(home) : Path.of("");
        return root.resolve(inCheckout);
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
