package io.streamguard.launcher.command;

import io.streamguard.avro.ModelVersion;
import io.streamguard.avro.VersionStatus;
import io.streamguard.launcher.client.VersionsTopic;
import io.streamguard.schemas.Topics;
import io.streamguard.versions.ModelVersions;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code streamguard models [rollback VERSION]}: the versions on {@code model-versions}. */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description = {
            "List the model versions on model-versions: status (PROMOTED or REJECTED by the gate), parent,"
                    + " primary validation metric per task, held-back feedback accuracy, and why.",
            "'*' marks the live version of each encoder (the latest promoted): the one workers serve."
        },
        subcommands = {ModelsCommand.Rollback.class})
public final class ModelsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions.Bootstrap bootstrap;

    @Mixin
    ClientOptions.Registry registry;

    @Option(
            names = "--versions-topic",
            paramLabel = "TOPIC",
            defaultValue = Topics.MODEL_VERSIONS,
            description = "Default: ${DEFAULT-VALUE}.")
    String topic;

    private static final Map<String, String> PRIMARY =
            Map.of("offensive", "macroF1", "hate", "macroF1", "spam", "f1", "sentiment", "accuracy");

    @Override
    public Integer call() {
        Map<String, ModelVersion> all = VersionsTopic.readAll(bootstrap.bootstrap, registry.url(), topic);
        PrintWriter out = spec.commandLine().getOut();
        if (all.isEmpty()) {
            out.println("No model versions on " + topic + ": workers serve their configured heads files.");
            out.flush();
            return 0;
        }
        List<String> live = new ArrayList<>();
        all.values().stream().map(ModelVersion::getEncoderName).distinct().forEach(encoder -> ModelVersions.live(
                        all.values(), encoder)
                .ifPresent(v -> live.add(v.getVersion())));
        out.printf(
                Locale.ROOT,
                "  %-8s %-9s %-10s %-7s %-24s %s%n",
                "VERSION",
                "STATUS",
                "ENCODER",
                "PARENT",
                "PUBLISHED",
                "METRICS / REASON");
        for (ModelVersion v : ModelVersions.byPublication(all.values())) {
            out.printf(
                    Locale.ROOT,
                    "%s %-8s %-9s %-10s %-7s %-24s %s%n",
                    live.contains(v.getVersion()) ? "*" : " ",
                    v.getVersion(),
                    v.getStatus(),
                    v.getEncoderName(),
                    v.getParentVersion() == null ? "-" : v.getParentVersion(),
                    ModelVersions.publishedAt(v),
                    metrics(v));
            if (v.getReason() != null) {
                out.println("           " + v.getReason());
            }
        }
        out.flush();
        return 0;
    }

    /** {@code spam f1=0.94 hate macroF1=0.77 ... feedback=0.90}. */
    static String metrics(ModelVersion v) {
        List<String> parts = new ArrayList<>();
        Map<String, Double> m = v.getMetrics();
        PRIMARY.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            Double value = m.get(e.getKey() + "." + e.getValue());
            if (value != null) {
                parts.add(String.format(Locale.ROOT, "%s %s=%.4f", e.getKey(), e.getValue(), value));
            }
        });
        Double feedback = m.get("feedback.accuracy");
        if (feedback != null) {
            parts.add(String.format(Locale.ROOT, "feedback=%.4f", feedback));
        }
        return parts.isEmpty() ? "-" : String.join("  ", parts);
    }

    @Command(
            name = "rollback",
            mixinStandardHelpOptions = true,
            description = {
                "Make an earlier promoted version live again: it is republished under its own key as the"
                        + " newest record (with a rollback entry in its lineage), and every worker swaps back"
                        + " to it between two batches. The retrainer then trains on top of it."
            })
    static final class Rollback implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.ParentCommand
        ModelsCommand parent;

        @Parameters(paramLabel = "VERSION", description = "The version to go back to, e.g. v1.")
        String version;

        @Option(names = "--by", paramLabel = "WHO", description = "Who rolled back (default: the user name).")
        String by;

        @Override
        public Integer call() {
            String url = parent.registry.url();
            String bootstrap = parent.bootstrap.bootstrap;
            Map<String, ModelVersion> all = VersionsTopic.readAll(bootstrap, url, parent.topic);
            ModelVersion target = all.get(version);
            if (target == null) {
                throw new ParameterException(
                        spec.commandLine(),
                        "no version '" + version + "' on " + parent.topic
                                + (all.isEmpty() ? "" : " (known: " + String.join(", ", all.keySet()) + ")"));
            }
            if (target.getStatus() != VersionStatus.PROMOTED) {
                throw new ParameterException(
                        spec.commandLine(),
                        "version " + version + " was rejected by the gate and cannot be served: " + target.getReason());
            }
            Optional<ModelVersion> current = ModelVersions.live(all.values(), target.getEncoderName());
            Instant now = Instant.now();
            for (ModelVersion v : all.values()) {
                Instant after = ModelVersions.publishedAt(v).plusMillis(1);
                if (after.isAfter(now)) {
                    now = after;
                }
            }
            String from = current.map(ModelVersion::getVersion).orElse("-");
            String who = by != null ? by : System.getProperty("user.name", "unknown");
            Map<String, String> lineage = new LinkedHashMap<>(target.getLineage());
            lineage.put("rollback.from", from);
            lineage.put("rollback.at", now.toString());
            lineage.put("rollback.by", who);
            ModelVersion republished = ModelVersion.newBuilder(target)
                    .setLineage(lineage)
                    .setPublishedAt(now)
                    .setReason("rollback from " + from + " by " + who)
                    .build();
            VersionsTopic.write(bootstrap, url, parent.topic, republished);
            PrintWriter out = spec.commandLine().getOut();
            out.println("Rolled back " + target.getEncoderName() + " to " + version + " (was " + from
                    + "); workers swap at their next batch.");
            out.flush();
            return 0;
        }
    }
}
