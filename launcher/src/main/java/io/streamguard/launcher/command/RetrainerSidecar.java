package io.streamguard.launcher.command;

import io.streamguard.launcher.cli.LauncherException;
import io.streamguard.launcher.cli.Messages;
import io.streamguard.model.encoder.LoadedEncoder;
import io.streamguard.retrainer.Retrainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
 */
final class RetrainerSidecar implements AutoCloseable {

    private final Retrainer.Config config;
    private final CompletableFuture<Retrainer> started;

    private RetrainerSidecar(Retrainer.Config config, LoadedEncoder shared) {
        this.config = config;
        this.started = CompletableFuture.supplyAsync(
                () -> shared != null ? Retrainer.start(config, shared) : Retrainer.start(config),
                RetrainerSidecar::thread);
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
        return new RetrainerSidecar(config, shared);
    }

    /**
     * Waits until the retrainer consumes (the live version published to model-versions if it had none).
     *
     * @return its {@code RETRAINER READY ...} line
     * @throws LauncherException with one line if it failed to start
     */
    String awaitReady() {
        try {
            return RetrainerCommand.readyLine(started.join(), config);
        } catch (CompletionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new LauncherException(
                    "the retrainer failed to start: " + Messages.oneLine(String.valueOf(cause.getMessage()))
                            + " (or start with --no-retrainer)",
                    cause);
        }
    }

    /** Stops the retrainer, after its start if that is still under way; nothing if it failed to start. */
    @Override
    public void close() {
        Retrainer retrainer = started.handle((r, failure) -> r).join();
        if (retrainer != null) {
            retrainer.close();
        }
    }

    private static void thread(Runnable start) {
        Thread thread = new Thread(start, "streamguard-retrainer-start");
        thread.setDaemon(true);
        thread.start();
    }
}
