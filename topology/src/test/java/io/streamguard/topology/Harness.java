package io.streamguard.topology;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamguard.avro.LabeledEvent;
import io.streamguard.avro.ModerationPolicy;
import io.streamguard.avro.TextEvent;
import io.streamguard.avro.TokenizedEvent;
import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.encoder.EncoderFactory;
import io.streamguard.model.tokenizer.BertTokenizer;
import io.streamguard.schemas.Topics;
import io.streamguard.schemas.testing.InMemoryRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.slf4j.LoggerFactory;

/** One topology under TopologyTestDriver with an in-memory registry, raw-byte inputs and typed outputs. */
final class Harness implements AutoCloseable {

    /** The real MiniLM tokenizer (vocabulary only, no weights), cut at 16 tokens to exercise truncation. */
    static final BertTokenizer TOKENIZER =
            EncoderFactory.tokenizer(EncoderConfig.of(EncoderConfig.MINILM_L6).withMaxLength(16));

    static final Instant START = Instant.ofEpochMilli(1_700_000_000_000L);

    final InMemoryRegistry registry = new InMemoryRegistry();
    final PipelineSerdes serdes = new PipelineSerdes(registry);
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final PipelineMetrics metrics = new PipelineMetrics(meters);
    /** This harness's own budget of dead-letter lines, so that no test's lines depend on another's. */
    final RejectionLog rejections =
            new RejectionLog(LoggerFactory.getLogger(DeadLetterHandlers.class), 100, System::currentTimeMillis);

    final TopologyTestDriver driver;
    final TestInputTopic<String, byte[]> textEvents;
    final TestInputTopic<String, byte[]> tokenized;
    final TestInputTopic<String, ModerationPolicy> policy;
    final TestOutputTopic<String, LabeledEvent> labeled;
    final TestOutputTopic<String, LabeledEvent> review;
    final TestOutputTopic<String, LabeledEvent> blocked;
    final TestOutputTopic<String, TokenizedEvent> tokenizedOut;
    final TestOutputTopic<byte[], byte[]> dlq;

    Harness(Path stateDir, Function<Harness, Topology> topology) {
        this(stateDir, StreamsConfig.EXACTLY_ONCE_V2, topology);
    }

    /**
     * With {@code guarantee}. TopologyTestDriver 4.3.1 under exactly_once_v2 drops the dead letters the
     * <em>deserialization</em> handler returns (they are sent outside the driver's transaction); tests of
     * that handler run at_least_once. A driver artifact, not ours: on a real broker under exactly_once_v2
     * they arrive with the task's transaction (PipelineIT in integration-tests).
     */
    Harness(Path stateDir, String guarantee, Function<Harness, Topology> topology) {
        driver = new TopologyTestDriver(topology.apply(this), properties(stateDir, guarantee), START);
        textEvents = driver.createInputTopic(Topics.TEXT_EVENTS, new StringSerializer(), new ByteArraySerializer());
        tokenized = driver.createInputTopic(Topics.TEXT_TOKENIZED, new StringSerializer(), new ByteArraySerializer());
        policy = driver.createInputTopic(
                Topics.MODERATION_POLICY,
                new StringSerializer(),
                serdes.policy().serializer());
        labeled = output(Topics.TEXT_LABELED);
        review = output(Topics.MODERATION_REVIEW);
        blocked = output(Topics.MODERATION_BLOCKED);
        tokenizedOut = driver.createOutputTopic(
                Topics.TEXT_TOKENIZED,
                new StringDeserializer(),
                serdes.tokenizedEvent().deserializer());
        dlq = driver.createOutputTopic(
                Topics.TEXT_EVENTS_DLQ, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    static PipelineSettings settings(BatchSettings batch) {
        return new PipelineSettings("worker-test", 200, batch, PipelineSettings.DEFAULT_POLICY_KEY);
    }

    static BatchSettings batch(int size, long waitMs, int tokens) {
        return new BatchSettings(size, Duration.ofMillis(waitMs), tokens);
    }

    private Properties properties(Path stateDir, String guarantee) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "streamguard-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.TEXT_EVENTS_DLQ);
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandlers.Deserialization.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandlers.Processing.class);
        p.put(DeadLetterHandlers.GLOBAL_TOPICS_CONFIG, Topics.MODERATION_POLICY);
        p.put(PipelineMetrics.CONFIG_KEY, metrics);
        p.put(DeadLetterHandlers.REJECTION_LOG_CONFIG, rejections);
        return p;
    }

    private TestOutputTopic<String, LabeledEvent> output(String topic) {
        return driver.createOutputTopic(
                topic, new StringDeserializer(), serdes.labeledEvent().deserializer());
    }

    byte[] bytes(TextEvent event) {
        return serdes.textEvent().serializer().serialize(Topics.TEXT_EVENTS, event);
    }

    static TextEvent event(String id, String text) {
        return TextEvent.newBuilder().setId(id).setText(text).build();
    }

    /**
     * How old a sent event's timestamp is when it arrives: a little, as in real time. Under every test's
     * 20 ms batch wait, so texts do not look like a backlog (which stretches the wait).
     */
    static final long SEND_AGE_MS = 10;

    /** Sends {@code text} as event {@code id} (also the key) with a timestamp {@link #SEND_AGE_MS} before the clock. */
    byte[] send(String id, String text) {
        return send(event(id, text));
    }

    /** Sends {@code event}, keyed by its id, as {@link #send(String, String)} does. */
    byte[] send(TextEvent event) {
        byte[] bytes = bytes(event);
        textEvents.pipeInput(new TestRecord<>(event.getId(), bytes, wallClock().minusMillis(SEND_AGE_MS)));
        return bytes;
    }

    Instant wallClock() {
        return START.plusMillis(advanced);
    }

    private long advanced;

    void advance(long millis) {
        advanced += millis;
        driver.advanceWallClockTime(Duration.ofMillis(millis));
    }

    double counter(String name, String... tags) {
        var counter = meters.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    static String header(TestRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        driver.close();
    }
}
