package io.streamguard.launcher.command;

import io.streamguard.launcher.cli.ModelFiles;
import io.streamguard.launcher.cli.Usage;
import io.streamguard.launcher.client.LiveModel;
import io.streamguard.schemas.Topics;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Which model's labels a command that takes label names checks them against ({@link LiveModel}). */
final class ModelOptions {
    @Option(
            names = "--encoder",
            paramLabel = "ID",
            defaultValue = ModelFiles.DEFAULT_ENCODER,
            description = "Whose live model's labels are the known ones; default: ${DEFAULT-VALUE}.")
    String encoder;

    @Option(
            names = "--versions-topic",
            paramLabel = "TOPIC",
            defaultValue = Topics.MODEL_VERSIONS,
            description = "Where the live model is published; default: ${DEFAULT-VALUE}.")
    String versionsTopic;

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    /** The live model, or empty (after a warning on stderr) when there is none to check against. */
    Optional<LiveModel> read(String bootstrap, String registryUrl) {
        Usage.knownEncoder(mixee, "--encoder", encoder);
        Optional<LiveModel> model = LiveModel.read(bootstrap, registryUrl, versionsTopic, encoder);
        if (model.isEmpty()) {
            mixee.commandLine()
                    .getErr()
                    .println("warning: cannot check label names: " + versionsTopic + " has no promoted " + encoder
                            + " version and " + ModelFiles.defaultHeads(encoder) + " does not exist");
            mixee.commandLine().getErr().flush();
        }
        return model;
    }

    /** A usage error naming the known labels if {@code model} lacks any of {@code labels}. */
    void requireKnown(Optional<LiveModel> model, Collection<String> labels) {
        model.ifPresent(m -> {
            Set<String> unknown = m.unknown(labels);
            if (!unknown.isEmpty()) {
                throw Usage.error(mixee, m.unknownMessage(unknown));
            }
        });
    }
}
