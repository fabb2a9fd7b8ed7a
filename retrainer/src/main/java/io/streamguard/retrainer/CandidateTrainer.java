package io.streamguard.retrainer;

import io.streamguard.model.heads.Head;
import io.streamguard.model.heads.HeadKind;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.heads.Provenance;
import io.streamguard.model.heads.Thresholds;
import io.streamguard.model.training.HeadSpec;
import io.streamguard.model.training.HeadTrainer;
import io.streamguard.model.training.LabelledFeatures;
import io.streamguard.model.training.Task;
import io.streamguard.model.training.ThresholdSelector;
import io.streamguard.model.training.TrainingOptions;
import io.streamguard.model.training.TrainingResult;
import io.streamguard.model.training.ValidationMetric;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a candidate version from the live one: every moderation head that received verdicts is
 * warm-started from the live head ({@link TrainingOptions#withWarmStart}) and trained on the original
 * sample plus the feedback (each verdict repeated {@code feedbackWeight} times); the best epoch on
 * validation plus feedback is kept and its thresholds re-chosen on the validation split as
 * {@code train} chooses them. Heads without verdicts, or without original data of the encoder's language to
 * train and judge them with ({@link BaseData#tasks}), are carried over unchanged. Deterministic: same
 * inputs and seed, same weights.
 */
public final class CandidateTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(CandidateTrainer.class);

    private final RetrainerSettings settings;

    public CandidateTrainer(RetrainerSettings settings) {
        this.settings = settings;
    }

    /** The candidate and the tasks it retrained (empty: the feedback named no label this model can learn). */
    public record Candidate(HeadsModel model, List<Task> retrained) {}

    /**
     * @param features one feature vector ({@code parent.feature()}) per training example
     */
    public Candidate train(
            HeadsModel parent,
            String version,
            BaseData base,
            List<FeedbackExample> examples,
            List<float[]> features,
            Map<String, String> notes) {
        List<Head> heads = new ArrayList<>(parent.heads());
        Map<String, Thresholds> thresholds = new TreeMap<>(parent.thresholds());
        List<Task> retrained = new ArrayList<>();
        for (Task task : Task.values()) {
            if (task.headKind() != HeadKind.SIGMOID) {
                continue; // verdicts are on moderation labels
            }
            List<Integer> rows = new ArrayList<>();
            for (int i = 0; i < examples.size(); i++) {
                if (examples.get(i).verdicts().containsKey(task.id())) {
                    rows.add(i);
                }
            }
            if (rows.isEmpty()) {
                continue;
            }
            if (!Evaluation.covers(parent, task)) {
                LOG.warn(
                        "Verdicts on {} ignored: model {} has no {} head of its own to warm-start",
                        task.id(),
                        parent.version(),
                        task.headName());
                continue;
            }
            if (base.task(task) == null) {
                LOG.warn(
                        "Verdicts on {} ignored: no {} data for it to train and judge {} with",
                        task.id(),
                        base.language().displayName(),
                        task.headName());
                continue;
            }
            Head warm = parent.head(task.headName());
            long start = System.nanoTime();
            TrainingResult result = trainHead(task, warm, parent, base.task(task), examples, features, rows);
            BaseData.Split validation = base.task(task).validation();
            float[] p = new float[validation.labels().length];
            float[] x = validation.matrix(parent.feature());
            int width = warm.inputWidth();
            for (int i = 0; i < p.length; i++) {
                p[i] = result.head().probabilities(Arrays.copyOfRange(x, i * width, (i + 1) * width))[0];
            }
            thresholds.put(
                    task.id(),
                    ThresholdSelector.defaults().choose(p, validation.labels()).thresholds());
            heads.set(heads.indexOf(warm), result.head());
            retrained.add(task);
            LOG.info(
                    "Retrained {} on {} verdicts: best epoch {} of {}, {} ms",
                    task.id(),
                    rows.size(),
                    result.bestEpoch(),
                    result.history().size(),
                    (System.nanoTime() - start) / 1_000_000);
        }
        Map<String, String> allNotes = new TreeMap<>(notes);
        allNotes.put(
                "retrained", String.join(",", retrained.stream().map(Task::id).toList()));
        Provenance provenance = new Provenance(
                Instant.now().toString(),
                parent.version(),
                settings.seed(),
                parent.provenance().trainingData(),
                allNotes);
        HeadsModel model = new HeadsModel(
                version,
                parent.encoderId(),
                parent.vocabHash(),
                parent.maxLength(),
                parent.feature(),
                heads,
                thresholds,
                parent.metrics(),
                provenance,
                // The heads were refit on features of the encoder as it serves, the parent's adapters merged:
                // the candidate needs those same adapters to score as it was judged.
                parent.adapters());
        return new Candidate(model, retrained);
    }

    private TrainingResult trainHead(
            Task task,
            Head warm,
            HeadsModel parent,
            BaseData.TaskData base,
            List<FeedbackExample> examples,
            List<float[]> features,
            List<Integer> rows) {
        int width = warm.inputWidth();
        float[] sampleX = base.sample().matrix(parent.feature());
        int[] sampleY = base.sample().labels();
        int weight = settings.feedbackWeight();
        int n = sampleY.length + rows.size() * weight;
        float[] x = Arrays.copyOf(sampleX, n * width);
        int[] y = Arrays.copyOf(sampleY, n);
        int at = sampleY.length;
        for (int r = 0; r < weight; r++) {
            for (int i : rows) {
                System.arraycopy(features.get(i), 0, x, at * width, width);
                y[at++] = examples.get(i).verdicts().get(task.id()) ? 1 : 0;
            }
        }
        // Early stopping looks at the old validation split and the new verdicts together.
        float[] validationX = base.validation().matrix(parent.feature());
        int[] validationY = base.validation().labels();
        int m = validationY.length + rows.size();
        float[] vx = Arrays.copyOf(validationX, m * width);
        int[] vy = Arrays.copyOf(validationY, m);
        int v = validationY.length;
        for (int i : rows) {
            System.arraycopy(features.get(i), 0, vx, v * width, width);
            vy[v++] = examples.get(i).verdicts().get(task.id()) ? 1 : 0;
        }
        TrainingOptions options = TrainingOptions.defaults().withWarmStart(warm);
        options = options.withDropout(0.1f, options.hiddenUnits() > 0 ? 0.3f : 0f)
                .withLearningRate(settings.learningRate())
                .withEpochs(settings.epochs(), settings.epochs())
                .withSeed(settings.seed());
        HeadSpec spec = HeadSpec.binary(task.headName(), task.id());
        return new HeadTrainer(options)
                .train(
                        spec,
                        new LabelledFeatures(x, y, width),
                        new LabelledFeatures(vx, vy, width),
                        ValidationMetric.defaultFor(spec),
                        stats -> {});
    }

    /** Version names {@code v<n>}: the next after the highest number among {@code existing}. */
    public static String nextVersion(Iterable<String> existing) {
        long max = 0;
        for (String name : existing) {
            Matcher m = Pattern.compile("v(\\d+)").matcher(name);
            if (m.matches()) {
                max = Math.max(max, Long.parseLong(m.group(1)));
            }
        }
        return "v" + (max + 1);
    }
}
