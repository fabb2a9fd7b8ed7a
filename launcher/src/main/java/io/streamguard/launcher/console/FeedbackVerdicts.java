package io.streamguard.launcher.console;

import io.streamguard.avro.Feedback;
import io.streamguard.console.store.ConsoleException;
import io.streamguard.console.web.VerdictSink;
import io.streamguard.launcher.client.ClientSecurity;
import io.streamguard.launcher.client.KafkaClients;
import io.streamguard.schemas.Topics;
import io.streamguard.schemas.serde.AvroSerde;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The console's verdicts as {@code Feedback} records on {@code moderation-feedback}, keyed by event id:
 * the retrainer learns from them and the verdicts sink writes them to moderation_verdicts. A verdict
 * counts once the broker has it (acks=all, idempotent); until then the moderator sees an error and the
 * item stays pending, so nothing is lost silently.
 */
public final class FeedbackVerdicts implements VerdictSink, AutoCloseable {
    private static final long SEND_TIMEOUT_MS = 30_000;

    private final AvroSerde<Feedback> serde;
    private final KafkaProducer<String, Feedback> producer;
    private final String topic;

    public FeedbackVerdicts(String bootstrap, String registryUrl, String topic) {
        this.topic = topic;
        serde = AvroSerde.specific(Feedback.class);
        serde.configure(ClientSecurity.current().registry(registryUrl), false);
        Map<String, Object> conf = KafkaClients.common(bootstrap, "streamguard-console-feedback");
        conf.put(ProducerConfig.ACKS_CONFIG, "all");
        conf.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        conf.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        conf.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, KafkaClients.API_TIMEOUT_MS);
        conf.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) SEND_TIMEOUT_MS);
        producer = new KafkaProducer<>(conf, new StringSerializer(), serde.serializer());
    }

    public FeedbackVerdicts(String bootstrap, String registryUrl) {
        this(bootstrap, registryUrl, Topics.MODERATION_FEEDBACK);
    }

    @Override
    public void send(Verdict verdict) {
        Feedback record = Feedback.newBuilder()
                .setEventId(verdict.eventId())
                .setVerdicts(new LinkedHashMap<>(verdict.labels()))
                .setModerator(verdict.moderator())
                .setTime(verdict.judgedAt())
                .setText(verdict.text())
                .setNote(verdict.note().orElse(null))
                .build();
        try {
            producer.send(new ProducerRecord<>(topic, verdict.eventId(), record))
                    .get(SEND_TIMEOUT_MS + 5_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new ConsoleException(
                    "the verdict on " + verdict.eventId() + " did not reach " + topic + ": " + cause.getMessage(),
                    cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConsoleException("interrupted while sending the verdict on " + verdict.eventId(), e);
        }
    }

    @Override
    public void close() {
        producer.close();
        serde.close();
    }
}
