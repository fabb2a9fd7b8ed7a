package io.streamguard.launcher.command;

import io.streamguard.avro.TextEvent;
import io.streamguard.launcher.cli.LauncherException;
import io.streamguard.launcher.cli.Messages;
import io.streamguard.launcher.client.AvroSerdes;
import io.streamguard.launcher.client.KafkaClients;
import io.streamguard.launcher.input.EventReader;
import io.streamguard.launcher.input.InputEvent;
import io.streamguard.launcher.input.InputFormat;
import io.streamguard.launcher.input.InputFormatException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code streamguard produce}: JSONL/TSV lines → Avro {@code TextEvent} records keyed by id. */
@Command(
        name = "produce",
        mixinStandardHelpOptions = true,
        description = {
            "Send text events from a file or stdin as Avro TextEvent records (key = id).",
            "jsonl: one object per line with fields id, text (required), language, source, author,"
                    + " eventTime (ISO-8601 or epoch millis), attributes (object of strings).",
            "tsv:   id<TAB>text per line (split at the first tab).",
            "A missing/empty id gets a random UUID. Blank lines are skipped; any malformed line stops"
                    + " the run with its line number (records before it have been sent)."
        })
public final class ProduceCommand implements Callable<Integer> {
    @Mixin
    ClientOptions.Bootstrap bootstrap;

    @Mixin
    ClientOptions.Registry registry;

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-t", "--topic"},
            required = true,
            paramLabel = "TOPIC",
            description = "Target topic.")
    String topic;

    @Option(
            names = "--format",
            paramLabel = "jsonl|tsv",
            description = "Input format; default: tsv for *.tsv/*.tab files, otherwise jsonl.")
    InputFormat format;

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "FILE",
            defaultValue = "-",
            description = "Input file, or - for stdin (default).")
    String file;

    @Override
    public Integer call() throws IOException {
        String registryUrl = registry.url(); // validate before touching input or broker
        InputFormat effective =
                format != null ? format : "-".equals(file) ? InputFormat.JSONL : InputFormat.forFileName(file);
        try (InputStream in = open()) {
            try (Admin admin = KafkaClients.admin(bootstrap.bootstrap)) {
                KafkaClients.requireTopic(admin, bootstrap.bootstrap, topic);
            }
            long sent = produce(new EventReader(in, effective), registryUrl);
            spec.commandLine()
                    .getOut()
                    .println("Produced " + sent + " record" + (sent == 1 ? "" : "s") + " to " + topic);
            spec.commandLine().getOut().flush();
        }
        return 0;
    }

    private long produce(EventReader reader, String registryUrl) {
        AtomicLong acked = new AtomicLong();
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        long sent = 0;
        // The producer owns (and closes) the serializers.
        try (KafkaProducer<String, TextEvent> producer = new KafkaProducer<>(
                producerConfig(), new StringSerializer(), AvroSerdes.textEventSerializer(registryUrl))) {
            try {
                Optional<InputEvent> next;
                while ((next = reader.next()).isPresent() && firstFailure.get() == null) {
                    InputEvent event = next.get();
                    try {
                        producer.send(new ProducerRecord<>(topic, event.id(), event.toAvro()), (metadata, error) -> {
                            if (error == null) {
                                acked.incrementAndGet();
                            } else {
                                firstFailure.compareAndSet(null, error);
                            }
                        });
                    } catch (SerializationException e) {
                        throw new LauncherException(
                                "line "
                                        + event.lineNumber()
                                        + ": could not encode the record: "
                                        + AvroSerdes.describe(e)
                                        + progress(producer, acked),
                                e);
                    }
                    sent++;
                }
            } catch (InputFormatException e) {
                throw e.withSuffix(progress(producer, acked));
            }
            producer.flush();
        }
        if (firstFailure.get() != null) {
            throw new LauncherException(
                    "sending to "
                            + topic
                            + " failed after "
                            + acked.get()
                            + " of "
                            + sent
                            + " records: "
                            + Messages.rootMessage(firstFailure.get()),
                    firstFailure.get());
        }
        return acked.get();
    }

    /** Flushes what was sent so far, so the error message can say exactly how much got through. */
    private static String progress(KafkaProducer<String, TextEvent> producer, AtomicLong acked) {
        producer.flush();
        return " (" + acked.get() + " earlier record" + (acked.get() == 1 ? " was" : "s were") + " produced)";
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> conf = KafkaClients.common(bootstrap.bootstrap, "streamguard-cli-producer");
        conf.put(ProducerConfig.ACKS_CONFIG, "all");
        conf.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        conf.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, KafkaClients.API_TIMEOUT_MS);
        conf.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        return conf;
    }

    private InputStream open() {
        if ("-".equals(file)) {
            return new BufferedInputStream(System.in) {
                @Override
                public void close() {
                    // leave the process's stdin open
                }
            };
        }
        Path path = Path.of(file);
        if (!Files.exists(path)) {
            throw new ParameterException(spec.commandLine(), "file not found: " + file);
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new ParameterException(spec.commandLine(), "not a readable file: " + file);
        }
        try {
            return new BufferedInputStream(Files.newInputStream(path), 64 * 1024);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "cannot open " + file + ": " + e.getMessage());
        }
    }
}
