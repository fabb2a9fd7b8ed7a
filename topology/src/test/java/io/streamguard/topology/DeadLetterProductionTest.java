package io.streamguard.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamguard.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.Response;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.Result;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

/** A dead letter the producer refuses fails the thread once, instead of being dead-lettered again and again. */
class DeadLetterProductionTest {

    /** The text-events record being processed when a send failed. */
    private static final ErrorHandlerContext SOURCE = new ErrorHandlerContext() {
        @Override
        public String topic() {
            return Topics.TEXT_EVENTS;
        }

        @Override
        public int partition() {
            return 0;
        }

        @Override
        public long offset() {
            return 28;
        }

        @Override
        public Headers headers() {
            return new RecordHeaders();
        }

        @Override
        public String processorNodeId() {
            return "tokenize";
        }

        @Override
        public TaskId taskId() {
            return new TaskId(0, 0);
        }

        @Override
        public long timestamp() {
            return 0;
        }

        @Override
        public byte[] sourceRawKey() {
            return "k".getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public byte[] sourceRawValue() {
            return new byte[] {0, 0, 0, 0, 1};
        }
    };

    private static DeadLetterHandlers.Production handler() {
        DeadLetterHandlers.Production handler = new DeadLetterHandlers.Production();
        handler.configure(Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.TEXT_EVENTS_DLQ));
        return handler;
    }

    @Test
    void aRefusedDeadLetterFailsWithoutAnotherDeadLetter() {
        Response response = handler()
                .handleError(
                        SOURCE,
                        new ProducerRecord<>(Topics.TEXT_EVENTS_DLQ, new byte[1], new byte[1]),
                        new RecordTooLargeException("too large"));

        assertThat(response.result()).isEqualTo(Result.FAIL);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
    }

    @Test
    void aRefusedOutputRecordFailsWithItsDeadLetterAsKafkaStreamsDefault() {
        Response response = handler()
                .handleError(
                        SOURCE,
                        new ProducerRecord<>(Topics.TEXT_LABELED, new byte[1], new byte[1]),
                        new RecordTooLargeException("too large"));

        assertThat(response.result()).isEqualTo(Result.FAIL);
        assertThat(response.deadLetterQueueRecords()).singleElement().satisfies(r -> assertThat(r.topic())
                .isEqualTo(Topics.TEXT_EVENTS_DLQ));
    }
}
