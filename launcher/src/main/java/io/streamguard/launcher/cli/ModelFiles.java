package io.streamguard.launcher.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Where trained heads live: {@code models/<version>/<encoder>.json} in the checkout (committed with
 * the evaluation report that made them), so {@code --model v1} means the same file everywhere. Also
 * the one place that turns a command's {@code --heads} option into the heads file it runs.
 */
public final class ModelFiles {
    /** The encoder the pipeline runs unless told otherwise. */
    public static final String DEFAULT_ENCODER = "minilm-l6";
    /** {@code up}'s pipeline: English on MiniLM, Chinese on bge-small-zh (one encoder per language). */
    public static final String DEFAULT_PIPELINE_ENCODERS = DEFAULT_ENCODER + ",bge-small-zh";

    /**
     * Per encoder, the version whose heads the pipeline runs unless given {@code --heads}: MiniLM's fine-tuned
     * v2 (its adapters merged into the encoder at load), BERT-base's v1 (heads on the frozen encoder: it
     * cannot be fine-tuned here yet).
     */
    private static final Map<String, String> DEFAULT_VERSIONS = Map.of(DEFAULT_ENCODER, "v2");

    /** What a version means where nothing else says: the heads the first releases trained on frozen encoders. */
    public static final String FIRST_VERSION = "v1";

    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private ModelFiles() {}

    /** {@code <checkout>/models}. */
    public static Path modelsDir() {
        return Checkout.home().resolve("models");
    }

    /** The heads file of {@code version} for {@code encoderId}. */
    public static Path headsFile(String version, String encoderId) {
        return modelsDir().resolve(version).resolve(encoderId + ".json");
    }

    /** The evaluation report written beside {@link #headsFile}. */
    public static Path reportFile(String version, String encoderId) {
        return modelsDir().resolve(version).resolve(encoderId + ".md");
    }

    /** The version {@code encoderId} serves by default: v2 for MiniLM, v1 for BERT-base. */
    public static String defaultVersion(String encoderId) {
        return DEFAULT_VERSIONS.getOrDefault(encoderId, FIRST_VERSION);
    }

    /** {@code <checkout>/models/<default version>/<encoder>.json}: the trained default. */
    public static Path defaultHeads(String encoderId) {
        return headsFile(defaultVersion(encoderId), encoderId);
    }

    /**
     * A command's heads file: {@code --heads} if given (absolute; a usage error when it is no file),
     * else the trained default of {@code encoderId} (see {@link #trainedHeads}).
     */
    public static Path heads(CommandSpec spec, Path given, String encoderId) {
        if (given != null) {
            return requireGiven(spec, given).toAbsolutePath();
        }
        return trainedHeads(encoderId);
    }

    /** {@code given} ({@code --heads}), which must be a file: a usage error otherwise. */
    public static Path requireGiven(CommandSpec spec, Path given) {
        if (!Files.isRegularFile(given)) {
            throw new ParameterException(spec.commandLine(), "heads file not found: " + given);
        }
        return given;
    }

    /**
     * The trained default of {@code encoderId}. Fails in one line, before anything starts, when it is
     * missing: it is the output of the training step rather than shipped by every checkout.
     *
     * @throws LauncherException if the file does not exist
     */
    public static Path trainedHeads(String encoderId) {
        Path heads = defaultHeads(encoderId);
        if (!Files.isRegularFile(heads)) {
            throw new LauncherException("no trained model for "
                    + encoderId
                    + " at "
                    + heads
                    + ": train the heads first (README, \"Training the heads\") or pass --heads FILE;"
                    + " --no-pipeline runs only broker and registry");
        }
        return heads;
    }

    /**
     * {@code model} as given on the command line: a version name resolved with {@link #headsFile}, else a
     * heads file path (which may not exist).
     */
    public static Path resolve(String model, String encoderId) {
        return isVersion(model) ? headsFile(model, encoderId) : Path.of(model);
    }

    /**
     * Whether {@code model} names a version under {@code models/} rather than a file: a plain name (no
     * directory, not ending in {@code .json}) that is not an existing file.
     */
    public static boolean isVersion(String model) {
        return VERSION.matcher(model).matches() && !model.endsWith(".json") && !Files.isRegularFile(Path.of(model));
    }
}
