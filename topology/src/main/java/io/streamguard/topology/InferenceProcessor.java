package io.streamguard.topology;

import io.streamguard.avro.LabeledEvent;
import io.streamguard.avro.PendingInference;
import io.streamguard.avro.Timings;
import io.streamguard.avro.TokenizedEvent;
import io.streamguard.avro.TokenizerRef;
import io.streamguard.model.language.LanguageTags;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Micro-batching inference: gathers tokenized records, scores each batch with one call per encoder (the
 * batch is split by the encoder each text was tokenized for, {@link Scorers}: a call never mixes models),
 * decides under the live policy for the text's language and emits one {@code LabeledEvent} per input, in
 * arrival order whatever the encoders, to {@link #LABELED} and, by decision, to {@link #REVIEW} or
 * {@link #BLOCKED}. A text of a language no model reads (no tokenizer) waits in the batch like the others and
 * is emitted unscored in its place, decided by the policy's {@code unsupportedLanguage}. It wires the parts
 * that each do one job: {@link BatchBuffer} (the pending texts, closing by size), {@link BatchClock} (closing by
 * time), {@link FallbackScorer} (scoring, one per encoder), {@link LivePolicy} and {@link LabeledEvents}.
 *
 * <p><b>Exactly-once.</b> A record's input offset is committed with the first transaction after it
 * was processed, but its labeled event is only emitted when its batch runs, possibly a transaction
 * later. A buffer in memory would lose those records on a crash in between. So the buffer <em>is</em>
 * a changelogged state store, keyed by an arrival sequence number: a record's put commits atomically
 * with its offset, and the emission of its labeled event commits atomically with its delete. After a
 * crash the store is restored to the last committed transaction and whatever it holds is emitted by
 * the next batch: nothing lost, nothing emitted twice to read-committed consumers. The processor
 * keeps no other state than counters it recomputes from the store in {@link #init}.
 *
 * <p><b>Failures.</b> If a batch call fails, its texts are scored one by one; a text that still fails
 * is forwarded to {@link #DEAD_LETTERS} as a {@link RejectedRecordException} carrying its
 * {@code text-events} origin, so Kafka Streams' processing handler dead-letters its original bytes.
 * Records after it keep their order.
 *
 * <p>Batches are per task (input partition): a stream task's records, store and transaction go
 * together.
 */
final class InferenceProcessor implements Processor<String, TokenizedEvent, String, Object> {

    static final String LABELED = "labeled-sink";
    static final String REVIEW = "review-sink";
    static final String BLOCKED = "blocked-sink";
    static final String DEAD_LETTERS = "dead-letters";

    private static final Logger LOG = LoggerFactory.getLogger(InferenceProcessor.class);

    private final Scorers scorers;
    private final BatchSettings settings;
    private final PipelineMetrics metrics;
    private final String workerId;
    private final String bufferStoreName;
    private final String policyStoreName;
    private final String policyKey;
    private final Map<String, FallbackScorer> scoring = new LinkedHashMap<>();
    private final BatchClock clock;

    private ProcessorContext<String, Object> context;
    private BatchBuffer buffer;
    private LivePolicy policy;

    /** Times and ages batches on the scorers' {@link BatchScorer#clock()}. */
    InferenceProcessor(
            Scorers scorers,
            BatchSettings settings,
            PipelineMetrics metrics,
            String workerId,
            String bufferStoreName,
            String policyStoreName,
            String policyKey) {
        this.scorers = scorers;
        this.settings = settings;
        this.metrics = metrics;
        this.workerId = workerId;
        this.bufferStoreName = bufferStoreName;
        this.policyStoreName = policyStoreName;
        this.policyKey = policyKey;
        scorers.byEncoder().forEach((encoder, scorer) -> {
            String language = LanguageTags.ofEncoder(encoder);
            scoring.put(encoder, new FallbackScorer(scorer, encoder, language, metrics));
            metrics.serving(encoder, language, scorer.precision());
        });
        this.clock = new BatchClock(settings, scorers.clock());
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.buffer = new BatchBuffer(context.getStateStore(bufferStoreName), settings);
        this.policy = new LivePolicy(context.getStateStore(policyStoreName), policyKey);
        // Whatever a previous run left (restored from the changelog) is the start of the next batch.
        PendingInference oldest = buffer.restore();
        if (oldest != null) {
            clock.started(oldest.getQueuedAt().toEpochMilli());
            LOG.info(
                    "Task {} resumes with {} buffered record(s) from before a restart",
                    context.taskId(),
                    buffer.pending());
        }
        context.schedule(settings.tick(), PunctuationType.WALL_CLOCK_TIME, this::onTick);
    }

    @Override
    public void process(Record<String, TokenizedEvent> record) {
        metrics.eventIn("inference");
        TokenizedEvent event = record.value();
        if (event == null) {
            throw new RejectedRecordException(DeadLetterReason.NULL_VALUE, "tokenized record has no value");
        }
        RejectedRecordException refused = refusal(event);
        if (refused != null) {
            deadLetter(record.key(), record.timestamp(), refused);
            return;
        }
        if (buffer.wouldOverflow(event.getTokenIds().size())) {
            flush(); // this text would push the padded batch over the token budget
        }
        long now = now();
        clock.arrived(now, record.timestamp());
        if (buffer.pending() == 0) {
            clock.started(now);
        }
        buffer.add(new PendingInference(
                record.key(), Instant.ofEpochMilli(record.timestamp()), Instant.ofEpochMilli(now), event));
        if (buffer.full()) {
            flush();
        }
    }

    /**
     * Why {@code event} cannot be scored here: its ids are for an encoder (a language) this worker has no model
     * of, or from another vocabulary than that model's; null if it can (or needs no model).
     */
    private RejectedRecordException refusal(TokenizedEvent event) {
        TokenizerRef ref = event.getTokenizer();
        if (ref == null) {
            return null; // no model reads its language: emitted unscored
        }
        String id = event.getEvent().getId();
        String encoder = scorers.route(ref.getEncoderId());
        if (encoder == null) {
            return new RejectedRecordException(
                    DeadLetterReason.ENCODER_NOT_SERVED,
                    "event " + id + " was tokenized for " + ref.getEncoderId() + " (language "
                            + LabeledEvents.language(event) + "), which this worker does not serve (it serves "
                            + scorers.byEncoder().keySet() + "); configure the same encoders as the tokenizers",
                    event.getSource(),
                    null);
        }
        String expected = scorers.get(encoder).vocabHash();
        if (!ref.getVocabHash().equals(expected)) {
            return new RejectedRecordException(
                    DeadLetterReason.TOKENIZER_MISMATCH,
                    "event " + id + " was tokenized by " + ref.getEncoderId() + " (vocabulary " + ref.getVocabHash()
                            + "), the model of " + encoder + " expects vocabulary " + expected,
                    event.getSource(),
                    null);
        }
        return null;
    }

    private void onTick(long now) {
        if (clock.due(now, buffer.pending())) {
            flush();
        }
    }

    private long now() {
        return clock.now(context.currentSystemTimeMs());
    }

    /** Runs everything buffered, in arrival order, in batches no larger than the settings allow. */
    private void flush() {
        for (List<KeyValue<Long, PendingInference>> batch : buffer.batches()) {
            run(batch);
        }
    }

    /**
     * Scores {@code batch} with one call per encoder on that encoder's texts, then emits every outcome in
     * arrival order, and deletes the batch from the buffer in the same transaction.
     */
    private void run(List<KeyValue<Long, PendingInference>> batch) {
        long started = now();
        Map<String, List<Integer>> byEncoder = new LinkedHashMap<>();
        Runnable[] emissions = new Runnable[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            PendingInference entry = batch.get(i).value;
            TokenizerRef ref = entry.getEvent().getTokenizer();
            RejectedRecordException refused = refusal(entry.getEvent());
            if (refused != null) { // restored from before a restart with other encoders
                emissions[i] =
                        () -> deadLetter(entry.getKey(), entry.getTimestamp().toEpochMilli(), refused);
            } else if (ref != null) {
                byEncoder
                        .computeIfAbsent(scorers.route(ref.getEncoderId()), e -> new ArrayList<>())
                        .add(i);
            }
        }
        Policy current = policy.current();
        byEncoder.forEach((encoder, indices) -> {
            List<TokenizedEvent> events = new ArrayList<>(indices.size());
            indices.forEach(i -> events.add(batch.get(i).value.getEvent()));
            scoring.get(encoder).score(events, new FallbackScorer.Outcomes() {
                @Override
                public void scored(int index, ScoredText scored, long modelNanos, int batchSize) {
                    PendingInference entry = batch.get(indices.get(index)).value;
                    emissions[indices.get(index)] =
                            () -> emit(entry, scored, encoder, current, started, modelNanos, batchSize);
                }

                @Override
                public void failed(int index, RuntimeException error) {
                    PendingInference entry = batch.get(indices.get(index)).value;
                    emissions[indices.get(index)] = () -> deadLetter(
                            entry.getKey(),
                            entry.getTimestamp().toEpochMilli(),
                            new RejectedRecordException(
                                    DeadLetterReason.INFERENCE_FAILED,
                                    "inference failed for event "
                                            + entry.getEvent().getEvent().getId() + ": " + error.getMessage(),
                                    entry.getEvent().getSource(),
                                    error));
                }
            });
        });
        for (int i = 0; i < batch.size(); i++) {
            if (emissions[i] != null) {
                emissions[i].run();
            } else {
                emitUnscored(batch.get(i).value, current, started);
            }
        }
        buffer.remove(batch);
    }

    private void emit(
            PendingInference entry,
            ScoredText scored,
            String encoder,
            Policy current,
            long batchStarted,
            long modelNanos,
            int batchSize) {
        TokenizedEvent tokenized = entry.getEvent();
        String language = LabeledEvents.language(tokenized);
        Decisions.Verdict verdict =
                Decisions.decide(scored.scores().labels(), current, scored.model(), LanguageTags.primary(language));
        long labeledAt = now();
        Timings timings = timings(entry, batchStarted, labeledAt, modelNanos / 1e6, batchSize);
        forward(
                entry,
                LabeledEvents.of(entry, scored, encoder, verdict, timings, workerId, Instant.ofEpochMilli(labeledAt)),
                verdict,
                encoder);
    }

    /** A text of a language no model reads: no scores, the policy's decision for unsupported languages. */
    private void emitUnscored(PendingInference entry, Policy current, long batchStarted) {
        Decisions.Verdict verdict = Decisions.unscored(current);
        long labeledAt = now();
        Timings timings = timings(entry, batchStarted, labeledAt, 0, 0);
        String reason = "unsupported language: " + LabeledEvents.language(entry.getEvent());
        forward(
                entry,
                LabeledEvents.unscored(entry, reason, verdict, timings, workerId, Instant.ofEpochMilli(labeledAt)),
                verdict,
                "none");
    }

    private static Timings timings(
            PendingInference entry, long batchStarted, long labeledAt, double modelMs, int batchSize) {
        TokenizedEvent tokenized = entry.getEvent();
        long queueWait = batchStarted - entry.getQueuedAt().toEpochMilli();
        long endToEnd = labeledAt - tokenized.getSource().getTimestamp().toEpochMilli();
        return new Timings(queueWait, tokenized.getTokenizeMs(), modelMs, endToEnd, batchSize);
    }

    /** To text-labeled, and to review or blocked by decision; counted by decision, language and encoder. */
    private void forward(PendingInference entry, LabeledEvent labeled, Decisions.Verdict verdict, String encoder) {
        Record<String, Object> out =
                new Record<>(entry.getKey(), labeled, entry.getTimestamp().toEpochMilli());
        context.forward(out, LABELED);
        switch (verdict.decision()) {
            case REVIEW -> context.forward(out, REVIEW);
            case BLOCK -> context.forward(out, BLOCKED);
            default -> {}
        }
        metrics.queueWait(labeled.getTimings().getQueueWaitMs());
        metrics.endToEnd(labeled.getTimings().getEndToEndMs());
        String language = LanguageTags.primary(labeled.getLanguage());
        metrics.eventOut(
                verdict.decision().name(),
                verdict.triggeredLabels().isEmpty()
                        ? "none"
                        : verdict.triggeredLabels().get(0),
                language == null ? LanguageTags.UNDETERMINED : language,
                encoder);
    }

    private void deadLetter(String key, long timestamp, RejectedRecordException rejection) {
        context.forward(new Record<>(key, rejection, timestamp), DEAD_LETTERS);
    }
}
