package io.streamguard.launcher.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamguard.avro.Feedback;
import io.streamguard.launcher.cli.LauncherException;
import io.streamguard.launcher.client.ClientSecurity;
import io.streamguard.launcher.client.KafkaClients;
import io.streamguard.launcher.client.KeyedRecords;
import io.streamguard.schemas.Topics;
import io.streamguard.schemas.serde.AvroSerde;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code streamguard feedback}: moderators' verdicts to {@code moderation-feedback}. */
@Command(
        name = "feedback",
        mixinStandardHelpOptions = true,
        description = {
            "Send moderator verdicts to moderation-feedback, where the retrainer learns from them.",
            "One: --id ID --label spam=true [--label hate=false] [--text TEXT]; many: --file verdicts.jsonl, one"
                    + " {\"id\": ..., \"labels\": {\"spam\": true}, \"text\": ..., \"moderator\": ..., \"note\": ...} per"
                    + " line.",
            "Without --text the retrainer takes the text from the labeled event with that id.",
            "Labels must be moderation labels of the live model (--encoder); an id that is not on text-labeled is a"
                    + " warning when the verdict has its text, and refused without it (nothing to learn from)."
        })
public final class FeedbackCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions.Bootstrap bootstrap;

    @Mixin
    ClientOptions.Registry registry;

    @Mixin
    ModelOptions model;

    @Option(names = "--id", paramLabel = "EVENT_ID", description = "The judged event's id.")
    String id;

    @Option(names = "--label", paramLabel = "LABEL=true|false", description = "A verdict (repeatable).")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(names = "--text", paramLabel = "TEXT", description = "The judged text (optional).")
    String text;

    @Option(names = "--note", paramLabel = "NOTE", description = "The moderator's note, e.g. why (optional).")
    String note;

    @Option(names = "--file", paramLabel = "FILE", description = "JSON lines of verdicts.")
    Path file;

    @Option(names = "--moderator", paramLabel = "WHO", description = "Who judged (default: the user name).")
    String moderator;

    @Option(
            names = "--topic",
            paramLabel = "TOPIC",
            defaultValue = Topics.MODERATION_FEEDBACK,
            description = "Default: ${DEFAULT-VALUE}.")
    String topic;

    @Option(
            names = "--labeled-topic",
            paramLabel = "TOPIC",
            defaultValue = Topics.TEXT_LABELED,
            description = "Where the judged events' ids are looked up; default: ${DEFAULT-VALUE}.")
    String labeledTopic;

    @Override
    public Integer call() {
        String who = moderator != null ? moderator : System.getProperty("user.name", "unknown");
        List<Feedback> verdicts = new ArrayList<>();
        if (file != null) {
            if (id != null || !labels.isEmpty() || text != null || note != null) {
                throw usage("--file excludes --id, --label, --text and --note");
            }
            verdicts.addAll(readFile(who));
        } else {
            if (id == null || id.isBlank()) {
                throw usage("give --id ID --label LABEL=true|false, or --file FILE");
            }
            if (labels.isEmpty()) {
                throw usage("--id " + id + " needs at least one --label LABEL=true|false");
            }
            Map<String, Boolean> parsed = new LinkedHashMap<>();
            labels.forEach((label, value) -> parsed.put(label, bool(label, value, "--label")));
            verdicts.add(feedback(id, parsed, text, who, note));
        }
        String registryUrl = registry.url();
        Set<String> labelNames = new TreeSet<>();
        verdicts.forEach(f -> f.getVerdicts().keySet().forEach(l -> labelNames.add(l.toString())));
        model.requireKnown(model.read(bootstrap.bootstrap, registryUrl), labelNames);
        checkIds(verdicts);
        Map<String, Object> conf = KafkaClients.common(bootstrap.bootstrap, "streamguard-cli-feedback");
        conf.put(ProducerConfig.ACKS_CONFIG, "all");
        conf.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, KafkaClients.API_TIMEOUT_MS);
        conf.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        try (AvroSerde<Feedback> serde = AvroSerde.specific(Feedback.class)) {
            serde.configure(ClientSecurity.current().registry(registryUrl), false);
            try (KafkaProducer<String, Feedback> producer =
                    new KafkaProducer<>(conf, new StringSerializer(), serde.serializer())) {
                List<Future<?>> sent = new ArrayList<>();
                for (Feedback f : verdicts) {
                    sent.add(producer.send(new ProducerRecord<>(topic, f.getEventId(), f)));
                }
                for (Future<?> f : sent) {
                    f.get(KafkaClients.API_TIMEOUT_MS + 16_000L, TimeUnit.MILLISECONDS);
                }
            } catch (ExecutionException | TimeoutException e) {
                throw KafkaClients.unreachable(bootstrap.bootstrap, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LauncherException("interrupted while sending feedback");
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("Sent " + verdicts.size() + " verdict(s) to " + topic + ".");
        out.flush();
        return 0;
    }

    /**
     * Warns about verdicts on ids that are not on {@code labeledTopic} but carry their text; refuses those without:
     * the retrainer joins a text-less verdict with the labeled event, so it could never learn from them.
     */
    private void checkIds(List<Feedback> verdicts) {
        Set<String> ids = new LinkedHashSet<>();
        verdicts.forEach(f -> ids.add(f.getEventId()));
        Set<String> found = KeyedRecords.present(bootstrap.bootstrap, labeledTopic, ids);
        Set<String> warned = new TreeSet<>();
        Set<String> refused = new TreeSet<>();
        for (Feedback f : verdicts) {
            if (!found.contains(f.getEventId())) {
                (f.getText() == null ? refused : warned).add(f.getEventId());
            }
        }
        if (!refused.isEmpty()) {
            throw usage("no event " + quoted(refused) + " on " + labeledTopic
                    + " and no text to learn from: give the verdict's text (--text, or \"text\" in the file);"
                    + " nothing was sent");
        }
        if (!warned.isEmpty()) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("warning: no event " + quoted(warned) + " on " + labeledTopic
                    + (warned.size() == 1
                            ? "; the verdict counts with the text given"
                            : "; the verdicts count with the texts given"));
            err.flush();
        }
    }

    /** {@code 'a', 'b'}, cut after ten ids so that a large file still gives one readable line. */
    private static String quoted(Set<String> ids) {
        List<String> shown = ids.stream().limit(10).toList();
        return "'" + String.join("', '", shown) + "'" + (ids.size() > 10 ? " and " + (ids.size() - 10) + " more" : "");
    }

    private List<Feedback> readFile(String who) {
        if (!Files.isRegularFile(file)) {
            throw usage("file not found: " + file);
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw usage("cannot read " + file + ": " + e.getMessage());
        }
        ObjectMapper json = new ObjectMapper();
        List<Feedback> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String where = file + " line " + (i + 1);
            JsonNode node;
            try {
                node = json.readTree(line);
            } catch (IOException e) {
                throw usage(where + ": not JSON");
            }
            JsonNode eventId = node.get("id");
            JsonNode verdicts = node.get("labels");
            if (eventId == null
                    || !eventId.isTextual()
                    || verdicts == null
                    || !verdicts.isObject()
                    || verdicts.isEmpty()) {
                throw usage(where + ": needs \"id\" (string) and \"labels\" ({\"spam\": true, ...})");
            }
            Map<String, Boolean> parsed = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = verdicts.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isBoolean()) {
                    throw usage(where + ": label " + e.getKey() + " must be true or false");
                }
                parsed.put(e.getKey(), e.getValue().booleanValue());
            }
            JsonNode t = node.get("text");
            JsonNode m = node.get("moderator");
            JsonNode n = node.get("note");
            out.add(feedback(
                    eventId.asText(),
                    parsed,
                    t == null || t.isNull() ? null : t.asText(),
                    m == null || m.isNull() ? who : m.asText(),
                    n == null || n.isNull() ? null : n.asText()));
        }
        if (out.isEmpty()) {
            throw usage(file + ": no verdicts");
        }
        return out;
    }

    private static Feedback feedback(String id, Map<String, Boolean> verdicts, String text, String who, String note) {
        return Feedback.newBuilder()
                .setEventId(id)
                .setVerdicts(verdicts)
                .setModerator(who)
                .setTime(Instant.now())
                .setText(text)
                .setNote(note)
                .build();
    }

    private boolean bool(String label, String value, String option) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw usage(option + " " + label + "=" + value + ": the verdict must be true or false");
        }
        return Boolean.parseBoolean(v);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
