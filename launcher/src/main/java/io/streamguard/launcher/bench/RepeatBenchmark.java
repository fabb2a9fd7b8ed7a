package io.streamguard.launcher.bench;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamguard.avro.LabeledEvent;
import io.streamguard.launcher.client.StreamsRunning;
import io.streamguard.launcher.stack.EmbeddedStack;
import io.streamguard.launcher.traffic.DemoTraffic;
import io.streamguard.launcher.traffic.LoadGenerator;
import io.streamguard.launcher.traffic.TopicDrain;
import io.streamguard.model.encoder.Precision;
import io.streamguard.schemas.Topics;
import io.streamguard.topology.ClassifierScorer;
import io.streamguard.topology.Worker;
import io.streamguard.topology.WorkerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;

/**
 * {@code streamguard bench repeats}: the worker's repeat cache on traffic that repeats itself, through the real
 * broker at saturation. Four runs on one warm model, each a fresh worker of its own application: the repeating
 * stream with the cache off and on, and as many distinct texts with it off and on (what the cache costs when
 * nothing repeats). Every labeled event is collected: each id must be labeled exactly once, and the
 * two runs of the repeating stream must decide every event alike.
 */
final class RepeatBenchmark {

    static final int DEFAULT_EVENTS = 2_000;
    static final double DEFAULT_SHARE = 0.3;
    private static final long SEED = 1818;
    private static final int BATCH = 256;
    private static final int ENGINE_BATCH = 32;
    private static final int WARMUP_EVENTS = 64;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    /**
     * @param events texts per run
     * @param share the expected share of repeats in the repeating stream
     */
    record Options(
            String encoderId,
            Path heads,
            Path datasets,
            int events,
            double share,
            int partitions,
            String device,
            Precision precision,
            Path dataDir) {
        Options {
            Objects.requireNonNull(encoderId, "encoderId");
            Objects.requireNonNull(heads, "heads");
            Objects.requireNonNull(datasets, "datasets");
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(precision, "precision");
            Objects.requireNonNull(dataDir, "dataDir");
            if (events < 1 || partitions < 1 || !(share >= 0 && share < 1)) {
                throw new IllegalArgumentException("events and partitions must be positive, the share in [0, 1)");
            }
        }
    }

    private RepeatBenchmark() {}

    static RepeatReport run(Options options, Consumer<String> progress) {
        List<String> fresh = DemoTraffic.load(options.datasets(), options.events()).stream()
                .map(DemoTraffic.Sample::text)
                .toList();
        if (fresh.size() < options.events()) {
            throw new BenchmarkException(
                    "the datasets hold only " + fresh.size() + " texts, " + options.events() + " asked");
        }
        List<String> repeating = RepeatStream.of(fresh, options.events(), options.share(), SEED);
        int distinctInStream = new HashSet<>(repeating).size();
        progress.accept("starting broker and registry (" + options.partitions() + " partitions)");
        try (EmbeddedStack stack = EmbeddedStack.builder()
                        .dataDir(options.dataDir())
                        .ephemeralPorts()
                        .partitions(options.partitions())
                        .start();
                ClassifierScorer scorer = ClassifierScorer.load(config(options, stack, "load", 0));
                LoadGenerator traffic = new LoadGenerator(stack.bootstrapServers(), stack.registryUrl())) {
            Map<Integer, LabeledEvent> off = new HashMap<>();
            Map<Integer, LabeledEvent> on = new HashMap<>();
            List<RepeatReport.Run> runs = new ArrayList<>();
            runs.add(measure("repeats, cache off", repeating, 0, options, stack, scorer, traffic, off, progress));
            runs.add(measure(
                    "repeats, cache on",
                    repeating,
                    WorkerConfig.DEFAULT_REPEAT_CACHE_ENTRIES,
                    options,
                    stack,
                    scorer,
                    traffic,
                    on,
                    progress));
            runs.add(measure(
                    "distinct, cache off", fresh, 0, options, stack, scorer, traffic, new HashMap<>(), progress));
            runs.add(measure(
                    "distinct, cache on",
                    fresh,
                    WorkerConfig.DEFAULT_REPEAT_CACHE_ENTRIES,
                    options,
                    stack,
                    scorer,
                    traffic,
                    new HashMap<>(),
                    progress));
            return new RepeatReport(
                    Machine.current(),
                    options.encoderId(),
                    scorer.heads().version(),
                    scorer.precision(),
                    options.events(),
                    options.share(),
                    options.events() - distinctInStream,
                    runs,
                    runs.get(1).eventsPerSecond() / runs.get(0).eventsPerSecond(),
                    runs.get(3).eventsPerSecond() / runs.get(2).eventsPerSecond(),
                    RepeatReport.Agreement.of(off, on));
        } finally {
            DataDirs.deleteQuietly(options.dataDir());
        }
    }

    private static RepeatReport.Run measure(
            String name,
            List<String> texts,
            int cacheEntries,
            Options options,
            EmbeddedStack stack,
            ClassifierScorer scorer,
            LoadGenerator traffic,
            Map<Integer, LabeledEvent> labeled,
            Consumer<String> progress) {
        String run = "r" + name.replaceAll("[^a-z]+", "");
        progress.accept(name + ": " + texts.size() + " events at saturation");
        try (Admin admin = stack.admin()) {
            TopicDrain.drain(admin, Topics.TEXT_EVENTS);
        }
        Worker worker = Worker.start(config(options, stack, run, cacheEntries), c -> BenchWorker.shared(scorer));
        try {
            StreamsRunning.await("the bench worker", worker::state, READY_TIMEOUT);
            // Texts of their own, so the warm-up fills no cache entry the measured run could hit.
            traffic.send(
                    "warm-" + run,
                    IntStream.range(0, WARMUP_EVENTS)
                            .mapToObj(i -> "warm-up text number " + i + " of " + run)
                            .toList(),
                    0);
            double hitsBefore = count(worker.meters(), "hit");
            double missesBefore = count(worker.meters(), "miss");
            Set<String> ids = new HashSet<>();
            int[] duplicates = {0};
            LoadGenerator.Result result = traffic.send(run, texts, 0, event -> {
                if (!ids.add(event.getId())) {
                    duplicates[0]++;
                }
                String id = event.getId();
                labeled.put(Integer.parseInt(id.substring(id.lastIndexOf('-') + 1)), event);
            });
            long hits = Math.round(count(worker.meters(), "hit") - hitsBefore);
            long misses = Math.round(count(worker.meters(), "miss") - missesBefore);
            RepeatReport.Run row = new RepeatReport.Run(
                    name,
                    cacheEntries,
                    new HashSet<>(texts).size(),
                    result.labeled(),
                    ids.size(),
                    duplicates[0],
                    result.seconds(),
                    result.labeled() / result.seconds(),
                    result.p50Ms(),
                    result.p99Ms(),
                    hits,
                    misses);
            progress.accept(
                    String.format("%s: %.1f events/s, %d hits, %d misses", name, row.eventsPerSecond(), hits, misses));
            return row;
        } finally {
            worker.close();
        }
    }

    private static double count(MeterRegistry meters, String result) {
        return meters.find("streamguard.repeat.cache").tag("result", result).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private static WorkerConfig config(Options options, EmbeddedStack stack, String run, int cacheEntries) {
        return BenchWorker.config(
                new BenchWorker.Settings(
                        options.encoderId(),
                        options.heads(),
                        options.device(),
                        BATCH,
                        ENGINE_BATCH,
                        20,
                        Guarantee.EXACTLY_ONCE_V2),
                stack,
                options.dataDir().resolve("streams"),
                run,
                Map.of(
                        WorkerConfig.REPEAT_CACHE_ENTRIES,
                        Integer.toString(cacheEntries),
                        WorkerConfig.MODEL_PRECISION,
                        options.precision().label()));
    }
}
