package io.streamguard.launcher.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamguard.avro.LabelPolicy;
import io.streamguard.avro.ModerationPolicy;
import io.streamguard.launcher.cli.Messages;
import io.streamguard.launcher.client.AvroJson;
import io.streamguard.launcher.client.LiveModel;
import io.streamguard.launcher.client.PolicyTopic;
import io.streamguard.topology.InvalidPolicyException;
import io.streamguard.topology.PipelineSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code streamguard policy set|show}: the live moderation policy on {@code moderation-policy}. */
@Command(
        name = "policy",
        mixinStandardHelpOptions = true,
        description = {
            "Show or change the moderation policy every worker applies (hot: no restart).",
            "Per label: score >= block blocks, else score >= review sends to review; labels the policy does"
                    + " not name use the model's own thresholds.",
            "Label names must be moderation labels of the live model (--encoder): a typo is refused, not made live."
        },
        subcommands = {PolicyCommand.Set.class, PolicyCommand.Reset.class, PolicyCommand.Show.class})
public final class PolicyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing subcommand (set, reset or show; see --help)");
    }

    /** Where the policy lives and which one. */
    static final class Target {
        @Mixin
        ClientOptions.Bootstrap bootstrap;

        @Mixin
        ClientOptions.Registry registry;

        @Mixin
        ModelOptions model;

        @Option(
                names = "--name",
                paramLabel = "NAME",
                defaultValue = PipelineSettings.DEFAULT_POLICY_KEY,
                description = "Policy name (the record key workers look up); default: ${DEFAULT-VALUE}.")
        String name;
    }

    /** One {@code --label L [--review X] [--block Y] [--disable|--enable]} group. */
    static final class LabelRule {
        @Option(
                names = "--label",
                required = true,
                paramLabel = "LABEL",
                description = "Label to set (repeatable group).")
        String label;

        @Option(names = "--review", paramLabel = "SCORE", description = "Review at or above this score (0..1).")
        Double review;

        @Option(names = "--block", paramLabel = "SCORE", description = "Block at or above this score (0..1).")
        Double block;

        @Option(names = "--disable", description = "The label never triggers a decision.")
        boolean disable;

        @Option(names = "--enable", description = "Re-enable a disabled label.")
        boolean enable;
    }

    @Command(
            name = "set",
            description = {
                "Write a new version of the policy. Label groups change only the labels they name (other labels"
                        + " and unnamed thresholds keep their current values); --file or --replace start from"
                        + " an empty policy (--replace alone, like policy reset, leaves every label to the model).",
                "e.g. policy set --label hate --review 0.4 --block 0.8 --label spam --block 0.97"
            })
    static final class Set implements Callable<Integer> {
        // Not mixinStandardHelpOptions: its --version would clash with this command's own --version, and
        // picocli then drops the mixin's --help as well.
        @Option(
                names = {"-h", "--help"},
                usageHelp = true,
                description = "Show this help message and exit.")
        boolean help;

        @Mixin
        Target target;

        @Spec
        CommandSpec spec;

        @ArgGroup(exclusive = false, multiplicity = "0..*")
        List<LabelRule> rules = new ArrayList<>();

        @Option(
                names = "--file",
                paramLabel = "FILE",
                description =
                        "JSON policy: {\"labels\": {\"hate\": {\"review\": 0.4, \"block\": 0.8, \"enabled\": true}},"
                                + " \"description\": \"...\"}; replaces the whole policy.")
        Path file;

        @Option(names = "--replace", description = "Start from an empty policy instead of the current one.")
        boolean replace;

        @Option(names = "--version", paramLabel = "VERSION", description = "Version to record (default: the next vN).")
        String version;

        @Option(names = "--description", paramLabel = "TEXT", description = "Why this change.")
        String description;

        @Option(names = "--by", paramLabel = "WHO", description = "Who changed it (default: the user name).")
        String by;

        @Override
        public Integer call() {
            String registryUrl = target.registry.url();
            if (file != null && !rules.isEmpty()) {
                throw usage("--file and --label exclude each other");
            }
            if (file == null && rules.isEmpty() && !replace) {
                throw usage("nothing to set: give --label LABEL [--review X] [--block Y], or --file FILE"
                        + " (policy reset returns to the model's thresholds)");
            }
            FilePolicy fromFile = file == null ? null : readFile();
            String bootstrap = target.bootstrap.bootstrap;
            List<String> named = fromFile != null
                    ? List.copyOf(fromFile.labels.keySet())
                    : rules.stream().map(r -> r.label).toList();
            target.model.requireKnown(target.model.read(bootstrap, registryUrl), named);
            Optional<ModerationPolicy> current = PolicyTopic.read(bootstrap, registryUrl, target.name);

            Map<String, LabelPolicy> labels = new TreeMap<>();
            String newDescription = description;
            if (fromFile != null) {
                fromFile.labels.forEach((label, p) ->
                        labels.put(label, new LabelPolicy(p.review, p.block, p.enabled == null || p.enabled)));
                if (newDescription == null) {
                    newDescription = fromFile.description;
                }
            } else {
                if (!replace) {
                    current.ifPresent(c -> c.getLabels().forEach((k, v) -> labels.put(k.toString(), v)));
                }
                for (LabelRule rule : rules) {
                    if (rule.disable && rule.enable) {
                        throw usage("--disable and --enable exclude each other (label " + rule.label + ")");
                    }
                    LabelPolicy before = labels.get(rule.label);
                    Double review = rule.review != null ? rule.review : before == null ? null : before.getReview();
                    Double block = rule.block != null ? rule.block : before == null ? null : before.getBlock();
                    boolean enabled = rule.disable ? false : rule.enable || before == null || before.getEnabled();
                    labels.put(rule.label, new LabelPolicy(review, block, enabled));
                }
            }
            String newVersion =
                    version != null ? version : fromFile != null && fromFile.version != null ? fromFile.version : null;
            return publish(spec, target, current, labels, newVersion, newDescription, by);
        }

        private FilePolicy readFile() {
            if (!Files.isRegularFile(file)) {
                throw usage("file not found: " + file);
            }
            try {
                FilePolicy parsed = new ObjectMapper()
                        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                        .readValue(Files.readString(file), FilePolicy.class);
                if (parsed.labels == null) {
                    throw usage(file + ": no \"labels\" ({} leaves every label to the model)");
                }
                return parsed;
            } catch (JsonProcessingException e) {
                throw usage(file + ": " + Messages.oneLine(e.getOriginalMessage()));
            } catch (IOException e) {
                throw usage("cannot read " + file + ": " + e.getMessage());
            }
        }

        private ParameterException usage(String message) {
            return new ParameterException(spec.commandLine(), message);
        }
    }

    /**
     * Writes {@code labels} as the next version of the policy (or {@code version}) and says so on stdout. An empty
     * {@code labels} is a version like any other that leaves every label to the model's thresholds, so the history
     * (who reset, when, why) stays on the topic and version names are never reused.
     */
    static int publish(
            CommandSpec spec,
            Target target,
            Optional<ModerationPolicy> current,
            Map<String, LabelPolicy> labels,
            String version,
            String description,
            String by) {
        String newVersion = version != null ? version : PolicyTopic.nextVersion(current);
        ModerationPolicy policy = ModerationPolicy.newBuilder()
                .setVersion(newVersion)
                .setLabels(new LinkedHashMap<>(labels))
                .setUpdatedAt(Instant.now())
                .setUpdatedBy(by != null ? by : System.getProperty("user.name", "unknown"))
                .setDescription(description)
                .build();
        try {
            PolicyTopic.write(target.bootstrap.bootstrap, target.registry.url(), target.name, policy);
        } catch (InvalidPolicyException e) {
            throw new ParameterException(spec.commandLine(), "invalid policy: " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("Policy '"
                + target.name
                + "' "
                + newVersion
                + " set"
                + current.map(c -> " (was " + c.getVersion() + ")").orElse("")
                + ": "
                + (labels.isEmpty() ? "no overrides, every label uses the model's thresholds" : summary(policy)));
        out.flush();
        return 0;
    }

    @Command(
            name = "reset",
            description = {
                "Return to the model's own thresholds: writes a new version of the policy without label overrides"
                        + " (same as policy set --replace with no --label).",
                "Labeled events record that version; policy show lists the thresholds then in force."
            })
    static final class Reset implements Callable<Integer> {
        @Option(
                names = {"-h", "--help"},
                usageHelp = true,
                description = "Show this help message and exit.")
        boolean help;

        @Mixin
        Target target;

        @Spec
        CommandSpec spec;

        @Option(names = "--version", paramLabel = "VERSION", description = "Version to record (default: the next vN).")
        String version;

        @Option(names = "--description", paramLabel = "TEXT", description = "Why this change.")
        String description;

        @Option(names = "--by", paramLabel = "WHO", description = "Who changed it (default: the user name).")
        String by;

        @Override
        public Integer call() {
            Optional<ModerationPolicy> current =
                    PolicyTopic.read(target.bootstrap.bootstrap, target.registry.url(), target.name);
            return publish(spec, target, current, Map.of(), version, description, by);
        }
    }

    /** The JSON form {@code --file} reads. */
    static final class FilePolicy {
        public String version;
        public String description;
        public Map<String, FileLabel> labels;
    }

    /** One label in the JSON form. */
    static final class FileLabel {
        public Double review;
        public Double block;
        public Boolean enabled;
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = {
                "Print the thresholds in force per label and where each comes from: the policy's override, or the"
                        + " live model's own thresholds (--encoder).",
                "--json prints the stored policy record instead."
            })
    static final class Show implements Callable<Integer> {
        @Mixin
        Target target;

        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print the policy record as JSON (as stored on moderation-policy).")
        boolean json;

        @Override
        public Integer call() throws JsonProcessingException {
            String registryUrl = target.registry.url();
            String bootstrap = target.bootstrap.bootstrap;
            Optional<ModerationPolicy> current = PolicyTopic.read(bootstrap, registryUrl, target.name);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                if (current.isEmpty()) {
                    out.println("null");
                } else {
                    out.println(new ObjectMapper()
                            .writerWithDefaultPrettyPrinter()
                            .writeValueAsString(AvroJson.toJson(current.get())));
                }
                out.flush();
                return 0;
            }
            Optional<LiveModel> model = target.model.read(bootstrap, registryUrl);
            out.println(current.map(p -> "Policy '" + target.name + "' " + p.getVersion() + " (" + p.getUpdatedAt()
                            + " by " + p.getUpdatedBy()
                            + (p.getDescription() == null ? "" : ": " + p.getDescription()) + ")")
                    .orElse("No policy '" + target.name
                            + "' on moderation-policy: the model's own thresholds decide."));
            model.ifPresent(m -> out.println("Model " + m.version() + " (" + m.source() + ")"));
            out.print(ThresholdsInForce.table(current, model));
            out.flush();
            return 0;
        }
    }

    /** {@code hate review>=0.4 block>=0.8, spam off}. */
    static String summary(ModerationPolicy policy) {
        List<String> parts = new ArrayList<>();
        new TreeMap<>(policy.getLabels()).forEach((label, p) -> {
            if (!p.getEnabled()) {
                parts.add(label + " off");
            } else {
                parts.add(label
                        + (p.getReview() == null ? "" : " review>=" + p.getReview())
                        + (p.getBlock() == null ? "" : " block>=" + p.getBlock()));
            }
        });
        return String.join(", ", parts);
    }
}
