package io.streamguard.launcher.command;

import io.streamguard.launcher.cli.LauncherException;
import io.streamguard.launcher.cli.Messages;
import io.streamguard.launcher.client.StreamsRunning;
import io.streamguard.model.ModelRuntimeException;
import io.streamguard.topology.BatchScorer;
import io.streamguard.topology.ClassifierScorer;
import io.streamguard.topology.Worker;
import io.streamguard.topology.WorkerConfig;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code worker} and {@code up} share: which environment variables are the launcher's own,
 * and starting a {@link Worker} until it is RUNNING, its model loaded and warmed up.
 */
final class Pipeline {
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

    /**
     * {@code STREAMGUARD_*} variables that configure the launcher itself, not a worker: they must not
     * reach Kafka Streams as pass-through settings.
     */
    private static final Set<String> LAUNCHER_ENV = Set.of(
            "STREAMGUARD_LOG_LEVEL",
            "STREAMGUARD_KAFKA_LOG_LEVEL",
            "STREAMGUARD_REGISTRY_APP",
            "STREAMGUARD_DATASETS",
            "STREAMGUARD_JAVA_OPTS",
            "STREAMGUARD_SKIP_BUILD",
            "STREAMGUARD_JDBC_URL",
            "STREAMGUARD_DB_USER",
            "STREAMGUARD_DB_PASSWORD",
            "STREAMGUARD_CONSOLE_ADMIN_PASSWORD",
            "STREAMGUARD_CONSOLE_PASSWORD");

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    private Pipeline() {}

    /** The environment without the launcher's own variables. */
    static Map<String, String> workerEnvironment(Map<String, String> env) {
        Map<String, String> out = new TreeMap<>(env);
        out.keySet().removeAll(LAUNCHER_ENV);
        return out;
    }

    /**
     * Starts a worker (loading its model) and waits until its streams client is RUNNING.
     *
     * @throws LauncherException with one line if the model cannot be loaded or the worker fails
     */
    static Worker startAndAwaitRunning(WorkerConfig config) {
        return startAndAwaitRunning(config, Pipeline::loadScorer);
    }

    /**
     * Starts loading the worker's model (encoder, heads, TensorFlow's warm-up: seconds, the slowest
     * part of a start) on a thread of its own, so that it overlaps other start-up work such as the
     * broker's boot. Only the model settings of {@code config} are read. If nobody {@link
     * #preloaded takes} the scorer, {@link #discard} closes it.
     */
    static CompletableFuture<BatchScorer> preload(WorkerConfig config) {
        // A daemon thread: a failed start exits without waiting for TensorFlow.
        return CompletableFuture.supplyAsync(() -> loadScorer(config), task -> {
            Thread loader = new Thread(task, "streamguard-model-load");
            loader.setDaemon(true);
            loader.start();
        });
    }

    /** A scorer factory that hands out the {@link #preload preloaded} scorer, waiting for it if need be. */
    static Worker.ScorerFactory preloaded(CompletableFuture<BatchScorer> scorer) {
        return config -> {
            try {
                return scorer.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException cause) {
                    throw cause;
                }
                throw e;
            }
        };
    }

    /**
     * A scorer factory that hands each encoder its {@link #preload preloaded} scorer (keyed by encoder id),
     * waiting for it if need be.
     */
    static Worker.ScorerFactory preloaded(Map<String, CompletableFuture<BatchScorer>> scorers) {
        return config -> {
            String id = config.encoderConfig().encoderId();
            CompletableFuture<BatchScorer> scorer = scorers.get(id);
            if (scorer == null) {
                throw new IllegalStateException("no model was preloaded for encoder " + id);
            }
            return preloaded(scorer).create(config);
        };
    }

    /** Closes a preloaded scorer nobody will use, once it is loaded. */
    static void discard(CompletableFuture<BatchScorer> scorer) {
        scorer.thenAccept(BatchScorer::close);
    }

    private static BatchScorer loadScorer(WorkerConfig config) {
        long start = System.nanoTime();
        BatchScorer scorer = ClassifierScorer.load(config);
        LOG.info(
                "Model {} loaded and warmed up in {} ms",
                config.encoderConfig().encoderId(),
                (System.nanoTime() - start) / 1_000_000);
        return scorer;
    }

    /**
     * Starts a worker with the scorers of {@code scorers} and waits until its streams client is
     * RUNNING.
     *
     * @throws LauncherException with one line if the model cannot be loaded or the worker fails
     */
    static Worker startAndAwaitRunning(WorkerConfig config, Worker.ScorerFactory scorers) {
        Worker worker;
        try {
            worker = Worker.start(config, scorers);
        } catch (ModelRuntimeException e) {
            throw new LauncherException(Messages.oneLine(e.getMessage()), e);
        }
        try {
            StreamsRunning.await("the worker", worker::state, READY_TIMEOUT);
        } catch (LauncherException e) {
            worker.close();
            throw e;
        }
        return worker;
    }

    /** One line describing a running worker, after the READY word. */
    static String describe(Worker worker) {
        WorkerConfig config = worker.config();
        return "role="
                + config.role().name().toLowerCase(Locale.ROOT)
                + " worker="
                + config.workerId()
                + " encoder="
                + String.join(",", config.encoderIds())
                + (config.role().infers()
                        ? " heads="
                                + String.join(
                                        ",",
                                        config.headsFiles().stream()
                                                .map(Object::toString)
                                                .toList())
                        : "")
                + " metrics="
                + (worker.metricsPort() < 0 ? "off" : "http://127.0.0.1:" + worker.metricsPort() + "/metrics");
    }
}
