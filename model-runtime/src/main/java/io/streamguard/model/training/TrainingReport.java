package io.streamguard.model.training;

import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.heads.Provenance;
import io.streamguard.model.language.Language;
import java.util.Locale;

/** The evaluation report written beside a trained model, and the summary table for the terminal. */
public final class TrainingReport {

    private TrainingReport() {}

    /** One row per task: the target metric and the numbers behind it. */
    public static String table(ModelTrainer.Run run) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "%-10s %-9s %8s %8s %8s %8s %6s %7s %7s%n",
                "task",
                "metric",
                "value",
                "macroF1",
                "accuracy",
                "rocAuc",
                "epoch",
                "review",
                "block"));
        for (ModelTrainer.TaskReport r : run.reports()) {
            out.append(String.format(
                    Locale.ROOT,
                    "%-10s %-9s %8.4f %8.4f %8.4f %8s %6d %7s %7s%n",
                    r.task().id(),
                    metricName(r),
                    r.primary(),
                    r.validation().macroF1(),
                    r.validation().accuracy(),
                    format(r.validation().rocAuc()),
                    r.result().bestEpoch(),
                    r.thresholds() == null
                            ? "-"
                            : format(r.thresholds().thresholds().review()),
                    r.thresholds() == null
                            ? "-"
                            : format(r.thresholds().thresholds().block())));
        }
        return out.toString();
    }

    /** Markdown: what was trained on what, settings, per-task validation results, thresholds. */
    public static String markdown(ModelTrainer.Run run, ModelTrainer.Settings settings, String encoderId) {
        return markdown(run, settings, encoderId, null);
    }

    /**
     * As {@link #markdown(ModelTrainer.Run, ModelTrainer.Settings, String)}, with an over-blocking section
     * before the data table when {@code overBlocking} is not null.
     */
    public static String markdown(
            ModelTrainer.Run run, ModelTrainer.Settings settings, String encoderId, OverBlocking overBlocking) {
        HeadsModel model = run.model();
        StringBuilder md = new StringBuilder();
        md.append("# Model ")
                .append(model.version())
                .append(" on `")
                .append(encoderId)
                .append("`\n\n");
        md.append("Written by `streamguard train --encoder ")
                .append(encoderId)
                .append(" --version ")
                .append(model.version())
                .append("` at ")
                .append(model.provenance().createdAt())
                .append(". Every number below is on validation data ("
                        + (Language.ofEncoder(encoderId) == Language.CHINESE
                                ? "COLD dev, ChnSentiCorp dev"
                                : "SST-2 dev, TweetEval val, SMS fold 0 / 5-fold CV")
                        + "). Thresholds: each is the median of the ones chosen on 4 of 5 folds of the"
                        + " validation split (out-of-fold scores below: each fold scored at the threshold chosen"
                        + " without it), and review is raised where needed so that at most 2.5 % of the benign"
                        + " set's calibration half reaches it; over-blocking is measured on its other half.\n\n");
        md.append("- Encoder `")
                .append(model.encoderId())
                .append("`, vocabulary `")
                .append(model.vocabHash())
                .append("`, max length ")
                .append(model.maxLength())
                .append(", feature `")
                .append(model.feature())
                .append("`\n");
        md.append("- Seed ")
                .append(settings.seed())
                .append("; threshold selection ")
                .append(settings.thresholds())
                .append("\n\n");
        md.append("| task | target metric | value | macro-F1 | accuracy | ROC-AUC | best epoch | review | block |\n");
        md.append("|---|---|---|---|---|---|---|---|---|\n");
        for (ModelTrainer.TaskReport r : run.reports()) {
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %.4f | %.4f | %.4f | %s | %d / %d | %s | %s |%n",
                    r.task().id(),
                    metricName(r),
                    r.primary(),
                    r.validation().macroF1(),
                    r.validation().accuracy(),
                    format(r.validation().rocAuc()),
                    r.result().bestEpoch(),
                    r.result().history().size(),
                    r.thresholds() == null
                            ? "-"
                            : format(r.thresholds().thresholds().review()),
                    r.thresholds() == null
                            ? "-"
                            : format(r.thresholds().thresholds().block())));
        }
        md.append("\n");
        for (ModelTrainer.TaskReport r : run.reports()) {
            md.append("## ").append(r.task().id()).append("\n\n");
            md.append("- Train: ")
                    .append(r.train().summary())
                    .append(" — `")
                    .append(path(model, r.task(), "train", r.train()))
                    .append("`\n");
            if (r.hardNegatives() != null) {
                md.append("- Hard negatives: ")
                        .append(r.hardNegatives().size())
                        .append(" negative SST-2 training sentences (at least ")
                        .append(AdapterTuning.SENTENCE_WORDS)
                        .append(" words, none of the benign set) added as not-")
                        .append(r.task().id())
                        .append(" — `")
                        .append(path(model, r.task(), "hard negatives", r.hardNegatives()))
                        .append("`\n");
            }
            md.append("- Validation: ")
                    .append(r.validationData().summary())
                    .append(" — `")
                    .append(path(model, r.task(), "validation", r.validationData()))
                    .append("`\n");
            md.append("- Trainer: ").append(settings.options().get(r.task())).append("\n");
            md.append(String.format(
                    Locale.ROOT,
                    "- Features %.1f s, training %.1f s%n",
                    r.featureTime().toMillis() / 1000.0,
                    r.trainTime().toMillis() / 1000.0));
            r.crossValidatedF1()
                    .ifPresent(f1 -> md.append(String.format(
                            Locale.ROOT,
                            "- 5-fold cross-validated spam F1 (out-of-fold predictions, each fold's threshold chosen on"
                                    + " an inner hold-out): %.4f%n",
                            f1)));
            if (r.thresholds() != null) {
                ThresholdChoice t = r.thresholds();
                md.append(String.format(
                        Locale.ROOT,
                        "- review %.4f: precision %.3f, recall %.3f, F1 %.3f; block %.4f: precision %.3f, recall %.3f%s%n",
                        t.review().threshold(),
                        t.review().precision(),
                        t.review().recall(),
                        t.review().f1(),
                        t.block().threshold(),
                        t.block().precision(),
                        t.block().recall(),
                        t.blockTargetMet() ? "" : " (precision target not reachable; most precise point)"));
            }
            if (r.calibration() != null) {
                ThresholdCalibration.Calibrated c = r.calibration();
                md.append(String.format(
                        Locale.ROOT,
                        "- thresholds: out-of-fold review %s %.3f; the best point of the whole split would be"
                                + " review %.4f, block %.4f%s%n",
                        settings.thresholds().objective() == ThresholdSelector.Objective.MACRO_F1 ? "macro-F1" : "F1",
                        c.outOfFoldF1(),
                        c.bestPoint().review(),
                        c.bestPoint().block(),
                        Double.isNaN(c.benignCap())
                                ? ""
                                : String.format(
                                        Locale.ROOT,
                                        "; benign cap %.4f%s (%.1f %% of the calibration half at review)",
                                        c.benignCap(),
                                        c.capped() ? ", which raised review" : "",
                                        c.benignShare() * 100)));
            }
            md.append("\n```\n").append(r.validation().toTable()).append("```\n\n");
        }
        if (overBlocking != null) {
            md.append(overBlocking.toMarkdown());
        }
        md.append("## Data\n\n| task | split | file | sha256 | rows |\n|---|---|---|---|---|\n");
        for (Provenance.DataRef ref : model.provenance().trainingData()) {
            md.append("| ")
                    .append(ref.task())
                    .append(" | ")
                    .append(ref.split())
                    .append(" | `")
                    .append(ref.path())
                    .append("` | `")
                    .append(ref.sha256(), 0, Math.min(16, ref.sha256().length()))
                    .append("…` | ")
                    .append(ref.rows())
                    .append(" |\n");
        }
        return md.toString();
    }

    /**
     * The file as the model's provenance names it (relative to the datasets directory): the report is committed
     * beside the model, so it should not carry this machine's paths either.
     */
    private static String path(HeadsModel model, Task task, String split, Dataset data) {
        for (Provenance.DataRef ref : model.provenance().trainingData()) {
            if (ref.task().equals(task.id()) && ref.split().equals(split)) {
                return ref.path();
            }
        }
        return data.source();
    }

    private static String metricName(ModelTrainer.TaskReport r) {
        return r.task() == Task.SPAM && r.crossValidatedF1().isPresent()
                ? "cv5 F1"
                : r.task().primaryMetric().key();
    }

    private static String format(Double value) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%.4f", value);
    }
}
