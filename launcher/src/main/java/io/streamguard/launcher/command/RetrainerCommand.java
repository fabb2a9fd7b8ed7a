package io.streamguard.launcher.command;

import io.streamguard.launcher.cli.Checkout;
import io.streamguard.launcher.cli.LauncherException;
import io.streamguard.launcher.cli.Messages;
import io.streamguard.launcher.cli.ModelFiles;
import io.streamguard.launcher.cli.Usage;
import io.streamguard.model.encoder.Device;
import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.heads.HeadsFile;
import io.streamguard.model.heads.HeadsFileException;
import io.streamguard.model.language.Language;
import io.streamguard.model.training.BuiltinDatasets;
import io.streamguard.model.training.FeatureCache;
import io.streamguard.retrainer.Gate;
import io.streamguard.retrainer.RetrainTrigger;
import io.streamguard.retrainer.Retrainer;
import io.streamguard.retrainer.RetrainerSettings;
import io.streamguard.schemas.Topics;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code streamguard retrainer}: the feedback-to-model-version sidecar, until Ctrl-C / SIGTERM. */
@Command(
        name = "retrainer",
        mixinStandardHelpOptions = true,
        description = {
            "Learn from moderator feedback while the pipeline runs: join verdicts (moderation-feedback) with"
                    + " their texts, retrain after N verdicts or T minutes (warm start from the live version,"
                    + " mixed with a sample of the original training data), gate the candidate and publish it"
                    + " to model-versions as PROMOTED (workers swap to it) or REJECTED (with the reason).",
            "One retrainer serves one encoder: it counts only verdicts on events that encoder scored (or, where"
                    + " the event does not say, on texts in its language) and trains on the data of its language"
                    + " (bge-small-zh: offensive on COLD, sentiment on ChnSentiCorp); run one per encoder.",
            "Prints one line 'RETRAINER READY ...' to stdout once it is consuming."
        })
public final class RetrainerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions.Bootstrap bootstrap;

    @Mixin
    ClientOptions.Registry registry;

    @Option(
            names = "--encoder",
            paramLabel = "ID",
            defaultValue = EncoderConfig.MINILM_L6,
            description = "The encoder whose versions to retrain (e.g. bge-small-zh for the Chinese heads);"
                    + " default: ${DEFAULT-VALUE}.")
    String encoder;

    @Option(
            names = "--heads",
            paramLabel = "FILE",
            description = "Version to start from while model-versions has none, trained for --encoder (default:"
                    + " models/v2/minilm-l6.json, models/v1/<encoder>.json for the others).")
    Path heads;

    @Option(
            names = "--device",
            paramLabel = "auto|cpu|gpu",
            defaultValue = "AUTO",
            description = "Where the encoder runs; default: ${DEFAULT-VALUE}.")
    Device device;

    @Option(
            names = "--datasets",
            paramLabel = "DIR",
            description = "Original training data, of the encoder's language (default: $STREAMGUARD_DATASETS or"
                    + " ../shared/datasets).")
    Path datasets;

    @Option(
            names = "--feature-cache",
            paramLabel = "DIR",
            description = "Encoder feature cache shared with train (default: ~/.cache/streamguard/features).")
    Path featureCache;

    @Option(
            names = "--trigger-verdicts",
            paramLabel = "N",
            defaultValue = "100",
            description = "Retrain after N new verdicts; default: ${DEFAULT-VALUE}.")
    int triggerVerdicts;

    @Option(
            names = "--trigger-minutes",
            paramLabel = "T",
            defaultValue = "30",
            description = "... or T minutes after the last retrain if any verdict is new; default: ${DEFAULT-VALUE}.")
    double triggerMinutes;

    @Option(
            names = "--text-retention-hours",
            paramLabel = "H",
            defaultValue = "24",
            description = "How long labeled texts are kept for verdicts without text; default: ${DEFAULT-VALUE}.")
    double retentionHours;

    @Option(
            names = "--holdout-percent",
            paramLabel = "P",
            defaultValue = "20",
            description = "Feedback held back for the gate (near-copies go together); default: ${DEFAULT-VALUE}.")
    int holdoutPercent;

    @Option(
            names = "--near-duplicate-jaccard",
            paramLabel = "J",
            defaultValue = "" + RetrainerSettings.NEAR_DUPLICATES,
            description = "Feedback texts whose word sets overlap this much (Jaccard) are near-copies: one piece of"
                    + " evidence, never split between training and hold-out; default: ${DEFAULT-VALUE}.")
    double nearDuplicates;

    @Option(
            names = "--feedback-weight",
            paramLabel = "W",
            defaultValue = "10",
            description = "Each verdict counts W original rows; default: ${DEFAULT-VALUE}.")
    int feedbackWeight;

    @Option(
            names = "--sample-per-task",
            paramLabel = "N",
            defaultValue = "2000",
            description = "Original training rows mixed in per retrained task; default: ${DEFAULT-VALUE}.")
    int samplePerTask;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "5", description = "Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(
            names = "--learning-rate",
            paramLabel = "RATE",
            defaultValue = "0.001",
            description = "Default: ${DEFAULT-VALUE}.")
    float learningRate;

    @Option(
            names = "--tolerance",
            paramLabel = "DROP",
            defaultValue = "" + Gate.TOLERANCE,
            description = "Largest allowed drop of any task's validation metric; default: ${DEFAULT-VALUE}.")
    double tolerance;

    @Option(
            names = "--min-feedback-gain",
            paramLabel = "GAIN",
            defaultValue = "" + Gate.MIN_FEEDBACK_GAIN,
            description = "Held-back feedback accuracy must rise by more than this; default: ${DEFAULT-VALUE}.")
    double minFeedbackGain;

    @Option(
            names = "--min-held-back",
            paramLabel = "N",
            defaultValue = "" + Gate.MIN_HELD_BACK,
            description = "Fewest independent held-back verdicts (near-copies count once) the gate judges on;"
                    + " default: ${DEFAULT-VALUE}.")
    int minHeldBack;

    @Option(
            names = "--significance",
            paramLabel = "ALPHA",
            defaultValue = "" + Gate.SIGNIFICANCE,
            description = "Promote only if McNemar's exact one-sided test on the held-back verdicts the candidate and"
                    + " the live version disagree on gives p <= ALPHA; default: ${DEFAULT-VALUE}.")
    double significance;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(
            names = "--feedback-topic",
            paramLabel = "TOPIC",
            defaultValue = Topics.MODERATION_FEEDBACK,
            description = "Default: ${DEFAULT-VALUE}.")
    String feedbackTopic;

    @Option(
            names = "--labeled-topic",
            paramLabel = "TOPIC",
            defaultValue = Topics.TEXT_LABELED,
            description = "Default: ${DEFAULT-VALUE}.")
    String labeledTopic;

    @Option(
            names = "--versions-topic",
            paramLabel = "TOPIC",
            defaultValue = Topics.MODEL_VERSIONS,
            description = "Default: ${DEFAULT-VALUE}.")
    String versionsTopic;

    @Override
    public Integer call() throws InterruptedException {
        Retrainer.Config config = config();
        Retrainer retrainer;
        try {
            retrainer = Retrainer.start(config);
        } catch (IllegalStateException e) {
            throw new LauncherException(Messages.oneLine(e.getMessage()), e);
        }
        Thread hook = new Thread(retrainer::close, "streamguard-retrainer-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        PrintWriter out = spec.commandLine().getOut();
        out.println(readyLine(retrainer, config));
        out.flush();
        retrainer.awaitTermination();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownInProgress) {
            return 0;
        }
        retrainer.close();
        throw new LauncherException("the retrainer stopped; see the log above");
    }

    /** {@code RETRAINER READY live=<version> encoder=<id> feedback=<topic> versions=<topic> trigger=...}. */
    static String readyLine(Retrainer retrainer, Retrainer.Config config) {
        RetrainerSettings s = config.settings();
        return "RETRAINER READY live=" + retrainer.live().version() + " encoder="
                + config.encoder().encoderId()
                + " feedback=" + s.feedbackTopic() + " versions=" + s.versionsTopic() + " trigger="
                + s.trigger().verdicts() + " verdicts or "
                + s.trigger().interval().toSeconds() + " s";
    }

    Retrainer.Config config() {
        Usage.knownEncoder(spec, "--encoder", encoder);
        Path base = heads != null ? heads : ModelFiles.defaultHeads(encoder);
        if (!Files.isRegularFile(base)) {
            throw usage("heads file not found: " + base + " (--heads FILE)");
        }
        String headsEncoder;
        try {
            headsEncoder = HeadsFile.read(base).encoderId();
        } catch (HeadsFileException e) {
            throw usage("cannot read heads file " + base + ": " + Messages.oneLine(e.getMessage()));
        }
        if (!headsEncoder.equals(encoder)) {
            throw usage("heads file " + base + " is for " + headsEncoder + ", not " + encoder
                    + " (--heads FILE trained for --encoder)");
        }
        Language language = Language.ofEncoder(encoder);
        BuiltinDatasets data = new BuiltinDatasets(Checkout.datasetsDir(datasets));
        if (!data.available(language)) {
            throw usage((language == Language.ENGLISH ? "" : language.displayName() + " ")
                    + "training data not found under " + data.dir() + " (--datasets DIR)");
        }
        if (!(triggerMinutes > 0) || !(retentionHours > 0)) {
            throw usage("--trigger-minutes and --text-retention-hours must be positive");
        }
        RetrainerSettings settings;
        try {
            settings = RetrainerSettings.defaults()
                    .withTopics(feedbackTopic, labeledTopic, versionsTopic)
                    .withTrigger(
                            new RetrainTrigger(triggerVerdicts, Duration.ofMillis(Math.round(triggerMinutes * 60_000))))
                    .withTextRetention(Duration.ofMillis(Math.round(retentionHours * 3_600_000)))
                    .withTraining(holdoutPercent, feedbackWeight, samplePerTask, epochs, learningRate, seed)
                    .withNearDuplicates(nearDuplicates)
                    .withGate(new Gate(tolerance, minFeedbackGain, minHeldBack, significance));
        } catch (IllegalArgumentException e) {
            throw usage(Messages.oneLine(e.getMessage()));
        }
        Map<String, String> client = new TreeMap<>(bootstrap.security().properties());
        client.put("bootstrap.servers", bootstrap.bootstrap);
        client.put("schema.registry.url", registry.url());
        return new Retrainer.Config(
                client,
                EncoderConfig.of(encoder).withDevice(device),
                base,
                data,
                new FeatureCache(featureCache != null ? featureCache : FeatureCache.defaultDir()),
                settings);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
