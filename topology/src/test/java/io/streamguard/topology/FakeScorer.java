package io.streamguard.topology;

import io.streamguard.model.heads.Classification;
import io.streamguard.model.heads.Scores;
import io.streamguard.model.heads.Thresholds;
import io.streamguard.model.tokenizer.BertTokenizer;
import io.streamguard.model.tokenizer.Encoding;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A deterministic model: each label scores the highest weight of any trigger word in the text
 * (0.01 if none); sentiment is negative when any label reaches 0.5. Records every batch it is given
 * and fails on demand.
 *
 * <p>Its engine time is mock time on its own {@link EngineClock}: every call takes {@link #CALL_NANOS}
 * (model time is positive, yet far from a whole millisecond that would age queued texts), plus
 * {@link #delay} if set. Nothing sleeps.
 */
final class FakeScorer implements BatchScorer {

    /** What every call takes on the mock clock. */
    static final long CALL_NANOS = 10_000;

    static final Map<String, Thresholds> THRESHOLDS = Map.of(
            "toxic", new Thresholds(0.5, 0.9),
            "spam", new Thresholds(0.6, 0.95));

    private final BertTokenizer tokenizer;
    private final ManualTime time;
    private final EngineClock clock;
    private final Map<Integer, Map<String, Float>> triggers = new HashMap<>();
    private final Set<Integer> poison = new HashSet<>();
    private ModelInfo model = new ModelInfo("fake-1", THRESHOLDS);
    private boolean failBatches;
    private long delayMillis;
    final List<Integer> batchSizes = new ArrayList<>();
    /** The word pieces of every text of every call, [CLS] and [SEP] left out: which texts this model saw. */
    final List<List<String>> batches = new ArrayList<>();

    FakeScorer(BertTokenizer tokenizer) {
        this(tokenizer, new ManualTime());
    }

    private FakeScorer(BertTokenizer tokenizer, ManualTime time) {
        this(tokenizer, time, new EngineClock(time));
    }

    private FakeScorer(BertTokenizer tokenizer, ManualTime time, EngineClock clock) {
        this.tokenizer = tokenizer;
        this.time = time;
        this.clock = clock;
    }

    /** Another model on the same stream thread: its engine time is this one's thread's engine time too. */
    FakeScorer onTheSameThread() {
        return new FakeScorer(tokenizer, time, clock);
    }

    /** Another model, over {@code other}'s vocabulary, on the same stream thread (see {@link #onTheSameThread}). */
    FakeScorer onTheSameThread(BertTokenizer other) {
        return new FakeScorer(other, time, clock);
    }

    /** {@code word} (one word piece) scores {@code score} for {@code label}. */
    FakeScorer trigger(String word, String label, float score) {
        triggers.computeIfAbsent(id(word), k -> new HashMap<>()).put(label, score);
        return this;
    }

    /** Any batch with {@code word} in it fails, also when the text is scored alone. */
    FakeScorer poison(String word) {
        poison.add(id(word));
        return this;
    }

    /** Every call with more than one text fails (texts alone still score). */
    FakeScorer failBatches() {
        failBatches = true;
        return this;
    }

    /** Every call takes {@code millis} more of mock time, like an engine under load. */
    FakeScorer delay(long millis) {
        delayMillis = millis;
        return this;
    }

    FakeScorer model(ModelInfo newModel) {
        model = newModel;
        return this;
    }

    private int id(String word) {
        return tokenizer
                .vocabulary()
                .id(word)
                .orElseThrow(() -> new IllegalArgumentException(word + " not in vocabulary"));
    }

    @Override
    public synchronized List<ScoredText> score(List<Encoding> encodings) {
        batchSizes.add(encodings.size());
        List<String> texts = new ArrayList<>();
        for (Encoding e : encodings) {
            List<String> pieces = new ArrayList<>();
            for (int i = 1; i < e.length() - 1; i++) {
                pieces.add(tokenizer.vocabulary().token(e.ids()[i]));
            }
            texts.add(String.join(" ", pieces));
        }
        batches.add(texts);
        time.advanceNanos(CALL_NANOS);
        time.sleep(delayMillis);
        if (failBatches && encodings.size() > 1) {
            throw new IllegalStateException("simulated engine failure for a batch of " + encodings.size());
        }
        List<ScoredText> out = new ArrayList<>();
        for (Encoding e : encodings) {
            Map<String, Float> labels = new LinkedHashMap<>();
            labels.put("toxic", 0.01f);
            labels.put("spam", 0.01f);
            for (int i = 0; i < e.length(); i++) {
                if (poison.contains(e.ids()[i])) {
                    throw new IllegalStateException("simulated engine failure on token " + e.ids()[i]);
                }
                for (Map.Entry<String, Float> t :
                        triggers.getOrDefault(e.ids()[i], Map.of()).entrySet()) {
                    labels.merge(t.getKey(), t.getValue(), Math::max);
                }
            }
            boolean negative = labels.values().stream().anyMatch(p -> p >= 0.5f);
            Classification sentiment = new Classification(
                    negative ? "negative" : "positive",
                    0.8f,
                    negative ? Map.of("negative", 0.8f, "positive", 0.2f) : Map.of("negative", 0.2f, "positive", 0.8f));
            out.add(new ScoredText(new Scores(labels, Map.of("sentiment", sentiment)), e.truncated(), model));
        }
        return out;
    }

    @Override
    public EngineClock clock() {
        return clock;
    }

    @Override
    public String vocabHash() {
        return tokenizer.vocabulary().vocabHash();
    }
}
