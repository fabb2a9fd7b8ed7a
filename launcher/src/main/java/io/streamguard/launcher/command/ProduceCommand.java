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
import io.streamguard.launcher.input.InvalidLines;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
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
            "A missing/empty id gets a random UUID. Blank lines are skipped. A file is checked whole before"
                    + " anything is sent: a malformed line sends nothing (exit 2, with its line number). Stdin is"
                    + " sent as it is read (it may never end): a malformed line stops there, and the records"
                    + " before it have been sent.",
            "--skip-invalid sends the valid lines and lists the invalid ones at the end (exit 2 only if none was"
                    + " valid); --dry-run checks the input and sends nothing.",
            "An empty text is refused as a mistake; --allow-empty sends it, and the pipeline dead-letters it"
                    + " (reason EMPTY_TEXT)."
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

    @Option(names = "--skip-invalid", description = "Send the valid lines; list the invalid ones at the end.")
    boolean skipInvalid;

    @Option(names = "--dry-run", description = "Check the whole input and report; send nothing (no broker needed).")
    boolean dryRun;

    @Option(
            names = "--allow-empty",
            description = "Send events with an empty text (the pipeline dead-letters them as EMPTY_TEXT).")
    boolean allowEmpty;

    @Override
    public Integer call() throws IOException {
        String registryUrl = registry.url(); // validate before touching input or broker
        InputFormat effective =
                format != null ? format : "-".equals(file) ? InputFormat.JSONL : InputFormat.forFileName(file);
        boolean stdin = "-".equals(file);
        InvalidLines invalid = new InvalidLines(stdin ? "stdin" : file);
        PrintWriter out = spec.commandLine().getOut();
        if (dryRun || (!stdin && !skipInvalid)) {
            // A file is read twice, so a bad line is found before anything is sent.
            long valid;
            try (InputStream in = open()) {
                valid = check(new EventReader(in, effective, allowEmpty), invalid);
            }
            if (dryRun) {
                out.println("Dry run: " + valid + " valid record" + (valid == 1 ? "" : "s") + " for " + topic
                        + (invalid.isEmpty() ? "" : ", " + invalid.summary()) + "; nothing was sent");
                out.flush();
                reportInvalid(invalid);
                return invalid.isEmpty() || (skipInvalid && valid > 0) ? 0 : 2;
            }
            if (!invalid.isEmpty()) {
                throw usage(invalid.where(invalid.first()) + "; " + invalid.summary()
                        + ", nothing was sent (--skip-invalid sends the valid lines, --dry-run lists the problems)");
            }
        }
        try (InputStream in = open()) {
            try (Admin admin = KafkaClients.admin(bootstrap.bootstrap)) {
                KafkaClients.requireTopic(admin, bootstrap.bootstrap, topic);
            }
            long sent = produce(new EventReader(in, effective, allowEmpty), registryUrl, invalid);
            out.println("Produced " + sent + " record" + (sent == 1 ? "" : "s") + " to " + topic
                    + (invalid.isEmpty() ? "" : "; skipped " + invalid.summary()));
            out.flush();
            reportInvalid(invalid);
            if (sent == 0 && !invalid.isEmpty()) {
                throw usage("no valid line in " + (stdin ? "stdin" : file) + ": " + invalid.summary());
            }
        }
        return 0;
    }

    /** Reads the whole input, gathering its bad lines; returns the number of valid events. */
    private static long check(EventReader reader, InvalidLines invalid) {
        long valid = 0;
        while (true) {
            try {
                if (reader.next().isEmpty()) {
                    return valid;
                }
                valid++;
            } catch (InputFormatException e) {
                invalid.add(e);
            }
        }
    }

    private void reportInvalid(InvalidLines invalid) {
        PrintWriter err = spec.commandLine().getErr();
        invalid.details().forEach(err::println);
        err.flush();
    }

    /** Sends every event; a bad line is skipped into {@code invalid} with --skip-invalid, else a usage error. */
    private long produce(EventReader reader, String registryUrl, InvalidLines invalid) {
        AtomicLong acked = new AtomicLong();
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        long sent = 0;
        // The producer owns (and closes) the serializers.
        try (KafkaProducer<String, TextEvent> producer = new KafkaProducer<>(
                producerConfig(), new StringSerializer(), AvroSerdes.textEventSerializer(registryUrl))) {
            while (firstFailure.get() == null) {
                Optional<InputEvent> next;
                try {
                    next = reader.next();
                } catch (InputFormatException e) {
                    if (skipInvalid) {
                        invalid.add(e);
                        continue;
                    }
                    throw usage(invalid.where(e) + progress(producer, acked));
                }
                if (next.isEmpty()) {
                    break;
                }
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

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
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
