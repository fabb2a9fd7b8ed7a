package io.streamguard.model.training;

/**
 * Seconds per epoch of {@link HeadTrainer} at SST-2 scale (67,000 training rows of BERT pooled + mean,
 * 1,536 floats; 872 validation rows), and whether a second run repeats the weights exactly at that
 * size. A measurement, not a test: run it by hand, e.g.
 *
 * <pre>
 * mvn -q -pl model-runtime test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp model-runtime/target/test-classes:model-runtime/target/classes:$(cat model-runtime/target/cp.txt) \
 *      io.streamguard.model.training.HeadTrainerBenchmark [rows] [width] [epochs] [batch]
 * </pre>
 */
public final class HeadTrainerBenchmark {

    private HeadTrainerBenchmark() {}

    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 67_000;
        int width = args.length > 1 ? Integer.parseInt(args[1]) : 1536;
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        long t0 = System.nanoTime();
        LabelledFeatures train = Synthetic.blobs(rows, width, new double[] {0.45, 0.55}, 0.5, 1);
        LabelledFeatures validation = Synthetic.blobs(872, width, new double[] {0.45, 0.55}, 0.5, 2);
        System.out.printf("data %d x %d: %.1f s to generate%n", rows, width, (System.nanoTime() - t0) / 1e9);
        for (int hidden : new int[] {0, 256}) {
            TrainingOptions options = TrainingOptions.defaults().withHiddenUnits(hidden).withBatchSize(batch)
                    .withEpochs(epochs, epochs).withDropout(hidden == 0 ? 0 : 0.1f, hidden == 0 ? 0 : 0.2f);
            long start = System.nanoTime();
            TrainingResult result = new HeadTrainer(options).train(HeadSpec.binary("b", "b"), train, validation,
                    ValidationMetric.defaultFor(HeadSpec.binary("b", "b")),
                    s -> System.out.printf("  hidden %d, batch %d, epoch %d: %.2f s, loss %.4f, val %.4f%n", hidden,
                            batch, s.epoch(), s.seconds(), s.trainLoss(), s.validationMetric()));
            System.out.printf("hidden %d: %.1f s total (graph, tensors, %d epochs), best %.4f%n", hidden,
                    (System.nanoTime() - start) / 1e9, result.history().size(), result.bestMetric());
            // Multithreaded kernels at this size: check the weights still repeat exactly.
            TrainingResult again = new HeadTrainer(options).train(HeadSpec.binary("b", "b"), train, validation);
            System.out.printf("hidden %d: second run bit-identical: %b%n", hidden, again.head().equals(result.head()));
        }
    }
}
