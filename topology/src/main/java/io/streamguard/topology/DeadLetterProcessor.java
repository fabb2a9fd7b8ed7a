package io.streamguard.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The node a processor forwards a failed record to when that record is not the one being processed
 * (a buffered record whose batch fails in a punctuation, say). It throws, so the failure goes through
 * Kafka Streams' processing exception handler like any other, and the handler builds the dead letter
 * from the exception's origin.
 */
final class DeadLetterProcessor implements Processor<String, RejectedRecordException, Void, Void> {

    @Override
    public void process(Record<String, RejectedRecordException> record) {
        throw record.value();
    }
}
