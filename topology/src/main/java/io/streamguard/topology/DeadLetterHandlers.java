package io.streamguard.topology;

import io.streamguard.avro.SourceRecord;
import io.streamguard.schemas.serde.RegistryCallException;
import io.streamguard.schemas.serde.SchemaResolutionException;
import io.streamguard.schemas.serde.UnknownSchemaIdException;
import io.streamguard.schemas.serde.WireFormatException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DefaultProductionExceptionHandler;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Log-and-continue with Kafka Streams' built-in dead-letter queue ({@code errors.dead.letter.queue.topic.name},
 * KIP-1034): the dead letter holds the source record's raw key and value, its headers, and
 * {@code __streams.errors.exception/message/stacktrace/topic/partition/offset}, built by Kafka Streams' own
 * code exactly as its {@code LogAndContinue*} handlers build it (its internal {@code ExceptionHandlerUtils}: the
 * dead-letter tests check the result on every Kafka upgrade). On top of that these handlers add the
 * {@value DeadLetterReason#HEADER} header and count dead letters per reason ({@code streamguard.dlq.records});
 * the DLQ records are sent by the task's own producer, so under exactly-once they commit with the task's
 * transaction.
 *
 * <p>They do not extend Kafka's {@code LogAndContinue*} handlers because those log every record with its stack
 * trace at WARN: a bad record is expected input, so it gets one line, rate-limited ({@link RejectionLog}).
 *
 * <p>Configured by {@link Worker} (and tests) through the Streams config; the metrics object travels
 * under {@link PipelineMetrics#CONFIG_KEY}.
 */
public final class DeadLetterHandlers {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandlers.class);

    /** One per process: the console's budget of dead-letter lines is shared by every stream thread. */
    private static final RejectionLog REJECTIONS = new RejectionLog(LOG);

    /** Topics read by global stores: their bad records cannot be dead-lettered (no task producer). */
    public static final String GLOBAL_TOPICS_CONFIG = "streamguard.dlq.global.topics";

    /** Key under which a {@link RejectionLog} other than the process's may travel in the Streams config (tests). */
    static final String REJECTION_LOG_CONFIG = "streamguard.dlq.rejection.log";

    private DeadLetterHandlers() {}

    /** Bad bytes: bad magic byte, unknown schema id, truncated or incompatible Avro. */
    public static final class Deserialization implements DeserializationExceptionHandler {

        private PipelineMetrics metrics;
        private Set<String> globalTopics = Set.of();
        private String deadLetterTopic;
        private RejectionLog rejections = REJECTIONS;

        @Override
        public void configure(Map<String, ?> configs) {
            metrics = metrics(configs);
            globalTopics = globalTopics(configs);
            deadLetterTopic = deadLetterTopic(configs);
            rejections = rejections(configs);
        }

        @Override
        public Response handleError(
                ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
            if (exception instanceof RegistryCallException registry && registry.isRetriable()) {
                // Not the record's fault: fail the thread (Worker replaces it) and read the record again,
                // rather than dead-letter good records while the registry is briefly away.
                LOG.warn(
                        "Schema registry unavailable while reading {}-{}@{}; failing the stream thread to retry",
                        context.topic(),
                        context.partition(),
                        context.offset());
                if (metrics != null) {
                    metrics.registryUnavailable();
                }
                return Response.fail();
            }
            DeadLetterReason reason = reasonFor(exception);
            if (globalTopics.contains(context.topic())) {
                LOG.error(
                        "Skipping unreadable record {}-{}@{} ({}) of a global store: {}",
                        context.topic(),
                        context.partition(),
                        context.offset(),
                        reason,
                        exception.getMessage());
                count(metrics, reason);
                return Response.resume();
            }
            rejections.deadLettered(
                    record.topic(), record.partition(), record.offset(), utf8(record.key()), reason, exception);
            Response response = Response.resume(ExceptionHandlerUtils.maybeBuildDeadLetterQueueRecords(
                    deadLetterTopic, context.sourceRawKey(), context.sourceRawValue(), context, exception));
            tag(response.deadLetterQueueRecords(), reason, metrics);
            return response;
        }

        static DeadLetterReason reasonFor(Exception exception) {
            if (exception instanceof WireFormatException wire) {
                // No schema id means the 5-byte header itself was unreadable.
                return wire.schemaId().isPresent() ? DeadLetterReason.CORRUPT_AVRO : DeadLetterReason.BAD_MAGIC_BYTE;
            }
            if (exception instanceof UnknownSchemaIdException) {
                return DeadLetterReason.UNKNOWN_SCHEMA_ID;
            }
            if (exception instanceof SchemaResolutionException) {
                return DeadLetterReason.INCOMPATIBLE_SCHEMA;
            }
            return DeadLetterReason.DESERIALIZATION_FAILED;
        }
    }

    /**
     * Output records the producer refuses: failed as by Kafka Streams' default handler (with a dead letter of
     * the refused record), except a dead letter itself. Kafka Streams would dead-letter the failed dead letter
     * again, and that one too, until the stream thread overflows its stack; failing plainly leaves the
     * producer's own error in the log instead.
     */
    public static final class Production extends DefaultProductionExceptionHandler {

        private String deadLetterTopic;

        @Override
        public void configure(Map<String, ?> configs) {
            super.configure(configs);
            deadLetterTopic = deadLetterTopic(configs);
        }

        @Override
        public Response handleError(
                ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
            if (record.topic().equals(deadLetterTopic)) {
                LOG.error(
                        "Could not send the dead letter of {}-{}@{} to {}: {}",
                        context.topic(),
                        context.partition(),
                        context.offset(),
                        deadLetterTopic,
                        exception.toString());
                return Response.fail();
            }
            return super.handleError(context, record, exception);
        }
    }

    /** Records our processors reject ({@link RejectedRecordException}) or fail on unexpectedly. */
    public static final class Processing implements ProcessingExceptionHandler {

        private PipelineMetrics metrics;
        private String deadLetterTopic;
        private RejectionLog rejections = REJECTIONS;

        @Override
        public void configure(Map<String, ?> configs) {
            metrics = metrics(configs);
            deadLetterTopic = deadLetterTopic(configs);
            rejections = rejections(configs);
        }

        @Override
        public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
            DeadLetterReason reason = DeadLetterReason.PROCESSING_FAILED;
            ErrorHandlerContext source = context;
            if (exception instanceof RejectedRecordException rejected) {
                reason = rejected.reason();
                if (rejected.origin() != null) {
                    source = new OriginContext(context, rejected.origin());
                }
            }
            String key = record.key() != null ? record.key().toString() : utf8(source.sourceRawKey());
            rejections.deadLettered(source.topic(), source.partition(), source.offset(), key, reason, exception);
            Response response = Response.resume(ExceptionHandlerUtils.maybeBuildDeadLetterQueueRecords(
                    deadLetterTopic, source.sourceRawKey(), source.sourceRawValue(), source, exception));
            tag(response.deadLetterQueueRecords(), reason, metrics);
            return response;
        }
    }

    private static void tag(
            List<ProducerRecord<byte[], byte[]>> deadLetters, DeadLetterReason reason, PipelineMetrics metrics) {
        for (ProducerRecord<byte[], byte[]> deadLetter : deadLetters) {
            deadLetter.headers().add(DeadLetterReason.HEADER, reason.name().getBytes(StandardCharsets.UTF_8));
        }
        count(metrics, reason);
    }

    private static void count(PipelineMetrics metrics, DeadLetterReason reason) {
        if (metrics != null) {
            metrics.deadLetter(reason);
        }
    }

    private static String utf8(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static String deadLetterTopic(Map<String, ?> configs) {
        Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        return topic == null ? null : topic.toString();
    }

    private static RejectionLog rejections(Map<String, ?> configs) {
        return configs.get(REJECTION_LOG_CONFIG) instanceof RejectionLog log ? log : REJECTIONS;
    }

    private static PipelineMetrics metrics(Map<String, ?> configs) {
        return configs.get(PipelineMetrics.CONFIG_KEY) instanceof PipelineMetrics m ? m : null;
    }

    private static Set<String> globalTopics(Map<String, ?> configs) {
        Object value = configs.get(GLOBAL_TOPICS_CONFIG);
        if (value == null || value.toString().isBlank()) {
            return Set.of();
        }
        return Set.of(value.toString().split("\\s*,\\s*"));
    }

    /**
     * The error context of the record that actually failed when it is not the one being processed: its
     * text-events coordinates and bytes, so Kafka Streams' handler builds the dead letter exactly as
     * it would have had the record failed on arrival.
     */
    private record OriginContext(ErrorHandlerContext current, SourceRecord origin) implements ErrorHandlerContext {

        @Override
        public String topic() {
            return origin.getTopic();
        }

        @Override
        public int partition() {
            return origin.getPartition();
        }

        @Override
        public long offset() {
            return origin.getOffset();
        }

        @Override
        public Headers headers() {
            // The source record's headers are not carried through the buffer; the current record's
            // (or a punctuation's empty ones) would be misleading.
            return new RecordHeaders();
        }

        @Override
        public String processorNodeId() {
            return current.processorNodeId();
        }

        @Override
        public TaskId taskId() {
            return current.taskId();
        }

        @Override
        public long timestamp() {
            return origin.getTimestamp().toEpochMilli();
        }

        @Override
        public byte[] sourceRawKey() {
            return bytes(origin.getKey());
        }

        @Override
        public byte[] sourceRawValue() {
            return bytes(origin.getValue());
        }

        private static byte[] bytes(ByteBuffer buffer) {
            if (buffer == null) {
                return null;
            }
            ByteBuffer copy = buffer.duplicate();
            byte[] out = new byte[copy.remaining()];
            copy.get(out);
            return out;
        }
    }
}
