package io.streamguard.launcher.bench;

import io.streamguard.avro.LabeledEvent;
import io.streamguard.avro.TextEvent;
import io.streamguard.launcher.cli.LauncherException;
import io.streamguard.launcher.stack.EmbeddedStack;
import io.streamguard.launcher.stack.WorkerJvm;
import io.streamguard.schemas.Topics;
import io.streamguard.schemas.serde.AvroSerde;
import io.streamguard.topology.hostile.HostileCorpus;
import io.streamguard.topology.hostile.HostileRecord;
import io.streamguard.topology.hostile.Mutants;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Hostile input against worker JVMs on a real broker (issue 16): an embedded broker and registry, one
 * {@code streamguard worker --role tokenizer} and one {@code --role inference} JVM (exactly_once_v2, the
 * heads the workers serve by default), then per pass the hand-written corpus ({@link HostileCorpus}), a
 * record at the broker's maximum size and {@code mutants} fuzzed records ({@link Mutants}), interleaved
 * with valid events ({@link HostileTraffic}). A {@code read_committed} consumer of {@code text-labeled} and {@code text-events-dlq}
 * accounts for every record ({@link HostileLedger}); each worker's heap after a full GC and its RSS are
 * taken before the corpus and after each pass, so a second pass of the same records shows whether memory
 * stays bounded. {@code streamguard bench hostile} is the command-line front; HostileInputIT runs it small.
 */
final class HostileBenchmark {
    static final int DEFAULT_MUTANTS = 10_000;
    static final int DEFAULT_PASSES = 2;
    /** Heap of each worker JVM: fixed, so that growth shows as heap in use rather than as a heap that grew. */
    static final String WORKER_HEAP = "-Xmx512m";

    private static final int WARMUP_EVENTS = 16;
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
    /** How long the outcomes may stop arriving before the missing records count as lost. */
    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(120);

    /**
     * What to run.
     *
     * @param heads the heads file of the inference worker
     * @param mutants fuzzed records per pass
     * @param seed the fuzzer's seed (every pass sends the same mutants)
     * @param passes how many times the same records are sent
     * @param partitions partitions of the topics
     * @param classpath the worker JVMs' classpath (the launcher's jar and lib)
     * @param dataDir broker, registry and worker state (deleted after)
     */
    record Options(Path heads, int mutants, long seed, int passes, int partitions, String classpath, Path dataDir) {
        Options {
            Objects.requireNonNull(heads, "heads");
            Objects.requireNonNull(classpath, "classpath");
            Objects.requireNonNull(dataDir, "dataDir");
            if (mutants < 0 || passes < 1 || partitions < 1) {
                throw new IllegalArgumentException("mutants must be >= 0, passes and partitions >= 1");
            }
        }
    }

    private HostileBenchmark() {}

    /**
     * Runs it; {@code progress} hears a line per step.
     *
     * @throws LauncherException if the stack or a worker does not start
     */
    static HostileReport run(Options options, Consumer<String> progress) {
        progress.accept("starting broker and registry (" + options.partitions() + " partitions)");
        try (EmbeddedStack stack = EmbeddedStack.builder()
                .dataDir(options.dataDir().resolve("stack"))
                .ephemeralPorts()
                .partitions(options.partitions())
                .start()) {
            int maxRecordBytes = maxMessageBytes(stack);
            List<String> workerArgs = List.of(
                    "--bootstrap", stack.bootstrapServers(),
                    "--registry", stack.registryUrl(),
                    "--heads", options.heads().toString());
            List<WorkerJvm> workers = new ArrayList<>();
            try {
                // Side by side: the inference worker's model load is most of the wait.
                List<CompletableFuture<WorkerJvm>> starting = new ArrayList<>();
                for (String role : List.of("tokenizer", "inference")) {
                    progress.accept("starting a " + role + " worker JVM");
                    starting.add(CompletableFuture.supplyAsync(() -> WorkerJvm.start(
                            role,
                            options.classpath(),
                            List.of(WORKER_HEAP),
                            concat(workerArgs, List.of("--worker-id", "hostile-" + role)),
                            options.dataDir().resolve("workers"),
                            READY_TIMEOUT)));
                }
                RuntimeException failed = null;
                for (CompletableFuture<WorkerJvm> f : starting) {
                    try {
                        workers.add(f.join());
                    } catch (CompletionException e) {
                        failed = e.getCause() instanceof RuntimeException r ? r : e;
                    }
                }
                if (failed != null) {
                    throw failed;
                }
                return measure(options, stack, maxRecordBytes, workers, progress);
            } finally {
                workers.forEach(WorkerJvm::close);
            }
        } finally {
            DataDirs.deleteQuietly(options.dataDir());
        }
    }

    private static HostileReport measure(
            Options options,
            EmbeddedStack stack,
            int maxRecordBytes,
            List<WorkerJvm> workers,
            Consumer<String> progress) {
        Map<String, String> registry = Map.of("schema.registry.url", stack.registryUrl());
        AvroSerde<TextEvent> textEvents = AvroSerde.specific(TextEvent.class);
        textEvents.configure(registry, false);
        AvroSerde<LabeledEvent> labeledEvents = AvroSerde.specific(LabeledEvent.class);
        labeledEvents.configure(registry, false);
        Function<TextEvent, byte[]> serializer = e -> textEvents.serializer().serialize(Topics.TEXT_EVENTS, e);
        HostileLedger ledger = new HostileLedger();
        List<List<JvmMemory>> memory = new ArrayList<>();
        workers.forEach(w -> memory.add(new ArrayList<>()));
        List<HostileReport.Pass> passes = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = producer(stack, maxRecordBytes);
                KafkaConsumer<byte[], byte[]> outcomes = outcomes(stack)) {
            List<HostileRecord> warmup = new ArrayList<>();
            for (int i = 0; i < WARMUP_EVENTS; i++) {
                warmup.add(HostileTraffic.valid("warm-", i, serializer));
            }
            progress.accept("warming up with " + WARMUP_EVENTS + " valid events");
            sendAndAccount(0, warmup, producer, outcomes, ledger, labeledEvents, progress);
            takeMemory(workers, memory, "before the corpus", progress);
            for (int pass = 1; pass <= options.passes(); pass++) {
                List<HostileRecord> records = HostileTraffic.pass(
                        "p" + pass + "-", options.mutants(), options.seed(), maxRecordBytes, serializer);
                progress.accept("pass " + pass + ": sending " + records.size() + " records");
                double seconds = sendAndAccount(pass, records, producer, outcomes, ledger, labeledEvents, progress);
                passes.add(new HostileReport.Pass(pass, seconds, ledger.rows(pass), ledger.unknown()));
                takeMemory(workers, memory, "after pass " + pass, progress);
            }
        }
        List<HostileReport.Worker> ends = new ArrayList<>();
        for (int i = 0; i < workers.size(); i++) {
            WorkerJvm w = workers.get(i);
            ends.add(new HostileReport.Worker(w.role(), List.copyOf(memory.get(i)), w.isAlive(), w.health()));
        }
        return new HostileReport(
                Machine.current(),
                options.heads().toString(),
                options.mutants(),
                options.seed(),
                options.partitions(),
                maxRecordBytes,
                passes,
                ends);
    }

    /** Sends {@code records}, then reads outcomes until each has one; returns the seconds it took. */
    private static double sendAndAccount(
            int pass,
            List<HostileRecord> records,
            KafkaProducer<String, byte[]> producer,
            KafkaConsumer<byte[], byte[]> outcomes,
            HostileLedger ledger,
            AvroSerde<LabeledEvent> labeledEvents,
            Consumer<String> progress) {
        long start = System.nanoTime();
        for (HostileRecord r : records) {
            ledger.expect(r, pass);
            producer.send(new ProducerRecord<>(Topics.TEXT_EVENTS, null, r.key(), r.value(), r.headers()), (m, e) -> {
                if (e != null) {
                    ledger.refused(r.id(), e);
                } else {
                    ledger.sent(r.id(), m.partition(), m.offset());
                }
            });
        }
        producer.flush();
        long lastOutcome = System.nanoTime();
        int seen = ledger.outcomes();
        long lastLog = 0;
        while (!ledger.complete(pass) && System.nanoTime() - lastOutcome < STALL_TIMEOUT.toNanos()) {
            read(outcomes.poll(Duration.ofMillis(500)), ledger, labeledEvents);
            if (ledger.outcomes() > seen) {
                seen = ledger.outcomes();
                lastOutcome = System.nanoTime();
            }
            if (System.nanoTime() - lastLog > TimeUnit.SECONDS.toNanos(10)) {
                lastLog = System.nanoTime();
                progress.accept((pass == 0 ? "warm-up" : "pass " + pass) + ": " + seen + " outcomes so far");
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        // Whatever is committed by now, duplicates included, is read before the pass is judged.
        Map<TopicPartition, Long> end = outcomes.endOffsets(outcomes.assignment());
        while (end.entrySet().stream().anyMatch(e -> outcomes.position(e.getKey()) < e.getValue())) {
            read(outcomes.poll(Duration.ofMillis(500)), ledger, labeledEvents);
        }
        return seconds;
    }

    private static void read(
            Iterable<ConsumerRecord<byte[], byte[]>> records,
            HostileLedger ledger,
            AvroSerde<LabeledEvent> labeledEvents) {
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (r.topic().equals(Topics.TEXT_LABELED)) {
                ledger.labeled(
                        r,
                        labeledEvents
                                .deserializer()
                                .deserialize(r.topic(), r.value())
                                .getId());
            } else {
                ledger.deadLettered(r);
            }
        }
    }

    private static void takeMemory(
            List<WorkerJvm> workers, List<List<JvmMemory>> memory, String when, Consumer<String> progress) {
        for (int i = 0; i < workers.size(); i++) {
            WorkerJvm w = workers.get(i);
            if (!w.isAlive()) {
                throw new BenchmarkException(
                        "the " + w.role() + " worker exited; last lines of " + w.logFile() + ":\n" + w.logTail());
            }
            JvmMemory m = JvmMemory.of(w.pid());
            memory.get(i).add(m);
            progress.accept(String.format(
                    "%s worker %s: heap %,d KB after GC, RSS %,d KB", w.role(), when, m.heapUsedKb(), m.rssKb()));
        }
    }

    /** The broker's largest record on text-events ({@code max.message.bytes}, the broker's default unless set). */
    private static int maxMessageBytes(EmbeddedStack stack) {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.TEXT_EVENTS);
        try (Admin admin = stack.admin()) {
            Config config = admin.describeConfigs(List.of(topic))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .get(topic);
            return Integer.parseInt(
                    config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value());
        } catch (ExecutionException | TimeoutException e) {
            throw new BenchmarkException("cannot read max.message.bytes of " + Topics.TEXT_EVENTS + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchmarkException("interrupted while reading the broker's configs");
        }
    }

    /**
     * The hostile producer: idempotent, and a request limit a little over the broker's record limit (the
     * producer checks an upper bound of a record's size, a few bytes over its real batch).
     */
    private static KafkaProducer<String, byte[]> producer(EmbeddedStack stack, int maxRecordBytes) {
        Map<String, Object> p = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.LINGER_MS_CONFIG,
                5,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                maxRecordBytes + 1024);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** A read_committed reader of text-labeled and the dead-letter topic, from their beginning. */
    private static KafkaConsumer<byte[], byte[]> outcomes(EmbeddedStack stack) {
        Map<String, Object> p = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false);
        KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(Topics.TEXT_LABELED, Topics.TEXT_EVENTS_DLQ)) {
            consumer.partitionsFor(topic).forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
