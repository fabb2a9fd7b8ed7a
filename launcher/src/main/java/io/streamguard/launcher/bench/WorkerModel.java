package io.streamguard.launcher.bench;

import io.streamguard.launcher.cli.ModelFiles;
import io.streamguard.launcher.cli.Usage;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The model the workers of a pipeline benchmark serve ({@code --encoder}, {@code --heads}): one declaration for
 * {@code bench pipeline}, {@code connectors}, {@code chaos} and {@code repeats}, so they default and check alike.
 */
final class WorkerModel {
    @Option(
            names = "--encoder",
            paramLabel = "ID",
            defaultValue = ModelFiles.DEFAULT_ENCODER,
            description = "Encoder the workers serve; default: ${DEFAULT-VALUE}.")
    String encoder;

    @Option(
            names = "--heads",
            paramLabel = "FILE",
            description = "Heads file the workers start with (default: the encoder's default version in models/).")
    Path heads;

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    /** A usage error unless {@code --encoder} is a known encoder; checked before anything reads the checkout. */
    void checkEncoder() {
        Usage.knownEncoder(mixee, "--encoder", encoder);
    }

    /** {@code --heads} (a usage error if it is not a file), else the encoder's default trained model. */
    Path headsFile() {
        return ModelFiles.heads(mixee, heads, encoder);
    }
}
