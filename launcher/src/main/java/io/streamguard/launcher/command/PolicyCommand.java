package io.streamguard.launcher.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamguard.avro.Decision;
import io.streamguard.avro.LabelPolicy;
import io.streamguard.avro.ModerationPolicy;
import io.streamguard.launcher.cli.Messages;
import io.streamguard.launcher.client.AvroJson;
import io.streamguard.launcher.client.LiveModel;
import io.streamguard.launcher.client.PolicyTopic;
import io.streamguard.model.language.LanguageTags;
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
                "e.g. policy set --label hate --review 0.4 --block 0.8 --label spam --block 0.97",
                "--language zh sets the label groups for Chinese events only (over the labels for all languages);"
                        + " --unsupported-language says what happens to events of a language no model reads."
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
                                + " \"languages\": {\"zh\": {\"hate\": {\"block\": 0.6}}}, \"unsupportedLanguage\":"
                                + " \"REVIEW\", \"description\": \"...\"}; replaces the whole policy.")
        Path file;

        @Option(names = "--replace", description = "Start from an empty policy instead of the current one.")
        boolean replace;

        @Option(
                names = "--language",
                paramLabel = "LANG",
                description = "Apply the label groups to events of this language only (e.g. zh), over the labels for"
                        + " all languages.")
        String language;

        @Option(
                names = "--unsupported-language",
                paramLabel = "ALLOW|REVIEW|BLOCK",
                description =
                        "Decision for events of a language no model reads (they carry no scores); default" + " REVIEW.")
        Decision unsupportedLanguage;

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
            if (file == null && rules.isEmpty() && !replace && unsupportedLanguage == null) {
                throw usage("nothing to set: give --label LABEL [--review X] [--block Y], or --file FILE"
                        + " (policy reset returns to the model's thresholds)");
            }
            String lang = null;
            if (language != null) {
                lang = LanguageTags.primary(language);
                if (lang == null || file != null || rules.isEmpty()) {
                    throw usage(
                            lang == null
                                    ? "--language: '" + language + "' is not a language tag (e.g. zh, en)"
                                    : "--language applies to --label groups (a --file names its languages itself)");
                }
            }
            FilePolicy fromFile = file == null ? null : readFile();
            String bootstrap = target.bootstrap.bootstrap;
            List<String> named = new ArrayList<>();
            if (fromFile != null) {
                named.addAll(fromFile.labels.keySet());
                if (fromFile.languages != null) {
                    fromFile.languages.values().forEach(l -> named.addAll(l.keySet()));
                }
            } else {
                rules.forEach(r -> named.add(r.label));
            }
            target.model.requireKnown(target.model.read(bootstrap, registryUrl), named);
            Optional<ModerationPolicy> current = PolicyTopic.read(bootstrap, registryUrl, target.name);

            Map<String, LabelPolicy> labels = new TreeMap<>();
            Map<String, Map<String, LabelPolicy>> languages = new TreeMap<>();
            Decision unsupported = Decision.REVIEW;
            String newDescription = description;
            if (fromFile != null) {
                fromFile.labels.forEach((label, p) -> labels.put(label, p.toAvro()));
                if (fromFile.languages != null) {
                    fromFile.languages.forEach((l, ls) -> {
                        Map<String, LabelPolicy> own = new TreeMap<>();
                        ls.forEach((label, p) -> own.put(label, p.toAvro()));
                        languages.put(l, own);
                    });
                }
                if (fromFile.unsupportedLanguage != null) {
                    unsupported = fileDecision(fromFile.unsupportedLanguage);
                }
                if (newDescription == null) {
                    newDescription = fromFile.description;
                }
            } else {
                if (!replace && current.isPresent()) {
                    current.get().getLabels().forEach((k, v) -> labels.put(k.toString(), v));
                    current.get().getLanguages().forEach((l, ls) -> languages.put(l.toString(), new TreeMap<>(ls)));
                    unsupported = current.get().getUnsupportedLanguage();
                }
                Map<String, LabelPolicy> into =
                        lang == null ? labels : languages.computeIfAbsent(lang, l -> new TreeMap<>());
                for (LabelRule rule : rules) {
                    if (rule.disable && rule.enable) {
                        throw usage("--disable and --enable exclude each other (label " + rule.label + ")");
                    }
                    LabelPolicy before = into.get(rule.label);
                    Double review = rule.review != null ? rule.review : before == null ? null : before.getReview();
                    Double block = rule.block != null ? rule.block : before == null ? null : before.getBlock();
                    boolean enabled = rule.disable ? false : rule.enable || before == null || before.getEnabled();
                    into.put(rule.label, new LabelPolicy(review, block, enabled));
                }
            }
            if (unsupportedLanguage != null) {
                unsupported = unsupportedLanguage;
            }
            String newVersion =
                    version != null ? version : fromFile != null && fromFile.version != null ? fromFile.version : null;
            return publish(
                    spec,
                    target,
                    current,
                    new Overrides(labels, languages, unsupported),
                    newVersion,
                    newDescription,
                    by);
        }

        private Decision fileDecision(String name) {
            try {
                return Decision.valueOf(name.strip().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw usage(file + ": \"unsupportedLanguage\" must be ALLOW, REVIEW or BLOCK, was \"" + name + "\"");
            }
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
     * What a policy overrides: per label, per language and label, and the decision for languages no model reads.
     */
    record Overrides(
            Map<String, LabelPolicy> labels, Map<String, Map<String, LabelPolicy>> languages, Decision unsupported) {

        static final Overrides NONE = new Overrides(Map.of(), Map.of(), Decision.REVIEW);

        boolean isEmpty() {
            return labels.isEmpty() && languages.isEmpty() && unsupported == Decision.REVIEW;
        }
    }

    /**
     * Writes {@code overrides} as the next version of the policy (or {@code version}) and says so on stdout. No
     * overrides is a version like any other that leaves every label to the model's thresholds, so the history
     * (who reset, when, why) stays on the topic and version names are never reused.
     */
    static int publish(
            CommandSpec spec,
            Target target,
            Optional<ModerationPolicy> current,
            Overrides overrides,
            String version,
            String description,
            String by) {
        String newVersion = version != null ? version : PolicyTopic.nextVersion(current);
        Map<String, Map<String, LabelPolicy>> languages = new LinkedHashMap<>();
        overrides.languages().forEach((l, ls) -> languages.put(l, new LinkedHashMap<>(ls)));
        ModerationPolicy policy = ModerationPolicy.newBuilder()
                .setVersion(newVersion)
                .setLabels(new LinkedHashMap<>(overrides.labels()))
                .setLanguages(languages)
                .setUnsupportedLanguage(overrides.unsupported())
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
                + (overrides.isEmpty() ? "no overrides, every label uses the model's thresholds" : summary(policy)));
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
            return publish(spec, target, current, Overrides.NONE, version, description, by);
        }
    }

    /** The JSON form {@code --file} reads. */
    static final class FilePolicy {
        public String version;
        public String description;
        public Map<String, FileLabel> labels;
        /** Per language (e.g. zh), per label: overrides for that language's events. */
        public Map<String, Map<String, FileLabel>> languages;
        /** ALLOW, REVIEW (default) or BLOCK. */
        public String unsupportedLanguage;
    }

    /** One label in the JSON form. */
    static final class FileLabel {
        public Double review;
        public Double block;
        public Boolean enabled;

        LabelPolicy toAvro() {
            return new LabelPolicy(review, block, enabled == null || enabled);
        }
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
            current.ifPresent(p -> {
                new TreeMap<>(p.getLanguages())
                        .forEach((language, ls) -> out.println("Language " + language + ": " + labels(ls)));
                out.println("Languages no model reads: " + p.getUnsupportedLanguage());
            });
            out.flush();
            return 0;
        }
    }

    /** {@code hate review>=0.4 block>=0.8, spam off; zh: hate block>=0.6; unsupported languages: BLOCK}. */
    static String summary(ModerationPolicy policy) {
        List<String> parts = new ArrayList<>();
        String all = labels(policy.getLabels());
        if (!all.isEmpty()) {
            parts.add(all);
        }
        new TreeMap<>(policy.getLanguages()).forEach((language, ls) -> parts.add(language + ": " + labels(ls)));
        if (policy.getUnsupportedLanguage() != Decision.REVIEW) {
            parts.add("unsupported languages: " + policy.getUnsupportedLanguage());
        }
        return String.join("; ", parts);
    }

    private static String labels(Map<String, LabelPolicy> labels) {
        List<String> parts = new ArrayList<>();
        new TreeMap<>(labels).forEach((label, p) -> {
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
