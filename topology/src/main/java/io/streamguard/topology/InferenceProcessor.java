package io.streamguard.topology;

import io.streamguard.avro.PendingInference;
import io.streamguard.avro.Timings;
import io.streamguard.avro.TokenizedEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Micro-batching inference: gathers tokenized records, scores each batch with one
 * {@link BatchScorer} call, decides under the live policy and emits one {@code LabeledEvent} per
 * input, in arrival order, to {@link #LABELED} and, by decision, to {@link #REVIEW} or
 * {@link #BLOCKED}. It wires the parts that each do one job: {@link BatchBuffer} (the pending texts,
 * closing by size), {@link BatchClock} (closing by time), {@link FallbackScorer} (scoring),
 * {@link LivePolicy} and {@link LabeledEvents}.
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

    private final BatchScorer scorer;
    private final BatchSettings settings;
    private final PipelineMetrics metrics;
    private final String workerId;
    private final String bufferStoreName;
    private final String policyStoreName;
    private final String policyKey;
    private final FallbackScorer scoring;
    private final BatchClock clock;

    private ProcessorContext<String, Object> context;
    private BatchBuffer buffer;
    private LivePolicy policy;

    /** Times and ages batches on {@code scorer}'s {@link BatchScorer#clock()}. */
    InferenceProcessor(
            BatchScorer scorer,
            BatchSettings settings,
            PipelineMetrics metrics,
            String workerId,
            String bufferStoreName,
            String policyStoreName,
            String policyKey) {
        this.scorer = scorer;
        this.settings = settings;
        this.metrics = metrics;
        this.workerId = workerId;
        this.bufferStoreName = bufferStoreName;
        this.policyStoreName = policyStoreName;
        this.policyKey = policyKey;
        this.scoring = new FallbackScorer(scorer, metrics);
        this.clock = new BatchClock(settings, scorer.clock());
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
        String vocab = event.getTokenizer().getVocabHash();
        if (!vocab.equals(scorer.vocabHash())) {
            deadLetter(
                    record.key(),
                    record.timestamp(),
                    new RejectedRecordException(
                            DeadLetterReason.TOKENIZER_MISMATCH,
                            "event " + event.getEvent().getId() + " was tokenized by "
                                    + event.getTokenizer().getEncoderId() + " (vocabulary " + vocab
                                    + "), the model expects vocabulary "
                                    + scorer.vocabHash(),
                            event.getSource(),
                            null));
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

    private void run(List<KeyValue<Long, PendingInference>> batch) {
        long started = now();
        List<TokenizedEvent> events = new ArrayList<>(batch.size());
        for (KeyValue<Long, PendingInference> entry : batch) {
            events.add(entry.value.getEvent());
        }
        Policy current = policy.current();
        scoring.score(events, new FallbackScorer.Outcomes() {
            @Override
            public void scored(int index, ScoredText scored, long modelNanos, int batchSize) {
                emit(batch.get(index).value, scored, current, started, modelNanos, batchSize);
            }

            @Override
            public void failed(int index, RuntimeException error) {
                PendingInference entry = batch.get(index).value;
                deadLetter(
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
        buffer.remove(batch);
    }

    private void emit(
            PendingInference entry,
            ScoredText scored,
            Policy current,
            long batchStarted,
            long modelNanos,
            int batchSize) {
        TokenizedEvent tokenized = entry.getEvent();
        Decisions.Verdict verdict = Decisions.decide(scored.scores().labels(), current, scored.model());
        long queueWait = batchStarted - entry.getQueuedAt().toEpochMilli();
        long labeledAt = now();
        long endToEnd = labeledAt - tokenized.getSource().getTimestamp().toEpochMilli();
        Timings timings = new Timings(queueWait, tokenized.getTokenizeMs(), modelNanos / 1e6, endToEnd, batchSize);
        Record<String, Object> out = new Record<>(
                entry.getKey(),
                LabeledEvents.of(entry, scored, verdict, timings, workerId, Instant.ofEpochMilli(labeledAt)),
                entry.getTimestamp().toEpochMilli());
        context.forward(out, LABELED);
        switch (verdict.decision()) {
            case REVIEW -> context.forward(out, REVIEW);
            case BLOCK -> context.forward(out, BLOCKED);
            default -> {}
        }
        metrics.queueWait(queueWait);
        metrics.endToEnd(endToEnd);
        metrics.eventOut(
                verdict.decision().name(),
                verdict.triggeredLabels().isEmpty()
                        ? "none"
                        : verdict.triggeredLabels().get(0));
    }

    private void deadLetter(String key, long timestamp, RejectedRecordException rejection) {
        context.forward(new Record<>(key, rejection, timestamp), DEAD_LETTERS);
    }
}
