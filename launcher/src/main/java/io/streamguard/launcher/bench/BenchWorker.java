package io.streamguard.launcher.bench;

import io.streamguard.launcher.stack.EmbeddedStack;
import io.streamguard.model.tokenizer.Encoding;
import io.streamguard.topology.BatchScorer;
import io.streamguard.topology.ClassifierScorer;
import io.streamguard.topology.ScoredText;
import io.streamguard.topology.WorkerConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The labeling worker a benchmark runs on its embedded stack: role all, an application id of its own
 * per run (so each run starts on its own offsets and state), and the model loaded once by the
 * benchmark and shared by every worker it starts, so every run scores on the same warm engine.
 */
final class BenchWorker {
    /**
     * How the worker batches and commits.
     *
     * @param encoderId the encoder
     * @param heads the heads file
     * @param device the encoder's device (auto, cpu, gpu)
     * @param batchSize {@code streamguard.batch.max.size} (texts per micro-batch)
     * @param engineBatch {@code streamguard.batch.engine.size} (texts per encoder call)
     * @param batchWaitMs {@code streamguard.batch.max.wait.ms}
     * @param guarantee Kafka Streams' processing guarantee
     */
    record Settings(
            String encoderId,
            Path heads,
            String device,
            int batchSize,
            int engineBatch,
            int batchWaitMs,
            Guarantee guarantee) {}

    private BenchWorker() {}

    /** A role-all worker config of its own application ({@code run} names it) on {@code stack}. */
    static WorkerConfig config(Settings settings, EmbeddedStack stack, Path stateDir, String run) {
        return config(settings, stack, stateDir, run, Map.of());
    }

    /** As {@link #config(Settings, EmbeddedStack, Path, String)}, with {@code extra} settings on top. */
    static WorkerConfig config(
            Settings settings, EmbeddedStack stack, Path stateDir, String run, Map<String, String> extra) {
        Map<String, String> p = new HashMap<>();
        p.put("bootstrap.servers", stack.bootstrapServers());
        p.put("schema.registry.url", stack.registryUrl());
        p.put(
                "application.id",
                "streamguard-bench-" + run + "-" + UUID.randomUUID().toString().substring(0, 8));
        p.put("state.dir", stateDir.toString());
        p.put("processing.guarantee", settings.guarantee().config());
        p.put("auto.offset.reset", "earliest");
        p.put(WorkerConfig.ROLE, "all");
        p.put(WorkerConfig.WORKER_ID, "bench");
        p.put(WorkerConfig.METRICS_PORT, "-1");
        p.put(WorkerConfig.MODEL_ENCODER, settings.encoderId());
        p.put(WorkerConfig.MODEL_HEADS, settings.heads().toString());
        p.put(WorkerConfig.MODEL_DEVICE, settings.device());
        p.put(WorkerConfig.BATCH_MAX_SIZE, Integer.toString(settings.batchSize()));
        p.put(WorkerConfig.BATCH_ENGINE_SIZE, Integer.toString(settings.engineBatch()));
        // The micro-batch's padded cost never closes it early: the engine calls are cut by length.
        p.put(WorkerConfig.BATCH_MAX_TOKENS, Integer.toString(Math.max(settings.batchSize(), 1) * 128));
        p.put(WorkerConfig.BATCH_MAX_WAIT_MS, Integer.toString(settings.batchWaitMs()));
        p.putAll(extra);
        return WorkerConfig.of(p);
    }

    /** The loaded model for one worker; the worker's close leaves it loaded for the next. */
    static BatchScorer shared(ClassifierScorer scorer) {
        return new BatchScorer() {
            @Override
            public List<ScoredText> score(List<Encoding> encodings) {
                return scorer.score(encodings);
            }

            @Override
            public String vocabHash() {
                return scorer.vocabHash();
            }

            @Override
            public String servingVersion() {
                return scorer.servingVersion();
            }

            @Override
            public String precision() {
                return scorer.precision();
            }
        };
    }
}
