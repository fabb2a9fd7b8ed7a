package io.streamguard.model.training;

import io.streamguard.model.encoder.Device;
import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.encoder.EncoderFactory;
import io.streamguard.model.encoder.LoadedEncoder;
import io.streamguard.model.heads.Feature;
import java.nio.file.Path;
import java.util.List;

/**
 * Compares head settings on the validation splits (by hand, not a test):
 * {@code TrainExperiment <encoder> <feature> <hidden> <lr> <inDrop> <hidDrop> <l2> [tasks]}.
 */
public final class TrainExperiment {
    public static void main(String[] args) {
        String encoderId = args[0];
        Feature feature = Feature.valueOf(args[1]);
        int hidden = Integer.parseInt(args[2]);
        float lr = Float.parseFloat(args[3]);
        float inDrop = Float.parseFloat(args[4]);
        float hidDrop = Float.parseFloat(args[5]);
        float l2 = Float.parseFloat(args[6]);
        List<Task> tasks = args.length > 7
                ? java.util.Arrays.stream(args[7].split(",")).map(Task::of).toList()
                : List.of(Task.OFFENSIVE, Task.HATE, Task.SPAM, Task.SENTIMENT);
        ModelTrainer.Settings settings = ModelTrainer.Settings.defaults("exp", feature).withTasks(tasks)
                .withOptions(o -> o.withDropout(inDrop, hidDrop).withHiddenUnits(hidden).withLearningRate(lr)
                        .withL2(l2));
        try (LoadedEncoder encoder = EncoderFactory.create(EncoderConfig.of(encoderId).withDevice(Device.CPU))) {
            ModelTrainer.Run run = new ModelTrainer(new FeatureCache(FeatureCache.defaultDir()),
                    BuiltinDatasets.fromEnvironment()).train(encoder, settings, ModelTrainer.Listener.silent());
            for (ModelTrainer.TaskReport r : run.reports()) {
                System.out.printf("%s %s h=%d lr=%s drop=%s/%s l2=%s  %-9s primary=%.4f macroF1=%.4f acc=%.4f best=%d/%d train=%.1fs%n",
                        encoderId, feature, hidden, lr, inDrop, hidDrop, l2, r.task().id(), r.primary(),
                        r.validation().macroF1(), r.validation().accuracy(), r.result().bestEpoch(),
                        r.result().history().size(), r.trainTime().toMillis() / 1000.0);
            }
        }
    }
}
