package io.streamguard.launcher.command;

import io.streamguard.launcher.cli.LauncherException;
import io.streamguard.launcher.cli.Messages;
import io.streamguard.launcher.client.StreamsRunning;
import io.streamguard.model.encoder.EncoderException;
import io.streamguard.model.heads.HeadsFileException;
import io.streamguard.model.heads.IncompatibleHeadsException;
import io.streamguard.topology.ClassifierScorer;
import io.streamguard.topology.Worker;
import io.streamguard.topology.WorkerConfig;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What {@code worker} and {@code up} share: which environment variables are the launcher's own,
 * and starting a {@link Worker} until it is RUNNING.
 */
final class Pipeline {
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
            "STREAMGUARD_SKIP_BUILD");

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
        Worker worker;
        try {
            worker = Worker.start(config, ClassifierScorer::load);
        } catch (IncompatibleHeadsException | HeadsFileException | EncoderException e) {
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
                + config.encoderConfig().encoderId()
                + (config.role().infers() ? " heads=" + config.headsFile() : "")
                + " metrics="
                + (worker.metricsPort() < 0 ? "off" : "http://127.0.0.1:" + worker.metricsPort() + "/metrics");
    }
}
