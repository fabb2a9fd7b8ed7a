package io.streamguard.model.training;

import io.streamguard.model.encoder.Device;
import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.encoder.EncoderFactory;
import io.streamguard.model.encoder.Embeddings;
import io.streamguard.model.encoder.LoadedEncoder;
import io.streamguard.model.heads.Feature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * End-to-end sanity run on real features, by hand: encodes the SMS spam set with MiniLM (mean
 * feature), splits it 80/20 with a fixed seed, trains a spam head and picks thresholds. Prints the
 * epochs, the validation F1 at 0.5 and the chosen operating points. Run with the test classpath and
 * {@code -Dstreamguard.datasets.dir=/work/shared/datasets}; the optional argument is the learning rate.
 */
public final class SmsSpamTrainingCheck {

    private SmsSpamTrainingCheck() {}

    public static void main(String[] args) throws IOException {
        Path tsv = Path.of(System.getProperty("streamguard.datasets.dir", "../../shared/datasets"), "sms-spam",
                "train.tsv");
        List<String> lines = Files.readAllLines(tsv, StandardCharsets.UTF_8);
        List<String> texts = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            int tab = line.indexOf('\t');
            labels.add(line.substring(0, tab).equals("spam") ? 1 : 0);
            texts.add(line.substring(tab + 1));
        }
        int n = texts.size();
        int width;
        float[] features;
        long t0 = System.nanoTime();
        try (LoadedEncoder minilm = EncoderFactory.create(EncoderConfig.of(EncoderConfig.MINILM_L6)
                .withDevice(Device.CPU))) {
            width = Feature.MEAN.width(minilm.encoder().info().hidden());
            features = new float[n * width];
            for (int from = 0; from < n; from += 32) {
                List<String> batch = texts.subList(from, Math.min(n, from + 32));
                Embeddings e = minilm.encoder().encode(minilm.tokenizer().encodeBatch(batch));
                for (int r = 0; r < batch.size(); r++) {
                    System.arraycopy(Feature.MEAN.extract(e, r), 0, features, (from + r) * width, width);
                }
            }
        }
        System.out.printf("encoded %d texts in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);

        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(42);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int trainRows = n * 4 / 5;
        LabelledFeatures train = subset(features, labels, width, order, 0, trainRows);
        LabelledFeatures validation = subset(features, labels, width, order, trainRows, n);

        for (int hidden : new int[] {0, 256}) {
            TrainingOptions options = TrainingOptions.defaults().withHiddenUnits(hidden).withEpochs(40, 5)
                    .withLearningRate(args.length > 0 ? Float.parseFloat(args[0]) : 1e-3f)
                    .withDropout(0f, hidden == 0 ? 0f : 0.2f);
            HeadSpec spec = HeadSpec.binary("spam", "spam");
            TrainingResult result = new HeadTrainer(options).train(spec, train, validation,
                    ValidationMetric.defaultFor(spec), s -> System.out.println("  " + s));
            double f1AtHalf = f1(result.validationProbabilities(), validation.y(), 0.5);
            ThresholdChoice choice = ThresholdSelector.defaults().choose(result.validationProbabilities(),
                    validation.y());
            System.out.printf("hidden %d: best epoch %d, val spam F1 @0.5 %.4f, review %s, block %s%n", hidden,
                    result.bestEpoch(), f1AtHalf, choice.review(), choice.block());
        }
    }

    private static LabelledFeatures subset(float[] features, List<Integer> labels, int width, int[] order, int from,
            int to) {
        float[] x = new float[(to - from) * width];
        int[] y = new int[to - from];
        for (int i = from; i < to; i++) {
            System.arraycopy(features, order[i] * width, x, (i - from) * width, width);
            y[i - from] = labels.get(order[i]);
        }
        return new LabelledFeatures(x, y, width);
    }

    private static double f1(float[] p, int[] y, double threshold) {
        int tp = 0;
        int fp = 0;
        int fn = 0;
        for (int i = 0; i < y.length; i++) {
            boolean flagged = p[i] >= threshold;
            if (flagged && y[i] == 1) {
                tp++;
            } else if (flagged) {
                fp++;
            } else if (y[i] == 1) {
                fn++;
            }
        }
        return 2.0 * tp / (2.0 * tp + fp + fn);
    }
}
