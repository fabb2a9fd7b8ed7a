package io.streamguard.launcher.command;

import io.streamguard.launcher.cli.LauncherException;
import io.streamguard.launcher.cli.Messages;
import io.streamguard.model.encoder.LoadedEncoder;
import io.streamguard.retrainer.Retrainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The retrainer {@code up} runs in its own JVM (no second process), beside the pipeline's worker: configured as {@code
 * streamguard retrainer} with {@code up}'s encoder, heads, device and datasets (so both share every other
 * default), on the worker's loaded encoder (one copy of the weights: about 250 MB of resident memory less
 * than a second encoder), and started on a background thread so that its start (the versions topic, the
 * base version published, the consumer positioned: seconds) overlaps the connectors' and the console's.
 * The base data's features are read by the retrainer's own thread after that, so a machine without a
 * feature cache (minutes of encoding) does not hold up READY either.
 *
 * <p>A retrainer serves one encoder; a pipeline that scores each language with its own encoder runs one per
 * encoder ({@link #start(List, Function)}), each counting only the verdicts on events its encoder scored.
 */
final class RetrainerSidecar implements AutoCloseable {

    /** One encoder's retrainer, starting or started. */
    private record Started(Retrainer.Config config, CompletableFuture<Retrainer> retrainer) {}

    private final List<Started> started = new ArrayList<>();

    private RetrainerSidecar(List<Retrainer.Config> configs, Function<String, LoadedEncoder> shared) {
        Set<String> encoders = new HashSet<>();
        for (Retrainer.Config config : configs) {
            if (!encoders.add(config.encoder().encoderId())) {
                throw new IllegalArgumentException(
                        "two retrainers for " + config.encoder().encoderId());
            }
        }
        for (Retrainer.Config config : configs) {
            LoadedEncoder encoder = shared.apply(config.encoder().encoderId());
            started.add(new Started(
                    config,
                    CompletableFuture.supplyAsync(
                            () -> encoder != null ? Retrainer.start(config, encoder) : Retrainer.start(config),
                            RetrainerSidecar::thread)));
        }
    }

    /**
     * The retrainer's settings for a stack at {@code bootstrap} and {@code registry}; checks them (the
     * heads file and the training data exist) without connecting, so {@code up} can refuse a bad setup before
     * starting anything.
     *
     * @throws ParameterException on {@code up}'s command line, naming {@code --no-retrainer}
     */
    static Retrainer.Config config(
            CommandSpec up,
            String bootstrap,
            String registry,
            String encoder,
            Path heads,
            String device,
            Path datasets,
            Path clientConfig) {
        List<String> args = new ArrayList<>(List.of(
                "--bootstrap",
                bootstrap,
                "--registry",
                registry,
                "--encoder",
                encoder,
                "--heads",
                heads.toString(),
                "--device",
                device.toUpperCase(Locale.ROOT)));
        if (datasets != null) {
            args.addAll(List.of("--datasets", datasets.toString()));
        }
        if (clientConfig != null) {
            args.addAll(List.of("--config", clientConfig.toString()));
        }
        RetrainerCommand command = new RetrainerCommand();
        try {
            new CommandLine(command).parseArgs(args.toArray(String[]::new));
            return command.config();
        } catch (ParameterException e) {
            throw new ParameterException(
                    up.commandLine(), "retrainer: " + e.getMessage() + "; or start with --no-retrainer");
        }
    }

    /**
     * Starts the retrainer of {@code config} in the background; {@link #awaitReady} waits for it.
     *
     * @param shared the worker's encoder, which must outlive this sidecar; null to load its own
     */
    static RetrainerSidecar start(Retrainer.Config config, LoadedEncoder shared) {
        return start(List.of(config), id -> shared);
    }

    /**
     * Starts one retrainer per config (one per encoder) in the background; {@link #awaitReady} waits for all.
     *
     * @param shared per encoder id, the worker's loaded encoder (which must outlive this sidecar); null to load
     *     its own
     * @throws IllegalArgumentException if two configs are for the same encoder
     */
    static RetrainerSidecar start(List<Retrainer.Config> configs, Function<String, LoadedEncoder> shared) {
        return new RetrainerSidecar(configs, shared);
    }

    /**
     * Waits until every retrainer consumes (its live version published to model-versions if it had none).
     *
     * @return their {@code RETRAINER READY ...} lines, one per encoder, in the order of the configs
     * @throws LauncherException with one line if one failed to start
     */
    String awaitReady() {
        List<String> lines = new ArrayList<>();
        for (Started s : started) {
            try {
                lines.add(RetrainerCommand.readyLine(s.retrainer().join(), s.config()));
            } catch (CompletionException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                throw new LauncherException(
                        "the retrainer"
                                + (started.size() > 1
                                        ? " of " + s.config().encoder().encoderId()
                                        : "")
                                + " failed to start: " + Messages.oneLine(String.valueOf(cause.getMessage()))
                                + " (or start with --no-retrainer)",
                        cause);
            }
        }
        return String.join(System.lineSeparator(), lines);
    }

    /** Stops the retrainers, after their start if that is still under way; nothing for one that failed to start. */
    @Override
    public void close() {
        for (Started s : started) {
            Retrainer retrainer = s.retrainer().handle((r, failure) -> r).join();
            if (retrainer != null) {
                retrainer.close();
            }
        }
    }

    private static void thread(Runnable start) {
        Thread thread = new Thread(start, "streamguard-retrainer-start");
        thread.setDaemon(true);
        thread.start();
    }
}
