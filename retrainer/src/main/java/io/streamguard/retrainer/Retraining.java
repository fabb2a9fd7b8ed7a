package io.streamguard.retrainer;

import io.streamguard.avro.ModelVersion;
import io.streamguard.avro.VersionStatus;
import io.streamguard.model.heads.HeadsFile;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.training.ClassificationReport;
import io.streamguard.model.training.Task;
import io.streamguard.versions.ModelVersions;
import io.streamguard.versions.ModelVersionsTopic;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One retrain, start to finish: read the version history, train a candidate from the live version
 * ({@link CandidateTrainer}), judge it against that version on the validation splits and the independent
 * held-back feedback ({@link Holdout}, {@link Evaluation}, {@link Gate}), and publish it to
 * {@code model-versions} as PROMOTED or REJECTED with its {@link Lineage}. Also publishes the base version when
 * the topic has none for the encoder. Runs on the retrainer's loop thread only.
 */
final class Retraining {

    private static final Logger LOG = LoggerFactory.getLogger(Retraining.class);
    /** Who publishes, in the version's history: this process. */
    private static final String RETRAINER = "retrainer " + ModelVersions.whoAmI();

    private final RetrainerSettings settings;
    private final String encoderId;
    private final Path baseHeads;
    private final Function<List<Task>, BaseData> baseSource;
    private BaseData base;
    private final FeedbackFeatures features;
    private final ModelVersionsTopic versions;
    private final Clock clock;
    private volatile HeadsModel live;
    /** Live versions already reported as needing another encoder, so the warning is logged once each. */
    private final Set<String> warnedStale = new HashSet<>();

    Retraining(
            RetrainerSettings settings,
            String encoderId,
            Path baseHeads,
            Function<List<Task>, BaseData> base,
            FeedbackFeatures features,
            ModelVersionsTopic versions,
            Clock clock) {
        this.settings = settings;
        this.encoderId = encoderId;
        this.baseHeads = baseHeads;
        this.baseSource = base;
        this.features = features;
        this.versions = versions;
        this.clock = clock;
    }

    /**
     * Finds the live version (publishing {@code baseHeads} as the first one if the topic has none for the
     * encoder, so {@code models} shows it and a rollback can return to it; version names are per encoder) and
     * tells {@code log} which verdicts the latest version was already trained on.
     */
    HeadsModel prepare(FeedbackLog log) {
        Map<String, ModelVersion> all = versions.readAll();
        live = liveHeads(all);
        if (ModelVersions.live(all.values(), encoderId).isEmpty()) {
            publish(ModelVersions.toAvro(
                    live,
                    VersionStatus.PROMOTED,
                    "base version from " + baseHeads.getFileName(),
                    Map.of("source", baseHeads.toString(), ModelVersions.PUBLISHED_BY, RETRAINER),
                    publishTime(all)));
            LOG.info("Published base version {} from {}", live.version(), baseHeads);
        }
        // Verdicts an earlier run already trained on do not trigger again.
        ModelVersions.byPublication(all.values()).stream()
                .filter(v ->
                        v.getLineage().containsKey(Lineage.FEEDBACK_OFFSETS) && encoderId.equals(v.getEncoderName()))
                .reduce((a, b) -> b)
                .ifPresent(v -> log.usedUpTo(Lineage.parseOffsets(v.getLineage().get(Lineage.FEEDBACK_OFFSETS))));
        return live;
    }

    /**
     * Trains, judges and publishes one candidate from every verdict in {@code log}, and marks them used.
     *
     * @param trigger why now, for the version's history ({@link RetrainTrigger#why})
     */
    Retrainer.Outcome retrain(FeedbackLog log, String trigger) {
        long started = System.nanoTime();
        Map<String, ModelVersion> all = versions.readAll();
        HeadsModel parent = liveHeads(all); // follows rollbacks made meanwhile
        live = parent;
        if (!features.serves(parent)) {
            // Its heads read another fine-tuned encoder: a candidate fitted on this one's features would
            // not score as judged. The verdicts stay for a retrainer started on the live version.
            Retrainer.Outcome outcome = new Retrainer.Outcome(
                    null,
                    parent.version(),
                    false,
                    "the live version " + parent.version() + " was fine-tuned with other adapters than this"
                            + " retrainer's encoder merged: restart the retrainer to follow it",
                    0,
                    0,
                    Duration.ofNanos(System.nanoTime() - started));
            if (warnedStale.add(parent.version() + "@" + parent.adaptersFingerprint())) {
                LOG.warn("Retrain skipped: {}", outcome.reason());
            }
            return outcome;
        }
        Holdout.Split split =
                Holdout.split(log.examples(), settings.holdoutPercent(), new NearDuplicates(settings.nearDuplicates()));
        List<FeedbackExample> train = split.train();
        List<FeedbackExample> heldOut = split.heldOut();
        Map<Integer, Long> offsets = log.consumedOffsets();
        log.markRetrained();
        String version = CandidateTrainer.nextVersion(ModelVersions.namesOf(all.values(), encoderId));
        BaseData base = base();
        Map<String, String> lineage = Lineage.of(parent, offsets, train, heldOut, base, settings);
        CandidateTrainer.Candidate candidate =
                new CandidateTrainer(settings).train(parent, version, base, train, features.of(parent, train), lineage);
        if (candidate.retrained().isEmpty()) {
            Retrainer.Outcome outcome = new Retrainer.Outcome(
                    null,
                    parent.version(),
                    false,
                    train.isEmpty()
                            ? "nothing to learn: all " + heldOut.size() + " verdicts are held back"
                            : "nothing to learn: the " + train.size() + " training verdicts name no label of "
                                    + parent.version(),
                    train.size(),
                    heldOut.size(),
                    Duration.ofNanos(System.nanoTime() - started));
            LOG.info("Retrain skipped: {}", outcome.reason());
            return outcome;
        }
        List<float[]> evidenceFeatures = features.of(parent, split.evidence());
        Map<Task, ClassificationReport> parentReports = Evaluation.validation(parent, base);
        Map<Task, ClassificationReport> candidateReports = Evaluation.validation(candidate.model(), base);
        Evaluation.Paired heldBack = Evaluation.paired(parent, candidate.model(), split.evidence(), evidenceFeatures);
        Gate.Decision decision = settings.gate()
                .decide(
                        Evaluation.primary(parentReports),
                        Evaluation.primary(candidateReports),
                        heldBack,
                        split.nearCopies());
        HeadsModel model = candidate.model().withMetrics(metrics(candidateReports, heldBack));
        lineage.put(
                "retrained",
                String.join(",", candidate.retrained().stream().map(Task::id).toList()));
        lineage.put(ModelVersions.PUBLISHED_BY, RETRAINER);
        lineage.put(ModelVersions.TRIGGER, trigger);
        publish(ModelVersions.toAvro(
                model,
                decision.promote() ? VersionStatus.PROMOTED : VersionStatus.REJECTED,
                decision.reason(),
                lineage,
                publishTime(all)));
        if (decision.promote()) {
            live = model;
            LOG.info("Model {} PROMOTED (parent {}): {}", version, parent.version(), decision.reason());
        } else {
            LOG.warn("Model {} REJECTED (parent {} stays): {}", version, parent.version(), decision.reason());
        }
        return new Retrainer.Outcome(
                version,
                parent.version(),
                decision.promote(),
                decision.reason(),
                train.size(),
                heldBack.verdicts(),
                Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * The original data of the tasks the live version has heads for, in its encoder's language
     * ({@link BaseData#tasksFor}), obtained on the first call: reading its cached features takes a second,
     * encoding them without a cache minutes, which the retrainer's start does not wait for.
     */
    BaseData base() {
        if (base == null) {
            base = baseSource.apply(BaseData.tasksFor(live));
        }
        return base;
    }

    /** The version new candidates start from. */
    HeadsModel live() {
        return live;
    }

    private static Map<String, Map<String, Double>> metrics(
            Map<Task, ClassificationReport> reports, Evaluation.Paired heldBack) {
        Map<String, Map<String, Double>> out = new TreeMap<>();
        reports.forEach((task, report) -> out.put(task.id(), report.asMap()));
        out.put(
                "feedback",
                Map.of(
                        "accuracy",
                        heldBack.candidateAccuracy(),
                        "verdicts",
                        (double) heldBack.verdicts(),
                        "pValue",
                        McNemar.oneSidedP(heldBack.candidateOnly(), heldBack.parentOnly())));
        return out;
    }

    private HeadsModel liveHeads(Map<String, ModelVersion> all) {
        Optional<ModelVersion> v = ModelVersions.live(all.values(), encoderId);
        if (v.isPresent()) {
            return ModelVersions.heads(v.get());
        }
        return HeadsFile.read(baseHeads);
    }

    /** Later than every record so far, so the new record is the newest even if clocks disagree a little. */
    private Instant publishTime(Map<String, ModelVersion> all) {
        return ModelVersions.nextPublishTime(all.values(), clock.instant());
    }

    private void publish(ModelVersion record) {
        try {
            versions.publish(record);
        } catch (KafkaException e) {
            throw new RetrainerException(
                    "cannot publish model version " + record.getVersion() + " to " + versions.name() + ": " + e, e);
        }
    }
}
