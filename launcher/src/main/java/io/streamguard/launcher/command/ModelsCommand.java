package io.streamguard.launcher.command;

import io.streamguard.avro.ModelVersion;
import io.streamguard.avro.VersionStatus;
import io.streamguard.launcher.cli.ModelFiles;
import io.streamguard.launcher.client.VersionsTopic;
import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.heads.HeadsFile;
import io.streamguard.model.heads.HeadsFileException;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.schemas.Topics;
import io.streamguard.versions.ModelHistory;
import io.streamguard.versions.ModelVersions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
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

/** {@code streamguard models [rollback VERSION | publish MODEL]}: the versions on {@code model-versions}. */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description = {
            "Show the model versions on model-versions: the live version of each encoder, every version's status"
                    + " (LIVE, SUPERSEDED, ROLLED BACK or REJECTED) with its parent and metrics, and the history:"
                    + " promotions and rejections (by the retrainer, with its trigger and the gate's reason),"
                    + " rollbacks (by whom) and the versions they displaced, oldest first.",
            "'*' marks the live version of each encoder (the latest promoted): the one workers serve."
        },
        subcommands = {ModelsCommand.Rollback.class, ModelsCommand.Publish.class})
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
        ModelHistory history = ModelHistory.of(all.values());
        for (ModelHistory.Entry live : history.live()) {
            out.printf(
                    Locale.ROOT,
                    "LIVE %s: %s since %s (%s by %s)%n",
                    live.record().getEncoderName(),
                    live.record().getVersion(),
                    live.since().at(),
                    live.since().kind() == ModelHistory.Kind.RESTORED
                            ? "rollback from " + live.record().getLineage().get(ModelVersions.ROLLBACK_FROM)
                            : "promoted",
                    live.since().by());
        }
        out.println();
        out.printf(
                Locale.ROOT,
                "  %-8s %-11s %-10s %-7s %-24s %s%n",
                "VERSION",
                "STATUS",
                "ENCODER",
                "PARENT",
                "SINCE",
                "METRICS");
        for (ModelHistory.Entry e : history.entries()) {
            ModelVersion v = e.record();
            out.printf(
                    Locale.ROOT,
                    "%s %-8s %-11s %-10s %-7s %-24s %s%n",
                    e.state() == ModelHistory.State.LIVE ? "*" : " ",
                    v.getVersion(),
                    e.state().name().replace('_', ' '),
                    v.getEncoderName(),
                    v.getParentVersion() == null ? "-" : v.getParentVersion(),
                    e.since().at(),
                    metrics(v));
        }
        out.println();
        out.println("HISTORY (oldest first)");
        out.printf(Locale.ROOT, "  %-24s %-8s %-11s %-28s %s%n", "TIME", "VERSION", "EVENT", "BY", "WHY");
        for (ModelHistory.Event e : history.events()) {
            out.printf(
                    Locale.ROOT,
                    "  %-24s %-8s %-11s %-28s %s%n",
                    e.at(),
                    e.version(),
                    e.kind().name().replace('_', ' '),
                    e.by(),
                    e.detail());
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

        @Option(
                names = "--encoder",
                paramLabel = "ID",
                description = "Whose version (version names are per encoder); needed only when several encoders"
                        + " have one by that name.")
        String encoder;

        @Option(
                names = "--by",
                paramLabel = "WHO",
                description = "Who rolled back, for the history (default: user@host).")
        String by;

        @Override
        public Integer call() {
            String url = parent.registry.url();
            String bootstrap = parent.bootstrap.bootstrap;
            Map<String, ModelVersion> all = VersionsTopic.readAll(bootstrap, url, parent.topic);
            List<ModelVersion> named = ModelVersions.named(all.values(), version, encoder);
            if (named.isEmpty()) {
                throw new ParameterException(
                        spec.commandLine(),
                        "no version '" + version + "'" + (encoder == null ? "" : " of " + encoder) + " on "
                                + parent.topic
                                + (all.isEmpty() ? "" : " (known: " + String.join(", ", all.keySet()) + ")"));
            }
            if (named.size() > 1) {
                throw new ParameterException(
                        spec.commandLine(),
                        "version " + version + " exists for several encoders ("
                                + String.join(
                                        ", ",
                                        named.stream()
                                                .map(ModelVersion::getEncoderName)
                                                .toList())
                                + "): say which with --encoder");
            }
            ModelVersion target = named.get(0);
            if (target.getStatus() != VersionStatus.PROMOTED) {
                throw new ParameterException(
                        spec.commandLine(),
                        "version " + version + " was rejected by the gate and cannot be served: " + target.getReason());
            }
            Optional<ModelVersion> current = ModelVersions.live(all.values(), target.getEncoderName());
            Instant now = ModelVersions.nextPublishTime(all.values(), Instant.now());
            String from = current.map(ModelVersion::getVersion).orElse("-");
            String who = by != null ? by : ModelVersions.whoAmI();
            VersionsTopic.write(bootstrap, url, parent.topic, ModelVersions.rollback(target, from, who, now));
            PrintWriter out = spec.commandLine().getOut();
            out.println("Rolled back " + target.getEncoderName() + " to " + version + " (was " + from
                    + "); workers swap at their next batch.");
            out.flush();
            return 0;
        }
    }

    /**
     * {@code models publish MODEL}: a trained model file goes live, e.g. a fine-tuned version trained by
     * hand; workers swap to it at their next batch (loading its encoder first if its adapters differ).
     */
    @Command(
            name = "publish",
            mixinStandardHelpOptions = true,
            description = "Publish a trained model (models/<VERSION>/<encoder>.json or a heads file) as the live"
                    + " version of its encoder.")
    static final class Publish implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.ParentCommand
        ModelsCommand parent;

        @Parameters(paramLabel = "MODEL", description = "A version under models/ (e.g. v2) or a heads file.")
        String model;

        @Option(
                names = "--encoder",
                paramLabel = "ID",
                defaultValue = EncoderConfig.MINILM_L6,
                description = "Whose models/<VERSION>/ file MODEL names; default: ${DEFAULT-VALUE}.")
        String encoder;

        @Option(
                names = "--as",
                paramLabel = "NAME",
                description = "Publish under this version name (when the file's is taken on the topic).")
        String as;

        @Option(
                names = "--by",
                paramLabel = "WHO",
                description = "Who published, for the history (default: user@host).")
        String by;

        @Override
        public Integer call() {
            Path file = ModelFiles.resolve(model, encoder);
            if (!Files.isRegularFile(file)) {
                throw new ParameterException(spec.commandLine(), "no model file " + file);
            }
            HeadsModel heads;
            try {
                heads = HeadsFile.read(file);
            } catch (HeadsFileException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            if (as != null) {
                heads = heads.withVersion(as, heads.provenance());
            }
            String url = parent.registry.url();
            String bootstrap = parent.bootstrap.bootstrap;
            Map<String, ModelVersion> all = VersionsTopic.readAll(bootstrap, url, parent.topic);
            String key = ModelVersions.key(heads.encoderId(), heads.version());
            if (all.containsKey(key)) {
                // Versions are immutable: a second record under the name would replace the first's heads.
                throw new ParameterException(
                        spec.commandLine(),
                        "version " + heads.version() + " of " + heads.encoderId() + " is already on " + parent.topic
                                + " (" + all.get(key).getReason() + "): publish it --as another name,"
                                + " or roll back to it");
            }
            Instant now = ModelVersions.nextPublishTime(all.values(), Instant.now());
            String who = by != null ? by : ModelVersions.whoAmI();
            Optional<ModelVersion> current = ModelVersions.live(all.values(), heads.encoderId());
            VersionsTopic.write(
                    bootstrap,
                    url,
                    parent.topic,
                    ModelVersions.toAvro(
                            heads,
                            VersionStatus.PROMOTED,
                            "published from " + file.getFileName() + " by " + who,
                            Map.of("source", file.toString(), ModelVersions.PUBLISHED_BY, who),
                            now));
            PrintWriter out = spec.commandLine().getOut();
            out.println("Published " + heads.version() + " as the live " + heads.encoderId() + " version (was "
                    + current.map(ModelVersion::getVersion).orElse("-") + "); workers swap at their next batch.");
            out.flush();
            return 0;
        }
    }
}
