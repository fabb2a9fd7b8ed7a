package io.streamguard.model.training;

import io.streamguard.model.encoder.Device;
import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.encoder.EncoderFactory;
import io.streamguard.model.encoder.LoadedEncoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Manual job, not a test: fills the feature cache for every builtin task's train and validation texts, so
 * training starts from cached features. Prints per task row counts and label balance, then a progress bar per
 * file. Encoders in argument order (default {@code minilm-l6 bert-base-uncased}), CPU, max length 128; cache
 * dir from {@code -Dstreamguard.features.dir} (default {@code ~/.cache/streamguard/features}), datasets from
 * {@code -Dstreamguard.datasets.dir} (default {@code ../shared/datasets}).
 *
 * <pre>
 * cd model-runtime   # or pass -Dstreamguard.datasets.dir=/work/shared/datasets
 * mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * nice -n 15 java -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *     io.streamguard.model.training.ExtractBuiltinFeatures minilm-l6 bert-base-uncased
 * </pre>
 */
public final class ExtractBuiltinFeatures {

    private record Part(String name, Dataset data) {}

    public static void main(String[] args) {
        List<String> encoders = args.length > 0 ? List.of(args) : List.of("minilm-l6", "bert-base-uncased");
        BuiltinDatasets builtin = BuiltinDatasets.fromEnvironment();
        String cacheDir = System.getProperty("streamguard.features.dir");
        FeatureCache cache = new FeatureCache(cacheDir != null ? Path.of(cacheDir) : FeatureCache.defaultDir());
        System.err.println("datasets " + builtin.dir().toAbsolutePath().normalize() + ", cache " + cache.dir());

        List<Part> parts = new ArrayList<>();
        for (Task task : Task.values()) {
            Dataset train = builtin.train(task);
            System.err.println("train      " + train.summary() + "  <- " + train.source());
            builtin.validation(task).ifPresent(v -> {
                System.err.println("validation " + v.summary() + "  <- " + v.source());
                parts.add(new Part(task.id() + "/validation", v));
            });
            if (task == Task.SPAM) {
                for (StratifiedKFold.Fold fold : BuiltinDatasets.spamFolds(train)) {
                    System.err.println("  fold " + fold.index() + " " + train.subset(fold.test(), "").summary());
                }
            }
            parts.add(new Part(task.id() + "/train", train));
        }
        // Small files first: the validation sets and spam are ready within minutes even for BERT.
        parts.sort(java.util.Comparator.comparingInt(p -> p.data().size()));

        for (String encoderId : encoders) {
            long load = System.nanoTime();
            try (LoadedEncoder encoder = EncoderFactory.create(
                    EncoderConfig.of(encoderId).withDevice(Device.CPU).withMaxLength(128))) {
                System.err.printf("%s loaded in %.1f s%n", encoderId, (System.nanoTime() - load) / 1e9);
                for (Part part : parts) {
                    List<String> texts = part.data().texts();
                    long start = System.nanoTime();
                    FeatureMatrix m = cache.features(encoder, texts,
                            ProgressBar.onStderr(encoderId + " " + part.name(), "texts"));
                    double seconds = (System.nanoTime() - start) / 1e9;
                    System.err.printf("%s %s: %d x %d in %.1f s (%.1f texts/s) -> %s%n", encoderId, part.name(),
                            m.rows(), m.hidden(), seconds, m.rows() / seconds, cache.file(encoder, texts));
                }
            }
        }
    }
}
