package io.streamguard.retrainer;

import io.streamguard.model.heads.Classification;
import io.streamguard.model.heads.HeadKind;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.heads.Scores;
import io.streamguard.model.training.ClassificationReport;
import io.streamguard.model.training.Metrics;
import io.streamguard.model.training.Task;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a model version does on the data the gate judges by: each task's primary metric on its
 * validation split ({@link Task#primaryMetric()}: accuracy, macro-F1, spam F1 at the model's own review
 * threshold), and accuracy on held-back feedback, alone or paired with another version's.
 */
public final class Evaluation {

    private Evaluation() {}

    /** Every task of {@code data} (the encoder's language) the model has a head for: its validation report. */
    public static Map<Task, ClassificationReport> validation(HeadsModel model, BaseData data) {
        Map<Task, ClassificationReport> out = new LinkedHashMap<>();
        for (Task task : data.tasks()) {
            if (!covers(model, task)) {
                continue;
            }
            BaseData.Split split = data.task(task).validation();
            float[] x = split.matrix(model.feature());
            int width = x.length / Math.max(1, split.labels().length);
            int n = split.labels().length;
            if (task.headKind() == HeadKind.SOFTMAX) {
                double[][] rows = new double[n][];
                for (int i = 0; i < n; i++) {
                    Classification c = score(model, x, width, i).classes().get(task.headName());
                    rows[i] = task.classNames().stream()
                            .mapToDouble(name -> c.probabilities().get(name))
                            .toArray();
                }
                out.put(task, Metrics.multiclass(task.classNames(), split.labels(), rows));
            } else {
                double[] p = new double[n];
                for (int i = 0; i < n; i++) {
                    p[i] = score(model, x, width, i).labels().get(task.id());
                }
                out.put(
                        task,
                        Metrics.binary(
                                task.classNames(),
                                split.labels(),
                                p,
                                model.thresholds().get(task.id()).review()));
            }
        }
        return out;
    }

    /** The primary metric per task id. */
    public static Map<String, Double> primary(Map<Task, ClassificationReport> reports) {
        Map<String, Double> out = new LinkedHashMap<>();
        reports.forEach((task, report) -> out.put(task.id(), report.primary(task)));
        return out;
    }

    /** Accuracy and the number of verdicts it is over. */
    public record FeedbackScore(double accuracy, int verdicts) {}

    /**
     * Share of (example, label) verdicts the model gets right at its review threshold, over the
     * labels it scores.
     *
     * @param features one feature vector ({@link HeadsModel#feature()}) per example
     */
    public static FeedbackScore feedback(HeadsModel model, List<FeedbackExample> examples, List<float[]> features) {
        int right = 0;
        int total = 0;
        for (int i = 0; i < examples.size(); i++) {
            Scores scores = model.score(features.get(i));
            for (Map.Entry<String, Boolean> v : examples.get(i).verdicts().entrySet()) {
                Float p = scores.labels().get(v.getKey());
                if (p == null) {
                    continue;
                }
                boolean flagged = p >= model.thresholds().get(v.getKey()).review();
                total++;
                if (flagged == v.getValue()) {
                    right++;
                }
            }
        }
        return new FeedbackScore(total == 0 ? 0 : (double) right / total, total);
    }

    /**
     * The live version and the candidate on the same held-back verdicts, verdict by verdict.
     *
     * @param verdicts (example, label) verdicts both score
     * @param parentRight how many the live version gets right
     * @param candidateRight how many the candidate gets right
     * @param candidateOnly how many only the candidate gets right
     * @param parentOnly how many only the live version gets right
     */
    public record Paired(int verdicts, int parentRight, int candidateRight, int candidateOnly, int parentOnly) {

        public double parentAccuracy() {
            return verdicts == 0 ? 0 : (double) parentRight / verdicts;
        }

        public double candidateAccuracy() {
            return verdicts == 0 ? 0 : (double) candidateRight / verdicts;
        }

        /** How many verdicts the two disagree on. */
        public int disagreements() {
            return candidateOnly + parentOnly;
        }
    }

    /**
     * Both models on {@code examples} at their own review thresholds, over the labels both score.
     *
     * @param features one feature vector ({@link HeadsModel#feature()}, the same for both) per example
     */
    public static Paired paired(
            HeadsModel parent, HeadsModel candidate, List<FeedbackExample> examples, List<float[]> features) {
        int verdicts = 0;
        int parentRight = 0;
        int candidateRight = 0;
        int candidateOnly = 0;
        int parentOnly = 0;
        for (int i = 0; i < examples.size(); i++) {
            Scores before = parent.score(features.get(i));
            Scores after = candidate.score(features.get(i));
            for (Map.Entry<String, Boolean> v : examples.get(i).verdicts().entrySet()) {
                Float p = before.labels().get(v.getKey());
                Float q = after.labels().get(v.getKey());
                if (p == null || q == null) {
                    continue;
                }
                boolean parentOk = (p >= parent.thresholds().get(v.getKey()).review()) == v.getValue();
                boolean candidateOk =
                        (q >= candidate.thresholds().get(v.getKey()).review()) == v.getValue();
                verdicts++;
                parentRight += parentOk ? 1 : 0;
                candidateRight += candidateOk ? 1 : 0;
                candidateOnly += candidateOk && !parentOk ? 1 : 0;
                parentOnly += parentOk && !candidateOk ? 1 : 0;
            }
        }
        return new Paired(verdicts, parentRight, candidateRight, candidateOnly, parentOnly);
    }

    /** Whether the model has the head {@code task} trains, with its labels. */
    static boolean covers(HeadsModel model, Task task) {
        return model.heads().stream()
                .anyMatch(h -> h.name().equals(task.headName())
                        && h.kind() == task.headKind()
                        && h.labels().equals(task.headLabels()));
    }

    private static Scores score(HeadsModel model, float[] x, int width, int row) {
        return model.score(Arrays.copyOfRange(x, row * width, (row + 1) * width));
    }
}
