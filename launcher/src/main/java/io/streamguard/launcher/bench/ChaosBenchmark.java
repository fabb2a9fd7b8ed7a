package io.streamguard.launcher.bench;

import io.streamguard.launcher.stack.ChildJvm;
import io.streamguard.launcher.stack.RestartableStack;
import io.streamguard.launcher.stack.WorkerJvm;
import io.streamguard.launcher.traffic.DemoTraffic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Faults under load, as production meets them: an embedded broker and registry, worker JVMs by role
 * (tokenizers and inference workers, exactly-once), traffic at a steady rate with a bad record now and
 * then, and while it flows: every worker SIGKILLed and restarted, a worker added and one removed, a model
 * version published and a policy changed, the broker restarted, the broker away for a minute, the registry
 * away for a minute while a producer writes a schema no worker has seen. A {@code read_committed}
 * consumer ({@link ChaosLedger}) then counts what was lost, duplicated, reordered or wrongly
 * dead-lettered; each fault also gets its recovery time. {@code streamguard bench chaos} is the front.
 *
 * <p>Each fault waits until the pipeline has caught up from the last one (every labeled event for 5 s
 * within twice the baseline p99, at least 2 s), so the recovery times do not overlap.
 */
final class ChaosBenchmark {
    static final long DEFAULT_EVENTS = 100_000;
    static final double DEFAULT_RATE = 100;
    static final int DEFAULT_OUTAGE_SECONDS = 60;

    private static final int KEYS = 60;
    private static final int BAD_EVERY = 1000;
    private static final int TEXTS = 2000;
    private static final String WORKER_HEAP = "768m";
    private static final Duration WORKER_START = Duration.ofSeconds(240);
    private static final Duration RECOVERY_PATIENCE = Duration.ofSeconds(300);
    private static final Duration DRAIN_PATIENCE = Duration.ofSeconds(300);
    private static final long CAUGHT_UP_WINDOW_MS = 5_000;
    private static final long WARMUP_MS = 15_000;
    private static final long BASELINE_MS = 30_000;
    private static final long PROBE_EVERY_MS = 5_000;

    /**
     * What to run.
     *
     * @param heads the heads file the workers start with
     * @param swapTo the model file published mid-run (the model swap)
     * @param tokenizers tokenizer worker JVMs
     * @param inferenceWorkers inference worker JVMs (one more is added and one removed mid-run)
     * @param outageSeconds how long the broker and the registry are each away
     * @param command the command line, for the report
     */
    record Options(
            String encoderId,
            Path heads,
            Path swapTo,
            Path datasets,
            long events,
            double rate,
            int partitions,
            int tokenizers,
            int inferenceWorkers,
            int outageSeconds,
            String device,
            Path dataDir,
            String command) {
        Options {
            Objects.requireNonNull(encoderId, "encoderId");
            Objects.requireNonNull(heads, "heads");
            Objects.requireNonNull(swapTo, "swapTo");
            Objects.requireNonNull(datasets, "datasets");
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(dataDir, "dataDir");
            if (events < 1 || !(rate > 0) || partitions < 1 || tokenizers < 1 || inferenceWorkers < 1) {
                throw new IllegalArgumentException("events, rate, partitions and worker counts must be positive");
            }
        }
    }

    private final Options options;
    private final Consumer<String> progress;
    private final Map<String, WorkerJvm> workers = new LinkedHashMap<>();
    private final Map<String, String> roles = new LinkedHashMap<>();
    private final List<ChaosReport.Fault> faults = new ArrayList<>();
    private final long startMs = System.currentTimeMillis();
    private RestartableStack stack;
    private SteadyProducer producer;
    private ChaosLedger ledger;
    private long thresholdMs;
    private int unexpectedExits;

    private ChaosBenchmark(Options options, Consumer<String> progress) {
        this.options = options;
        this.progress = progress;
    }

    /**
     * Runs the whole script and reports; everything it started is stopped and its data dir deleted.
     *
     * @throws BenchmarkException if the stack or a worker does not start
     */
    static ChaosReport run(Options options, Consumer<String> progress) {
        return new ChaosBenchmark(options, progress).run();
    }

    private ChaosReport run() {
        List<String> texts = DemoTraffic.load(options.datasets(), TEXTS).stream()
                .map(DemoTraffic.Sample::text)
                .toList();
        try {
            progress.accept("starting broker and registry (" + options.partitions() + " partitions)");
            stack = RestartableStack.start(options.dataDir().resolve("stack"), options.partitions());
            for (int i = 1; i <= options.tokenizers(); i++) {
                startWorker("tokenizer", "tokenizer-" + i);
            }
            for (int i = 1; i <= options.inferenceWorkers(); i++) {
                startWorker("inference", "inference-" + i);
            }
            ledger = new ChaosLedger(stack.bootstrapServers(), stack.registryUrl());
            producer = new SteadyProducer(
                    stack.bootstrapServers(),
                    stack.registryUrl(),
                    texts,
                    KEYS,
                    options.events(),
                    options.rate(),
                    BAD_EVERY);
            progress.accept(String.format(
                    "producing %d events at %.0f/s over %d keys (every %dth an empty text)",
                    options.events(), options.rate(), KEYS, BAD_EVERY));
            producer.start();
            long[] baseline = baseline();
            script();
            progress.accept("faults done; waiting for the producer to finish (" + producer.sent() + " of "
                    + options.events() + " sent)");
            producer.awaitDone();
            drain();
            return report(baseline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchmarkException("interrupted", e);
        } finally {
            workers.values().forEach(WorkerJvm::close);
            if (producer != null) {
                producer.close();
            }
            if (ledger != null) {
                ledger.close();
            }
            if (stack != null) {
                stack.close();
            }
            DataDirs.deleteQuietly(options.dataDir());
        }
    }

    /** Steady traffic before any fault: the latency the recoveries are measured against. */
    private long[] baseline() throws InterruptedException {
        progress.accept(
                "warming up " + WARMUP_MS / 1000 + " s, then measuring the baseline for " + BASELINE_MS / 1000 + " s");
        Thread.sleep(WARMUP_MS + BASELINE_MS); // steady traffic for a fixed span is the measurement itself
        long now = System.currentTimeMillis();
        long[] window = ledger.latencies(now - BASELINE_MS, now);
        if (window.length == 0) {
            throw new BenchmarkException("nothing was labeled in the first " + (WARMUP_MS + BASELINE_MS) / 1000
                    + " s; see the worker logs under " + options.dataDir().resolve("workers"));
        }
        long p50 = window[window.length / 2];
        long p99 = window[Math.min(window.length - 1, (int) Math.ceil(window.length * 0.99) - 1)];
        thresholdMs = Math.max(2_000, 2 * p99);
        progress.accept(String.format(
                "baseline p50 %d ms, p99 %d ms over %d events; caught up = within %d ms for 5 s",
                p50, p99, window.length, thresholdMs));
        return new long[] {p50, p99};
    }

    /** The faults, one after another, each once the pipeline has caught up from the one before. */
    private void script() throws InterruptedException {
        for (String id : List.copyOf(workers.keySet())) {
            killAndRestart(id);
        }
        String added = "inference-" + (options.inferenceWorkers() + 1);
        long start = System.currentTimeMillis();
        startWorker("inference", added);
        recordFault("worker added: " + added + " (rebalance)", start, System.currentTimeMillis(), List.of());

        String removed = "inference-1";
        start = System.currentTimeMillis();
        workers.remove(removed).close();
        recordFault(
                "worker removed: " + removed + " (SIGTERM, rebalance)", start, System.currentTimeMillis(), List.of());

        modelSwap();
        policyChange();

        start = System.currentTimeMillis();
        stack.stopBroker();
        stack.startBroker();
        recordFault("broker restarted (same data)", start, System.currentTimeMillis(), List.of());

        start = System.currentTimeMillis();
        stack.stopBroker();
        Set<String> seen = watchOutage(options.outageSeconds());
        stack.startBroker();
        recordFault("broker down " + options.outageSeconds() + " s", start, System.currentTimeMillis(), seen);

        start = System.currentTimeMillis();
        stack.stopRegistry();
        producer.useEvolvedSchema(true);
        seen = watchOutage(options.outageSeconds());
        stack.startRegistry();
        producer.useEvolvedSchema(false);
        recordFault(
                "registry down " + options.outageSeconds() + " s, new schema sent",
                start,
                System.currentTimeMillis(),
                seen);
    }

    private void killAndRestart(String id) throws InterruptedException {
        WorkerJvm victim = workers.get(id);
        long start = System.currentTimeMillis();
        victim.kill();
        progress.accept("SIGKILL " + id + " (pid " + victim.pid() + "); restarting it on the same state dir");
        workers.put(id, launch(id));
        long end = System.currentTimeMillis();
        recordFault("SIGKILL " + id + ", restarted", start, end, List.of());
    }

    private void modelSwap() throws InterruptedException {
        String version = "chaos-" + options.swapTo().getParent().getFileName();
        long start = System.currentTimeMillis();
        cli(List.of(
                "models",
                "--bootstrap",
                stack.bootstrapServers(),
                "--registry",
                stack.registryUrl(),
                "publish",
                options.swapTo().toString(),
                "--encoder",
                options.encoderId(),
                "--as",
                version,
                "--by",
                "bench-chaos"));
        long end = awaitVersion("model " + version, start);
        recordFault("model version published: " + version, start, end, List.of());
    }

    private void policyChange() throws InterruptedException {
        long start = System.currentTimeMillis();
        cli(List.of(
                "policy",
                "set",
                "--bootstrap",
                stack.bootstrapServers(),
                "--registry",
                stack.registryUrl(),
                "--label",
                "hate",
                "--review",
                "0.45",
                "--block",
                "0.9",
                "--version",
                "chaos-1",
                "--description",
                "bench chaos"));
        long end = awaitVersion("policy chaos-1", start);
        recordFault("policy changed: chaos-1", start, end, List.of());
    }

    /** When labeled events first carried {@code version}: the swap or change took effect. */
    private long awaitVersion(String version, long since) throws InterruptedException {
        long deadline = since + RECOVERY_PATIENCE.toMillis();
        while (System.currentTimeMillis() < deadline) {
            OptionalLong seen = ledger.firstSeen(version);
            if (seen.isPresent()) {
                progress.accept(
                        version + " decided its first event after " + (seen.getAsLong() - since) / 1000.0 + " s");
                return seen.getAsLong();
            }
            if (producer.done() && complete()) {
                progress.accept(version + ": no traffic left to show it (a run shorter than its faults)");
                return System.currentTimeMillis();
            }
            checkWorkers();
            Thread.sleep(200);
        }
        throw new BenchmarkException(version + " decided no event within " + RECOVERY_PATIENCE.toSeconds() + " s");
    }

    /**
     * Waits out an outage, asking every worker's /health and /ready every few seconds; returns the
     * distinct answers (the seconds in a body are masked, so each kind of answer appears once).
     */
    private Set<String> watchOutage(int seconds) throws InterruptedException {
        progress.accept("outage of " + seconds + " s: asking the workers' /health and /ready every "
                + PROBE_EVERY_MS / 1000 + " s");
        Set<String> answers = new LinkedHashSet<>();
        long end = System.currentTimeMillis() + seconds * 1000L;
        while (System.currentTimeMillis() < end) {
            for (WorkerJvm w : workers.values()) {
                answers.add(w.role() + " /health " + mask(w.probe("/health")));
                answers.add(w.role() + " /ready " + mask(w.probe("/ready")));
            }
            checkWorkers();
            Thread.sleep(Math.min(PROBE_EVERY_MS, Math.max(1, end - System.currentTimeMillis())));
        }
        answers.forEach(a -> progress.accept("  " + a));
        return answers;
    }

    private static String mask(WorkerJvm.Probe probe) {
        return probe.toString().replaceAll("\\d+ s", "N s");
    }

    private void recordFault(String name, long start, long end, Collection<String> observed)
            throws InterruptedException {
        OptionalLong caught = awaitCaughtUp(end);
        long until = caught.orElse(System.currentTimeMillis());
        ChaosReport.Fault fault = new ChaosReport.Fault(
                name,
                (start - startMs) / 1000.0,
                (end - start) / 1000.0,
                caught.isPresent() ? Math.max(0, caught.getAsLong() - end) / 1000.0 : -1,
                ledger.maxLatency(start, until + 1),
                ledger.longestSilence(start, until),
                List.copyOf(observed));
        faults.add(fault);
        progress.accept(String.format(
                "%s: lasted %.1f s, caught up %s, max latency %.1f s",
                name,
                fault.faultSeconds(),
                caught.isPresent() ? String.format("%.1f s after", fault.recoveredSeconds()) : "never",
                fault.maxLatencyMs() / 1000.0));
    }

    private OptionalLong awaitCaughtUp(long fromMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + RECOVERY_PATIENCE.toMillis();
        long nextReport = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            if (System.currentTimeMillis() > nextReport) {
                progress.accept("  catching up: " + counts());
                nextReport += 15_000;
            }
            OptionalLong at = ledger.caughtUpAt(fromMs, thresholdMs, CAUGHT_UP_WINDOW_MS);
            if (at.isPresent()) {
                return at;
            }
            if (producer.done() && complete()) {
                return OptionalLong.of(System.currentTimeMillis()); // no traffic left to be late
            }
            checkWorkers();
            Thread.sleep(500);
        }
        return OptionalLong.empty();
    }

    /** A worker that died without being told to is counted and restarted, so the run goes on. */
    private void checkWorkers() {
        for (Map.Entry<String, WorkerJvm> e : workers.entrySet()) {
            if (!e.getValue().isAlive()) {
                unexpectedExits++;
                progress.accept("UNEXPECTED: worker " + e.getKey() + " exited; restarting it");
                e.setValue(launch(e.getKey()));
            }
        }
    }

    private String counts() {
        return String.format(
                "sent %d, labeled %d, dead-lettered %d, last minute's oldest text %.1f s",
                producer.sent(),
                ledger.labeledIds(),
                ledger.deadLetteredByKey().values().stream()
                        .mapToInt(Integer::intValue)
                        .sum(),
                ledger.maxLatency(System.currentTimeMillis() - 60_000, Long.MAX_VALUE) / 1000.0);
    }

    /** Every acknowledged event is accounted for: labeled, or dead-lettered (rightly or not). */
    private boolean complete() {
        Map<String, Integer> byKey = ledger.deadLetteredByKey();
        long bad = badDeadLettered(byKey).count();
        long good = byKey.values().stream().mapToLong(Integer::longValue).sum()
                - badDeadLettered(byKey).mapToLong(Map.Entry::getValue).sum();
        return ledger.labeledIds() + good >= producer.ackedGood().size()
                && bad >= producer.ackedBad().size();
    }

    /** Dead letters of bad records (keyed by their ids, {@code bad-<n>}), id by id. */
    private static Stream<Map.Entry<String, Integer>> badDeadLettered(Map<String, Integer> byKey) {
        return byKey.entrySet().stream().filter(e -> e.getKey().startsWith(SteadyProducer.BAD_PREFIX));
    }

    private void drain() throws InterruptedException {
        progress.accept("all " + producer.sent() + " events sent; waiting until each is labeled or dead-lettered");
        long lastProgress = System.currentTimeMillis();
        int lastCount = -1;
        while (!complete()) {
            int count = ledger.labeledIds();
            if (count != lastCount) {
                lastCount = count;
                lastProgress = System.currentTimeMillis();
            } else if (System.currentTimeMillis() - lastProgress > DRAIN_PATIENCE.toMillis()) {
                progress.accept(counts());
                progress.accept("nothing labeled for " + DRAIN_PATIENCE.toSeconds() + " s; counting what arrived");
                return;
            }
            checkWorkers();
            Thread.sleep(500);
        }
        // Duplicates would come after the originals: give the workers' last commits time to show any.
        Thread.sleep(10_000);
    }

    private ChaosReport report(long[] baseline) {
        Set<String> good = producer.ackedGood();
        long lost = good.stream().filter(id -> !ledger.wasLabeled(id)).count();
        Map<String, Integer> byKey = ledger.deadLetteredByKey();
        long badDeadLettered = badDeadLettered(byKey)
                .filter(e -> producer.ackedBad().contains(e.getKey()))
                .count();
        long badTwice = badDeadLettered(byKey).filter(e -> e.getValue() > 1).count();
        long goodDeadLettered = byKey.entrySet().stream()
                .filter(e -> !e.getKey().startsWith(SteadyProducer.BAD_PREFIX))
                .mapToLong(Map.Entry::getValue)
                .sum();
        Map<String, Long> versions = new LinkedHashMap<>(ledger.modelVersions());
        versions.putAll(ledger.policyVersions());
        Map<String, Long> memory = new LinkedHashMap<>();
        workers.forEach((id, w) -> {
            JvmMemory m = JvmMemory.of(w.pid());
            memory.put(id + " heap", m.heapUsedKb() / 1024);
            memory.put(id + " RSS", m.rssKb() / 1024);
        });
        return new ChaosReport(
                Machine.current().describe(),
                options.command(),
                good.size(),
                good.size() - lost,
                lost,
                ledger.duplicates(),
                ledger.outOfOrder(),
                goodDeadLettered,
                producer.ackedBad().size(),
                badDeadLettered,
                badTwice,
                ledger.reasons(),
                unexpectedExits,
                producer.evolvedSent(),
                baseline[0],
                baseline[1],
                thresholdMs,
                List.copyOf(faults),
                versions,
                memory,
                (System.currentTimeMillis() - startMs) / 1000.0);
    }

    private void startWorker(String role, String id) {
        progress.accept("starting worker " + id + " (" + role + ")");
        roles.put(id, role);
        workers.put(id, launch(id));
    }

    /** Starts worker {@code id} (again) on its own state dir, as a restarted pod would be. */
    private WorkerJvm launch(String id) {
        return WorkerJvm.start(
                roles.get(id),
                WorkerJvm.launcherClasspath(),
                List.of("-Xmx" + WORKER_HEAP, "-XX:+UseSerialGC"),
                List.of(
                        "--worker-id",
                        id,
                        "--bootstrap",
                        stack.bootstrapServers(),
                        "--registry",
                        stack.registryUrl(),
                        "--encoder",
                        options.encoderId(),
                        "--heads",
                        options.heads().toString(),
                        "--device",
                        options.device()),
                options.dataDir().resolve("workers").resolve(id),
                WORKER_START);
    }

    private Path logDir() {
        return options.dataDir().resolve("logs");
    }

    /** Runs a {@code streamguard} command in its own JVM, as an operator would; it must exit 0. */
    private void cli(List<String> args) throws InterruptedException {
        List<String> jvm = new ArrayList<>(List.of("-cp", WorkerJvm.launcherClasspath(), WorkerJvm.CLI_MAIN));
        jvm.addAll(args);
        Path log = logDir().resolve("cli-" + args.get(0) + ".log");
        try {
            Files.createDirectories(logDir());
        } catch (IOException e) {
            throw new BenchmarkException("cannot create " + logDir() + ": " + e.getMessage(), e);
        }
        ChildJvm child =
                ChildJvm.launch("streamguard " + args.get(0), "cli", jvm, logDir(), log, Duration.ofSeconds(10));
        try {
            int status = child.onExit().get(120, TimeUnit.SECONDS);
            if (status != 0) {
                throw new BenchmarkException("streamguard " + String.join(" ", args.subList(0, 2)) + " exited " + status
                        + ": " + child.logTail());
            }
        } catch (TimeoutException | ExecutionException e) {
            throw new BenchmarkException("streamguard " + args.get(0) + " did not finish: " + child.logTail(), e);
        } finally {
            child.stop(true);
        }
    }
}
