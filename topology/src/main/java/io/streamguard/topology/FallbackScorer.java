package io.streamguard.topology;

import io.streamguard.avro.TokenizedEvent;
import io.streamguard.model.tokenizer.Encoding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores a micro-batch with one {@link BatchScorer} call; if that call fails, scores its texts one by
 * one, so a text the engine cannot take costs only itself. Every call is timed on the scorer's
 * {@link EngineClock} (the thread's engine time) and checked to return one result per text.
 */
final class FallbackScorer {

    /** Receives each text's outcome, in input order, as soon as it is known. */
    interface Outcomes {

        /** Text {@code index} scored in a call of {@code batchSize} texts that took {@code modelNanos}. */
        void scored(int index, ScoredText scored, long modelNanos, int batchSize);

        /** Text {@code index} failed also when scored alone. */
        void failed(int index, RuntimeException error);
    }

    private static final Logger LOG = LoggerFactory.getLogger(FallbackScorer.class);

    private final BatchScorer scorer;
    private final String encoder;
    private final String language;
    private final EngineClock clock;
    private final PipelineMetrics metrics;

    /** Scores with {@code scorer}, the model of {@code encoder} (which reads {@code language}, for metrics). */
    FallbackScorer(BatchScorer scorer, String encoder, String language, PipelineMetrics metrics) {
        this.scorer = scorer;
        this.encoder = encoder;
        this.language = language;
        this.clock = scorer.clock();
        this.metrics = metrics;
    }

    void score(List<TokenizedEvent> events, Outcomes outcomes) {
        List<Encoding> encodings = new ArrayList<>(events.size());
        for (TokenizedEvent event : events) {
            encodings.add(encoding(event));
        }
        long t0 = clock.nanoseconds();
        List<ScoredText> results = null;
        try {
            results = call(encodings);
        } catch (RuntimeException e) {
            metrics.batchFailed();
            LOG.warn(
                    "Batch of {} for {} failed ({}); scoring its texts one by one",
                    events.size(),
                    encoder,
                    e.toString());
        }
        long nanos = clock.nanoseconds() - t0;
        if (results != null) {
            metrics.batch(encoder, language, events.size(), nanos);
            for (int i = 0; i < events.size(); i++) {
                outcomes.scored(i, results.get(i), nanos, events.size());
            }
            return;
        }
        for (int i = 0; i < events.size(); i++) {
            long single = clock.nanoseconds();
            ScoredText one;
            try {
                one = call(List.of(encodings.get(i))).get(0);
            } catch (RuntimeException e) {
                outcomes.failed(i, e);
                continue;
            }
            long singleNanos = clock.nanoseconds() - single;
            metrics.batch(encoder, language, 1, singleNanos);
            outcomes.scored(i, one, singleNanos, 1);
        }
    }

    /** One scorer call, checked to return a result per text; its time counts as the thread's engine time. */
    private List<ScoredText> call(List<Encoding> encodings) {
        return clock.timed(() -> {
            List<ScoredText> results = scorer.score(encodings);
            if (results.size() != encodings.size()) {
                throw new IllegalStateException(
                        "scorer returned " + results.size() + " results for " + encodings.size() + " text(s)");
            }
            return results;
        });
    }

    private static Encoding encoding(TokenizedEvent event) {
        List<Integer> ids = event.getTokenIds();
        int[] array = new int[ids.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = ids.get(i);
        }
        int[] mask = new int[array.length];
        Arrays.fill(mask, 1);
        return new Encoding(array, mask, array.length, event.getTruncated());
    }
}
