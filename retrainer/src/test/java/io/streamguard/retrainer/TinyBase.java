package io.streamguard.retrainer;

import io.streamguard.model.encoder.Device;
import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.encoder.EncoderFactory;
import io.streamguard.model.encoder.LoadedEncoder;
import io.streamguard.model.heads.Feature;
import io.streamguard.model.heads.HeadsFile;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.testing.TinyDatasets;
import io.streamguard.model.training.BuiltinDatasets;
import io.streamguard.model.training.FeatureCache;
import io.streamguard.model.training.ModelTrainer;
import io.streamguard.model.training.Task;
import io.streamguard.model.training.ThresholdSelector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the retrainer's unit tests start from, built once per test JVM: the real MiniLM encoder on the CPU,
 * {@link TinyDatasets} as the original data, and a small base version {@code v1} trained on them in seconds.
 * Feedback corrects a false positive it makes: ordinary delivery notices it flags as spam.
 */
final class TinyBase {

    static final int SEED = 42;
    private static TinyBase instance;

    final LoadedEncoder encoder;
    final Path dir;
    final BaseData base;
    final HeadsModel v1;
    final Path v1File;

    private TinyBase() throws IOException {
        dir = Files.createTempDirectory("retrainer-test");
        encoder =
                EncoderFactory.create(EncoderConfig.of(EncoderConfig.MINILM_L6).withDevice(Device.CPU));
        BuiltinDatasets datasets = new BuiltinDatasets(TinyDatasets.write(dir.resolve("datasets")));
        FeatureCache cache = new FeatureCache(dir.resolve("features"));
        v1 = new ModelTrainer(cache, datasets)
                .train(
                        encoder,
                        settings(ModelTrainer.Settings.defaults("v1", Feature.MEAN)
                                .tasks()),
                        ModelTrainer.Listener.silent())
                .model();
        v1File = dir.resolve("v1.json");
        HeadsFile.write(v1, v1File);
        base = BaseData.load(encoder, cache, datasets, 1_000, SEED);
        Runtime.getRuntime().addShutdownHook(new Thread(encoder::close));
    }

    /**
     * v1's training settings for {@code tasks}: small heads, larger steps, since the tiny sets need few epochs (as
     * model-runtime's ModelTrainerTest).
     */
    static ModelTrainer.Settings settings(List<Task> tasks) {
        ModelTrainer.Settings defaults = ModelTrainer.Settings.defaults("v1", Feature.MEAN);
        return new ModelTrainer.Settings(
                        defaults.version(),
                        defaults.feature(),
                        tasks,
                        defaults.options(),
                        new ThresholdSelector(0.9, 2),
                        SEED)
                .withOptions(o -> o.withDropout(0f, 0f)
                        .withHiddenUnits(8)
                        .withBatchSize(16)
                        .withLearningRate(1e-2f)
                        .withEpochs(12, 4));
    }

    static synchronized TinyBase get() {
        if (instance == null) {
            try {
                instance = new TinyBase();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    /** Retrainer settings for these tests: trigger after {@code verdicts}, every original row, 5 epochs. */
    static RetrainerSettings settings(int verdicts, Gate gate) {
        return RetrainerSettings.defaults()
                .withTopics("feedback", "labeled", "versions")
                .withTrigger(new RetrainTrigger(verdicts, Duration.ofHours(1)))
                .withTraining(25, 5, 1_000, 5, 1e-2f, SEED)
                .withGate(gate);
    }

    /**
     * {@code n} ordinary delivery notices with the verdict "not spam": the base version flags them as spam (it
     * only ever saw chatty ham), so they are the false positives moderators correct.
     */
    static List<FeedbackExample> deliveryNotices(int n) {
        String[] shops = {"the bookshop", "your grocer", "the pharmacy", "the garden centre", "our bakery"};
        String[] places = {"with your neighbour at number 12", "in the porch", "at the front desk", "in the shed"};
        List<FeedbackExample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String text = "thanks for your order " + (1000 + i) + " from " + shops[i % shops.length]
                    + ", the parcel was left " + places[i % places.length] + " this morning, nothing else to do";
            out.add(new FeedbackExample("notice-" + i, text, Map.of("spam", false), 0, i));
        }
        return out;
    }

    private static final String[][] NOTICE_PARTS = {
        {
            "thanks for your order",
            "your delivery update is here",
            "good news about purchase",
            "we have dispatched item",
            "shipping notice regarding package",
            "receipt for payment reference",
            "collection reminder concerning box"
        },
        {
            "from the bookshop",
            "by your local grocer",
            "sent via the pharmacy counter",
            "courtesy of the garden centre",
            "packed at our bakery",
            "handled by the hardware store",
            "supplied through the florist"
        },
        {
            "was left with your neighbour",
            "is waiting in the porch",
            "sits at the front desk",
            "went into the garden shed",
            "is behind the side gate",
            "was handed to the concierge",
            "lies in your parcel locker"
        },
        {
            "this morning, nothing else to do",
            "today, no action needed",
            "earlier, enjoy your week",
            "an hour ago, have a good evening",
            "at noon, see you next time",
            "just now, kind regards",
            "before lunch, many thanks"
        }
    };

    /**
     * Up to 49 delivery notices no two of which are near-copies: each is four parts, one of seven wordings each,
     * and any two share at most one part (the parts of notice (a, b) are a, b, a + b and a + 2b modulo 7).
     */
    static List<FeedbackExample> distinctNotices(int n, Map<String, Boolean> verdicts) {
        if (n > 49) {
            throw new IllegalArgumentException("at most 49 distinct notices");
        }
        List<FeedbackExample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int a = i / 7;
            int b = i % 7;
            String text = NOTICE_PARTS[0][a] + " " + (4000 + i) + " " + NOTICE_PARTS[1][b] + ", the parcel "
                    + NOTICE_PARTS[2][(a + b) % 7] + " " + NOTICE_PARTS[3][(a + 2 * b) % 7];
            out.add(new FeedbackExample(String.format("distinct-%02d", i), text, verdicts, 0, i));
        }
        return out;
    }
}
