package io.streamguard.model.training;

import io.streamguard.model.encoder.LowRankAdapters;
import io.streamguard.model.encoder.onnx.MiniLmTuner;
import io.streamguard.model.encoder.onnx.OnnxBertModel;
import io.streamguard.model.heads.Dense;
import io.streamguard.model.heads.Feature;
import io.streamguard.model.heads.Head;
import io.streamguard.model.heads.HeadKind;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.tokenizer.BertTokenizer;
import io.streamguard.model.tokenizer.EncodedBatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Fine-tunes MiniLM's adapters on every task at once, starting from a trained model's heads: per epoch a
 * seeded sample of each task's training rows (so a 67k-row task does not drown a 4k-row one), mixed into
 * shared batches, one Adam step each under a warm-up and linear-decay schedule, each task's loss weighted;
 * several times per epoch every task is scored on its validation split and the best checkpoint is kept
 * (early stopping, {@code patience} checkpoints without gain).
 *
 * <p>Validation: SST-2 dev, TweetEval val, and spam fold 0 of {@link BuiltinDatasets#spamFolds}, which the
 * adapters never train on. The selection score is threshold-free (sentiment accuracy, the others' ROC-AUC),
 * since thresholds are chosen afterwards, on the tuned encoder's features.
 *
 * <p>Hard negatives: {@code hardNegatives} SST-2 training negatives (negative in tone, never offensive)
 * join the offensive task as class 0, so the encoder learns that negative is not offensive. The benign
 * evaluation set ({@link BenignSet}) is left out of every task, so over-blocking is measured on texts the
 * adapters never saw.
 */
public final class AdapterTuning {

    /**
     * How to tune.
     *
     * @param warmupShare the share of all steps over which the learning rate climbs from 0 to {@code
     *     learningRate}; it then falls linearly to a tenth of it at the last step
     * @param validationsPerEpoch validation checkpoints per epoch (the best checkpoint is kept)
     * @param hardNegatives SST-2 training negatives added to the offensive task as class 0
     * @param patience checkpoints without gain before stopping
     * @param lossWeights per task its loss weight (absent: 1)
     */
    public record Settings(
            int rank,
            float alpha,
            float learningRate,
            float warmupShare,
            int batchSize,
            int maxLength,
            int epochs,
            int rowsPerTaskPerEpoch,
            int validationsPerEpoch,
            int hardNegatives,
            int patience,
            Map<Task, Float> lossWeights,
            long seed) {

        public Settings {
            lossWeights = Map.copyOf(lossWeights);
            if (!(warmupShare >= 0 && warmupShare < 1) || validationsPerEpoch < 1 || epochs < 1) {
                throw new IllegalArgumentException("warm-up share must lie in [0, 1), validations per epoch and"
                        + " epochs be at least 1: " + warmupShare + ", " + validationsPerEpoch + ", " + epochs);
            }
        }

        /** What v2 was trained with (see the model report). */
        public static Settings defaults() {
            return new Settings(
                    8,
                    16f,
                    1e-3f,
                    0.06f,
                    32,
                    64,
                    4,
                    6_000,
                    2,
                    1_000,
                    3,
                    // Spam is near-perfect already and TweetEval hate's validation drifts from its training
                    // tweets: half weight keeps them from pulling the shared encoder their way.
                    Map.of(Task.HATE, 0.5f, Task.SPAM, 0.5f),
                    20261207L);
        }

        /** These settings with {@code learningRate}, {@code epochs}, {@code rows} and {@code seed} where non-null. */
        public Settings with(Float learningRate, Integer epochs, Integer rows, Long seed) {
            return new Settings(
                    rank,
                    alpha,
                    learningRate != null ? learningRate : this.learningRate,
                    warmupShare,
                    batchSize,
                    maxLength,
                    epochs != null ? epochs : this.epochs,
                    rows != null ? rows : rowsPerTaskPerEpoch,
                    validationsPerEpoch,
                    hardNegatives,
                    patience,
                    lossWeights,
                    seed != null ? seed : this.seed);
        }

        float lossWeight(Task task) {
            return lossWeights.getOrDefault(task, 1f);
        }

        /**
         * The learning rate's factor at {@code step} (1-based) of {@code total}: linear warm-up over the first
         * {@code warmupShare} of the steps, then linear decay to 0.1 at the last step (the usual schedule for
         * fine-tuning BERT: a full step on fresh adapters knocks the trained heads off before the encoder moves).
         */
        public float learningRateFactor(long step, long total) {
            long warmup = Math.max(1, Math.round(total * (double) warmupShare));
            if (step <= warmup) {
                return (float) step / warmup;
            }
            double done = (double) (step - warmup) / Math.max(1, total - warmup);
            return (float) Math.max(0.1, 1 - 0.9 * Math.min(1, done));
        }
    }

    /**
     * One validation checkpoint: the mean training loss since the last one, per task its validation score,
     * and the mean of those ({@code number} 0 is the starting model).
     */
    public record Checkpoint(
            int number, long step, double trainLoss, Map<Task, Double> validation, double score, Duration took) {
        public String describe() {
            StringBuilder s = new StringBuilder(
                    String.format(Locale.ROOT, "checkpoint %d (step %d): loss %.4f", number, step, trainLoss));
            validation.forEach((t, v) -> s.append(String.format(Locale.ROOT, ", %s %.4f", t.id(), v)));
            return s.append(String.format(Locale.ROOT, "; mean %.4f (%.0f s)", score, took.toMillis() / 1000.0))
                    .toString();
        }
    }

    /**
     * The adapters of the best checkpoint, and every checkpoint's line.
     *
     * @param heads the jointly tuned heads' layers of the best checkpoint, by task ({kernel, bias} per layer)
     * @param checkpoints the starting model's line first, then one per checkpoint
     */
    public record Result(
            LowRankAdapters adapters,
            Map<Task, List<float[][]>> heads,
            List<Checkpoint> checkpoints,
            int best,
            Duration took,
            Map<Task, Integer> trainRows,
            Settings settings) {

        /**
         * The model report's section: how the adapters were tuned, each checkpoint's validation scores
         * (sentiment accuracy, the others' ROC-AUC) and which one was kept.
         *
         * @param fileBytes the written model file's size, or -1
         */
        public String markdown(long fileBytes) {
            StringBuilder s = new StringBuilder("\n" + REPORT_HEADING + "\n\n");
            s.append(String.format(
                    Locale.ROOT,
                    "MiniLM fine-tuned with LoRA adapters (rank %d, alpha %.0f) on the query, value and both"
                            + " feed-forward kernels of all 6 layers, jointly with every task's head: %,d adapter"
                            + " numbers, stored as float16 in the model file (%s). Adam at %.0e (heads at %.0f %%"
                            + " of it), linear warm-up over %.0f %% of the steps then linear decay to a tenth;"
                            + " batches of %d mixing the tasks, %,d rows per task per epoch, %d epochs at most,"
                            + " validated %d times per epoch, stopping after %d checkpoints without gain; loss"
                            + " weights %s (others 1); texts truncated at %d tokens; seed %d; %,d SST-2 training"
                            + " negatives added to offensive as hard negatives; the benign evaluation set left out"
                            + " of every task. Workers merge the adapters into the encoder's weights at load, so"
                            + " inference runs the same graph.%n%n",
                    settings.rank(),
                    settings.alpha(),
                    adapters.parameters(),
                    fileBytes < 0 ? "size unknown" : String.format(Locale.ROOT, "model file %,d bytes", fileBytes),
                    settings.learningRate(),
                    MiniLmTuner.Spec.HEAD_LEARNING_RATE_SHARE * 100,
                    settings.warmupShare() * 100,
                    settings.batchSize(),
                    settings.rowsPerTaskPerEpoch(),
                    settings.epochs(),
                    settings.validationsPerEpoch(),
                    settings.patience(),
                    new java.util.TreeMap<>(settings.lossWeights()),
                    settings.maxLength(),
                    settings.seed(),
                    settings.hardNegatives()));
            s.append("Training rows: ");
            trainRows.forEach((t, n) -> s.append(t.id())
                    .append(' ')
                    .append(String.format(Locale.ROOT, "%,d", n))
                    .append("; "));
            s.append("spam trains on folds 1-4 only (fold 0 validates); sentiment on SST-2 training rows of at least ")
                    .append(SENTENCE_WORDS)
                    .append(" words.\n\n");
            s.append("| checkpoint | step | train loss |");
            Map<Task, Double> first =
                    checkpoints.isEmpty() ? Map.of() : checkpoints.get(0).validation();
            first.keySet().forEach(t -> s.append(' ').append(t.id()).append(" |"));
            s.append(" mean | time |\n|---|---|---|");
            first.keySet().forEach(t -> s.append("---|"));
            s.append("---|---|\n");
            for (Checkpoint c : checkpoints) {
                s.append(String.format(
                        Locale.ROOT,
                        "| %s%s | %d | %s |",
                        c.number() == 0 ? "start" : Integer.toString(c.number()),
                        c.number() == best ? " (kept)" : "",
                        c.step(),
                        Double.isNaN(c.trainLoss()) ? "-" : String.format(Locale.ROOT, "%.4f", c.trainLoss())));
                c.validation().values().forEach(v -> s.append(String.format(Locale.ROOT, " %.4f |", v)));
                s.append(String.format(
                        Locale.ROOT, " %.4f | %.0f s |%n", c.score(), c.took().toMillis() / 1000.0));
            }
            s.append(String.format(
                    Locale.ROOT,
                    "%nFine-tuning took %.1f min; validation scores are sentiment accuracy and the other tasks'"
                            + " ROC-AUC (threshold-free: the heads and thresholds are fitted afterwards, on the"
                            + " tuned encoder's features, as below).%n",
                    took.toMillis() / 60_000.0));
            return s.toString();
        }
    }

    /** The heading of {@link Result#markdown}'s section in a model report. */
    public static final String REPORT_HEADING = "## Fine-tuning: low-rank adapters";

    /** The fewest words of an SST-2 training row the tuning uses (see {@link #run}). */
    static final int SENTENCE_WORDS = 8;

    private final BuiltinDatasets data;
    private final Settings settings;

    public AdapterTuning(BuiltinDatasets data, Settings settings) {
        this.data = Objects.requireNonNull(data, "data");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Tunes from {@code start}'s heads (one per task, named like it) and its adapters, or fresh ones. */
    public Result run(HeadsModel start, List<Task> tasks, BenignSet benign, Consumer<String> log) {
        long begin = System.nanoTime();
        BertTokenizer tokenizer = OnnxBertModel.MINILM_L6.bundledTokenizer(settings.maxLength());
        Map<Task, List<LabeledText>> train = new LinkedHashMap<>();
        Map<Task, List<LabeledText>> validation = new LinkedHashMap<>();
        List<LabeledText> hard = hardNegatives(benign);
        for (Task task : tasks) {
            Dataset all = data.train(task);
            List<LabeledText> rows = new ArrayList<>();
            List<LabeledText> val;
            if (task == Task.SPAM) {
                StratifiedKFold.Fold holdOut = BuiltinDatasets.spamFolds(all).get(0);
                for (int i : holdOut.train()) {
                    rows.add(all.rows().get(i));
                }
                val = new ArrayList<>();
                for (int i : holdOut.test()) {
                    val.add(all.rows().get(i));
                }
            } else if (task == Task.SENTIMENT) {
                // SST-2's train split is every phrase of its parse trees: most are a few words, which the
                // frozen-feature head already fits (train loss ~0.17) while dev is whole sentences. Tune on
                // sentences, where the encoder has something to learn.
                all.rows().stream()
                        .filter(r -> words(r.text()) >= SENTENCE_WORDS)
                        .forEach(rows::add);
                val = data.validation(task).orElseThrow().rows();
            } else {
                rows.addAll(all.rows());
                val = data.validation(task).orElseThrow().rows();
            }
            rows.removeIf(r -> benign.contains(r.text()));
            if (task == Task.OFFENSIVE) {
                rows.addAll(hard);
            }
            train.put(task, rows);
            validation.put(task, val);
        }
        Map<Task, Integer> trainRows = new LinkedHashMap<>();
        train.forEach((t, rows) -> trainRows.put(t, rows.size()));
        log.accept("adapter tuning: rank " + settings.rank() + ", " + tasks.size() + " tasks, rows " + trainRows
                + " (" + hard.size() + " hard negatives in offensive), "
                + settings.rowsPerTaskPerEpoch() + " rows per task per epoch");

        List<MiniLmTuner.TaskHead> heads = new ArrayList<>();
        for (Task task : tasks) {
            heads.add(taskHead(start.head(task.headName()), start.feature(), task, settings.lossWeight(task)));
        }
        MiniLmTuner.Spec spec = new MiniLmTuner.Spec(
                settings.rank(),
                settings.alpha(),
                MiniLmTuner.Spec.ATTENTION_QV_AND_FFN,
                settings.learningRate(),
                settings.seed(),
                start.adapters()); // a retrain continues from the live version's adapters
        List<Checkpoint> checkpoints = new ArrayList<>();
        LowRankAdapters best = null;
        Map<Task, List<float[][]>> bestHeads = Map.of();
        int bestCheckpoint = 0;
        double bestScore;
        Random random = new Random(settings.seed());
        long perEpoch = 0;
        for (Task task : tasks) {
            perEpoch += Math.min(train.get(task).size(), settings.rowsPerTaskPerEpoch());
        }
        long batchesPerEpoch = (perEpoch + settings.batchSize() - 1) / settings.batchSize();
        long totalSteps = batchesPerEpoch * settings.epochs();
        long validateEvery = Math.max(1, batchesPerEpoch / settings.validationsPerEpoch());
        long step = 0;
        try (MiniLmTuner tuner = MiniLmTuner.create(null, spec, heads)) {
            Checkpoint before = evaluate(tuner, tokenizer, tasks, validation, 0, 0, Double.NaN, Duration.ZERO);
            checkpoints.add(before);
            log.accept(before.describe() + " (the starting model)");
            bestScore = before.score();
            long sinceStart = System.nanoTime();
            double lossSum = 0;
            int batches = 0;
            training:
            for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
                List<int[]> order = sample(train, tasks, random);
                for (int from = 0; from < order.size(); from += settings.batchSize()) {
                    List<int[]> slice = order.subList(from, Math.min(order.size(), from + settings.batchSize()));
                    List<String> texts = new ArrayList<>(slice.size());
                    int[] taskOf = new int[slice.size()];
                    int[] labels = new int[slice.size()];
                    for (int i = 0; i < slice.size(); i++) {
                        int t = slice.get(i)[0];
                        LabeledText row = train.get(tasks.get(t)).get(slice.get(i)[1]);
                        texts.add(row.text());
                        taskOf[i] = t;
                        labels[i] = row.label();
                    }
                    step++;
                    lossSum += tuner.step(
                            tokenizer.encodeBatch(texts),
                            taskOf,
                            labels,
                            step,
                            settings.learningRateFactor(step, totalSteps));
                    batches++;
                    if (step % 50 == 0) {
                        log.accept(String.format(
                                Locale.ROOT,
                                "  epoch %d: step %d of %d, loss %.4f, %.0f s",
                                epoch,
                                step,
                                totalSteps,
                                lossSum / batches,
                                (System.nanoTime() - sinceStart) / 1e9));
                    }
                    if (step % validateEvery != 0 && step != totalSteps) {
                        continue;
                    }
                    Checkpoint c = evaluate(
                            tuner,
                            tokenizer,
                            tasks,
                            validation,
                            checkpoints.size(),
                            step,
                            lossSum / Math.max(1, batches),
                            Duration.ofNanos(System.nanoTime() - sinceStart));
                    checkpoints.add(c);
                    log.accept(c.describe());
                    sinceStart = System.nanoTime();
                    lossSum = 0;
                    batches = 0;
                    if (c.score() > bestScore) {
                        bestScore = c.score();
                        bestCheckpoint = c.number();
                        best = tuner.adapters();
                        Map<Task, List<float[][]>> h = new LinkedHashMap<>();
                        for (int t = 0; t < tasks.size(); t++) {
                            h.put(tasks.get(t), tuner.headLayers(t));
                        }
                        bestHeads = h;
                    } else if (c.number() - bestCheckpoint > settings.patience()) {
                        log.accept("no gain for " + (c.number() - bestCheckpoint) + " checkpoints: stopping");
                        break training;
                    }
                }
            }
        }
        if (best == null) {
            throw new TrainingException("adapter tuning never beat the starting model on validation (mean "
                    + String.format(Locale.ROOT, "%.4f", bestScore) + "): nothing to keep");
        }
        return new Result(
                best,
                bestHeads,
                checkpoints,
                bestCheckpoint,
                Duration.ofNanos(System.nanoTime() - begin),
                trainRows,
                settings);
    }

    /** SST-2 training negatives, seeded, minus the excluded texts. */
    private List<LabeledText> hardNegatives(BenignSet benign) {
        if (settings.hardNegatives() == 0) {
            return List.of();
        }
        List<LabeledText> negatives = new ArrayList<>();
        for (LabeledText row : data.train(Task.SENTIMENT).rows()) {
            // Short fragments ("dull") teach nothing about civil negative text; keep sentences.
            if (row.label() == 0 && !benign.contains(row.text()) && words(row.text()) >= SENTENCE_WORDS) {
                negatives.add(new LabeledText(row.text(), 0, row.line()));
            }
        }
        Collections.shuffle(negatives, new Random(settings.seed() ^ 0x5EED));
        return List.copyOf(negatives.subList(0, Math.min(settings.hardNegatives(), negatives.size())));
    }

    private static int words(String text) {
        return text.isBlank() ? 0 : text.strip().split("\\s+").length;
    }

    /** This epoch's (task, row) pairs: each task's sample, all shuffled together. */
    private List<int[]> sample(Map<Task, List<LabeledText>> train, List<Task> tasks, Random random) {
        List<int[]> order = new ArrayList<>();
        for (int t = 0; t < tasks.size(); t++) {
            int size = train.get(tasks.get(t)).size();
            List<Integer> rows = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                rows.add(i);
            }
            Collections.shuffle(rows, random);
            int n = Math.min(size, settings.rowsPerTaskPerEpoch());
            for (int i = 0; i < n; i++) {
                order.add(new int[] {t, rows.get(i)});
            }
        }
        Collections.shuffle(order, random);
        return order;
    }

    private Checkpoint evaluate(
            MiniLmTuner tuner,
            BertTokenizer tokenizer,
            List<Task> tasks,
            Map<Task, List<LabeledText>> validation,
            int number,
            long step,
            double trainLoss,
            Duration took) {
        Map<Task, Double> scores = new LinkedHashMap<>();
        for (int t = 0; t < tasks.size(); t++) {
            Task task = tasks.get(t);
            List<LabeledText> rows = validation.get(task);
            int[] labels = new int[rows.size()];
            double[] positive = new double[rows.size()];
            int outputs = task.headKind() == HeadKind.SIGMOID ? 1 : 2;
            for (int from = 0; from < rows.size(); from += 64) {
                List<LabeledText> chunk = rows.subList(from, Math.min(rows.size(), from + 64));
                EncodedBatch batch = tokenizer.encodeBatch(
                        chunk.stream().map(LabeledText::text).toList());
                float[] p = tuner.probabilities(batch, t);
                for (int i = 0; i < chunk.size(); i++) {
                    labels[from + i] = chunk.get(i).label();
                    positive[from + i] = p[i * outputs + outputs - 1];
                }
            }
            double score;
            if (task.headKind() == HeadKind.SIGMOID) {
                OptionalDouble auc = Metrics.rocAuc(labels, positive);
                score = auc.orElse(0);
            } else {
                int correct = 0;
                for (int i = 0; i < labels.length; i++) {
                    correct += (positive[i] >= 0.5 ? 1 : 0) == labels[i] ? 1 : 0;
                }
                score = (double) correct / labels.length;
            }
            scores.put(task, score);
        }
        double mean = scores.values().stream()
                .mapToDouble(Double::doubleValue)
                .average()
                .orElse(0);
        return new Checkpoint(number, step, trainLoss, scores, mean, took);
    }

    private static MiniLmTuner.TaskHead taskHead(Head head, Feature feature, Task task, float weight) {
        List<float[][]> layers = new ArrayList<>();
        for (Dense d : head.layers()) {
            layers.add(new float[][] {d.weights().clone(), d.bias().clone()});
        }
        return new MiniLmTuner.TaskHead(
                task.id(),
                head.kind(),
                head.labels().size() == 1 ? 2 : head.labels().size(),
                feature,
                head.inputMean(),
                head.inputScale(),
                layers,
                weight);
    }
}
