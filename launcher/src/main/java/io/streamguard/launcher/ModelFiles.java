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
     * {@code model} as given on the command line: an existing file, else a version name resolved with
     * {@link #headsFile}; {@code null} if it is neither a file nor a plausible version name.
     */
    static Path resolve(String model, String encoderId) {
        Path asFile = Path.of(model);
        if (Files.isRegularFile(asFile)) {
            return asFile;
        }
        if (VERSION.matcher(model).matches()) {
            return headsFile(model, encoderId);
        }
        return null;
    }
}
