package io.streamguard.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where trained heads live: {@code models/<version>/<encoder>.json} in the checkout (committed with
 * the evaluation report that made them), so {@code --model v1} means the same file everywhere.
 */
final class ModelFiles {
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private ModelFiles() {}

    /** {@code <checkout>/models} (the checkout is {@code streamguard.home}, else the working directory). */
    static Path modelsDir() {
        String home = System.getProperty(EmbeddedRegistry.HOME_PROPERTY);
        Path base = home != null ? Path.of(home) : Path.of("").toAbsolutePath();
        return base.resolve("models").normalize();
    }

    /** The heads file of {@code version} for {@code encoderId}. */
    static Path headsFile(String version, String encoderId) {
        return modelsDir().resolve(version).resolve(encoderId + ".json");
    }

    /** The evaluation report written beside {@link #headsFile}. */
    static Path reportFile(String version, String encoderId) {
        return modelsDir().resolve(version).resolve(encoderId + ".md");
    }

    /**
     * {@code model} as given on the command line: a version name resolved with {@link #headsFile}, else a
     * heads file path (which may not exist).
     */
    static Path resolve(String model, String encoderId) {
        return isVersion(model) ? headsFile(model, encoderId) : Path.of(model);
    }

    /**
     * Whether {@code model} names a version under {@code models/} rather than a file: a plain name (no
     * directory, not ending in {@code .json}) that is not an existing file.
     */
    static boolean isVersion(String model) {
        return VERSION.matcher(model).matches() && !model.endsWith(".json") && !Files.isRegularFile(Path.of(model));
    }
}
