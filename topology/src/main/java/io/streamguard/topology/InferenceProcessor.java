package io.streamguard.topology;

import io.streamguard.avro.LabeledEvent;
import io.streamguard.avro.ModerationPolicy;
import io.streamguard.avro.PendingInference;
import io.streamguard.avro.Sentiment;
import io.streamguard.avro.Timings;
import io.streamguard.avro.TokenizedEvent;
import io.streamguard.model.heads.Classification;
import io.streamguard.model.tokenizer.Encoding;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Micro-batching inference: gathers tokenized records, scores each batch with one
 * {@link BatchScorer} call, decides under the live policy and emits one {@code LabeledEvent} per
 * input, in arrival order, to {@link #LABELED} and, by decision, to {@link #REVIEW} or
 * {@link #BLOCKED}.
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
 * together. A batch closes by time once its oldest text has waited {@code maxWait} <em>while its
 * stream thread could gather more</em>: time the thread spends in the engine (for this task or
 * another) does not count, since no record is polled meanwhile. Otherwise, under a backlog, every
 * size-closed batch would be followed by a small one: the rest of the same poll, aged by the engine
 * calls of the thread's other tasks, would be "late" before the next poll could fill it.
 *
 * <p><b>Backlogs.</b> When the task reads a backlog (its newest text was already more than
 * {@code maxWait} old when it arrived) and texts keep arriving, the wait is stretched up to
 * {@value #BACKLOG_WAIT_FACTOR} x {@code maxWait}: Kafka Streams hands a task its polled records a slice
 * at a time, so a batch closed at {@code maxWait} would run half full although more texts sit right
 * behind it, and those texts' latency is lost already. A full batch is cheaper per text.
 */
final class InferenceProcessor implements Processor<String, TokenizedEvent, String, Object> {

    static final String LABELED = "labeled-sink";
    static final String REVIEW = "review-sink";
    static final String BLOCKED = "blocked-sink";
    static final String DEAD_LETTERS = "dead-letters";

    private static final Logger LOG = LoggerFactory.getLogger(InferenceProcessor.class);

    /**
     * Nanoseconds the current stream thread has spent in scorer calls, over all its tasks: a thread's
     * tasks are separate processor instances, and only the thread is busy or not.
     */
    private static final ThreadLocal<long[]> ENGINE_NANOS = ThreadLocal.withInitial(() -> new long[1]);

    /** How far a backlog may stretch the wait, in multiples of {@code maxWait}. */
    static final int BACKLOG_WAIT_FACTOR = 5;

    private final BatchScorer scorer;
    private final BatchSettings batch;
    private final PipelineMetrics metrics;
    private final String workerId;
    private final String bufferStoreName;
    private final String policyStoreName;
    private final String policyKey;

    private ProcessorContext<String, Object> context;
    private KeyValueStore<Long, PendingInference> buffer;
    private KeyValueStore<String, ModerationPolicy> policies;
    private long nextSequence;
    private int pending;
    private int longest;
    private long oldestQueuedAt;
    /** The thread's {@link #ENGINE_NANOS} when the oldest text was queued. */
    private long engineNanosAtOldest;
    /** Whether a text arrived since the last tick, and whether the newest was late on arrival. */
    private boolean arrivedSinceTick;
    private boolean newestWasLate;
    /** The last cached time Kafka Streams gave, and the thread's engine time when it was first seen. */
    private long cachedTime = Long.MIN_VALUE;
    private long engineNanosAtCachedTime;
    private ModerationPolicy lastPolicyRecord;
    private Policy lastPolicy;

    InferenceProcessor(BatchScorer scorer, BatchSettings batch, PipelineMetrics metrics, String workerId,
            String bufferStoreName, String policyStoreName, String policyKey) {
        this.scorer = scorer;
        this.batch = batch;
        this.metrics = metrics;
        this.workerId = workerId;
        this.bufferStoreName = bufferStoreName;
        this.policyStoreName = policyStoreName;
        this.policyKey = policyKey;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.buffer = context.getStateStore(bufferStoreName);
        this.policies = context.getStateStore(policyStoreName);
        // Whatever a previous run left (restored from the changelog) is the start of the next batch.
        try (KeyValueIterator<Long, PendingInference> it = buffer.all()) {
            while (it.hasNext()) {
                KeyValue<Long, PendingInference> entry = it.next();
                nextSequence = Math.max(nextSequence, entry.key + 1);
                track(entry.value);
            }
        }
        if (pending > 0) {
            LOG.info("Task {} resumes with {} buffered record(s) from before a restart", context.taskId(), pending);
        }
        context.schedule(batch.tick(), PunctuationType.WALL_CLOCK_TIME, this::onTick);
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
            deadLetter(record.key(), record.timestamp(), new RejectedRecordException(
                    DeadLetterReason.TOKENIZER_MISMATCH, "event " + event.getEvent().getId() + " was tokenized by "
                    + event.getTokenizer().getEncoderId() + " (vocabulary " + vocab + "), the model expects vocabulary "
                    + scorer.vocabHash(), event.getSource(), null));
            return;
        }
        int length = event.getTokenIds().size();
        if (pending > 0 && (long) (pending + 1) * Math.max(longest, length) > batch.maxTokensPerBatch()) {
            flush(); // this text would push the padded batch over the token budget
        }
        long now = now();
        arrivedSinceTick = true;
        newestWasLate = now - record.timestamp() > batch.maxWait().toMillis();
        PendingInference entry = new PendingInference(record.key(), Instant.ofEpochMilli(record.timestamp()),
                Instant.ofEpochMilli(now), event);
        buffer.put(nextSequence++, entry);
        track(entry);
        if (pending >= batch.maxBatchSize() || (long) pending * longest >= batch.maxTokensPerBatch()) {
            flush();
        }
    }

    private void onTick(long now) {
        boolean arriving = arrivedSinceTick;
        arrivedSinceTick = false;
        if (pending == 0) {
            return;
        }
        long engineMillis = (ENGINE_NANOS.get()[0] - engineNanosAtOldest) / 1_000_000;
        long gathering = now - oldestQueuedAt - engineMillis;
        long maxWait = batch.maxWait().toMillis();
        boolean backlog = arriving && newestWasLate;
        if (gathering >= (backlog ? BACKLOG_WAIT_FACTOR * maxWait : maxWait)) {
            flush();
        }
    }

    /**
     * The wall clock. Kafka Streams gives a task one cached time for a whole slice of records, taken
     * before the slice; a batch closed by size inside the slice holds the thread in the engine, and the
     * slice's later records would look that much older than they are (and close the next batch at
     * once, small). So the engine time since that cached value was first seen is added back: a lower
     * bound of the real time, exact when the engine is what delayed the slice.
     */
    private long now() {
        long cached = context.currentSystemTimeMs();
        long engine = ENGINE_NANOS.get()[0];
        if (cached != cachedTime) {
            cachedTime = cached;
            engineNanosAtCachedTime = engine;
        }
        return cached + (engine - engineNanosAtCachedTime) / 1_000_000;
    }

    private void track(PendingInference entry) {
        if (pending == 0) {
            oldestQueuedAt = entry.getQueuedAt().toEpochMilli();
            engineNanosAtOldest = ENGINE_NANOS.get()[0];
        }
        pending++;
        longest = Math.max(longest, entry.getEvent().getTokenIds().size());
    }

    /** Runs everything buffered, in arrival order, in batches no larger than the settings allow. */
    private void flush() {
        List<KeyValue<Long, PendingInference>> all = new ArrayList<>(pending);
        try (KeyValueIterator<Long, PendingInference> it = buffer.all()) {
            it.forEachRemaining(all::add);
        }
        int from = 0;
        while (from < all.size()) {
            int to = from + 1;
            int widest = all.get(from).value.getEvent().getTokenIds().size();
            while (to < all.size() && to - from < batch.maxBatchSize()) {
                int w = Math.max(widest, all.get(to).value.getEvent().getTokenIds().size());
                if ((long) (to - from + 1) * w > batch.maxTokensPerBatch()) {
                    break;
                }
                widest = w;
                to++;
            }
            run(all.subList(from, to));
            from = to;
        }
        pending = 0;
        longest = 0;
    }

    private void run(List<KeyValue<Long, PendingInference>> entries) {
        long started = now();
        List<Encoding> encodings = new ArrayList<>(entries.size());
        for (KeyValue<Long, PendingInference> entry : entries) {
            encodings.add(encoding(entry.value.getEvent()));
        }
        Policy policy = currentPolicy();
        long t0 = System.nanoTime();
        List<ScoredText> results = null;
        try {
            results = score(encodings);
        } catch (RuntimeException e) {
            metrics.batchFailed();
            LOG.warn("Batch of {} failed ({}); scoring its texts one by one", entries.size(), e.toString());
        }
        long nanos = System.nanoTime() - t0;
        if (results != null) {
            metrics.batch(entries.size(), nanos);
            for (int i = 0; i < entries.size(); i++) {
                emit(entries.get(i).value, results.get(i), policy, started, nanos, entries.size());
            }
        } else {
            for (int i = 0; i < entries.size(); i++) {
                PendingInference entry = entries.get(i).value;
                long single = System.nanoTime();
                try {
                    ScoredText one = score(List.of(encodings.get(i))).get(0);
                    long singleNanos = System.nanoTime() - single;
                    metrics.batch(1, singleNanos);
                    emit(entry, one, policy, started, singleNanos, 1);
                } catch (RuntimeException e) {
                    deadLetter(entry.getKey(), entry.getTimestamp().toEpochMilli(), new RejectedRecordException(
                            DeadLetterReason.INFERENCE_FAILED, "inference failed for event "
                            + entry.getEvent().getEvent().getId() + ": " + e.getMessage(),
                            entry.getEvent().getSource(), e));
                }
            }
        }
        for (KeyValue<Long, PendingInference> entry : entries) {
            buffer.delete(entry.key);
        }
    }

    /** One scorer call, checked to return a result per text; its time counts as the thread's engine time. */
    private List<ScoredText> score(List<Encoding> encodings) {
        long t0 = System.nanoTime();
        try {
            List<ScoredText> results = scorer.score(encodings);
            if (results.size() != encodings.size()) {
                throw new IllegalStateException("scorer returned " + results.size() + " results for "
                        + encodings.size() + " text(s)");
            }
            return results;
        } finally {
            ENGINE_NANOS.get()[0] += System.nanoTime() - t0;
        }
    }

    private void emit(PendingInference entry, ScoredText scored, Policy policy, long batchStarted, long modelNanos,
            int batchSize) {
        TokenizedEvent tokenized = entry.getEvent();
        Map<String, Double> scores = new LinkedHashMap<>();
        scored.scores().labels().forEach((label, p) -> scores.put(label, p.doubleValue()));
        Decisions.Verdict verdict = Decisions.decide(scored.scores().labels(), policy, scored.model());
        Classification sentiment = scored.scores().classes().get("sentiment");
        long now = now();
        long sourceTimestamp = tokenized.getSource().getTimestamp().toEpochMilli();
        long queueWait = batchStarted - entry.getQueuedAt().toEpochMilli();
        long endToEnd = now - sourceTimestamp;
        Instant eventTime = tokenized.getEvent().getEventTime();
        LabeledEvent labeled = LabeledEvent.newBuilder()
                .setId(tokenized.getEvent().getId())
                .setScores(scores)
                .setSentiment(sentiment == null ? null : new Sentiment(sentiment.label(), (double) sentiment.score()))
                .setDecision(verdict.decision())
                .setTriggeredLabels(verdict.triggeredLabels())
                .setModelVersion(scored.model().version())
                .setPolicyVersion(verdict.policyVersion())
                .setTruncated(scored.truncated() || tokenized.getTruncated())
                .setTimings(new Timings(queueWait, tokenized.getTokenizeMs(), modelNanos / 1e6, endToEnd, batchSize))
                .setWorkerId(workerId)
                .setText(tokenized.getEvent().getText())
                .setEventTime(eventTime != null ? eventTime : Instant.ofEpochMilli(sourceTimestamp))
                .build();
        Record<String, Object> out = new Record<>(entry.getKey(), labeled, entry.getTimestamp().toEpochMilli());
        context.forward(out, LABELED);
        switch (verdict.decision()) {
            case REVIEW -> context.forward(out, REVIEW);
            case BLOCK -> context.forward(out, BLOCKED);
            default -> { }
        }
        metrics.queueWait(queueWait);
        metrics.endToEnd(endToEnd);
        metrics.eventOut(verdict.decision().name(),
                verdict.triggeredLabels().isEmpty() ? "none" : verdict.triggeredLabels().get(0));
    }

    private void deadLetter(String key, long timestamp, RejectedRecordException rejection) {
        context.forward(new Record<>(key, rejection, timestamp), DEAD_LETTERS);
    }

    /**
     * The live policy, converted once per change; an invalid policy on the topic keeps the last valid
     * one in force (or the model's thresholds) and is logged, never applied half-way.
     */
    private Policy currentPolicy() {
        ModerationPolicy record = policies.get(policyKey);
        if (record == null) {
            lastPolicyRecord = null;
            lastPolicy = null;
            return null;
        }
        if (!record.equals(lastPolicyRecord)) {
            try {
                lastPolicy = Policy.fromAvro(record);
                LOG.info("Moderation policy {} in force", lastPolicy.version());
            } catch (InvalidPolicyException e) {
                LOG.error("Ignoring invalid moderation policy '{}' version {}: {}; keeping {}", policyKey,
                        record.getVersion(), e.getMessage(), lastPolicy == null ? "the model's thresholds"
                                : "policy " + lastPolicy.version());
            }
            lastPolicyRecord = record;
        }
        return lastPolicy;
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
