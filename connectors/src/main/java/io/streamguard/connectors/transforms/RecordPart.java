package io.streamguard.connectors.transforms;

import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;

/**
 * The side of a record a transform's {@code $Key} or {@code $Value} variant works on: its schema, its value,
 * and the record with that side replaced (the other side, topic, partition and timestamp kept).
 */
enum RecordPart {
    KEY {
        @Override
        Schema schema(ConnectRecord<?> record) {
            return record.keySchema();
        }

        @Override
        Object value(ConnectRecord<?> record) {
            return record.key();
        }

        @Override
        <R extends ConnectRecord<R>> R with(R record, Schema schema, Object value) {
            return record.newRecord(
                    record.topic(),
                    record.kafkaPartition(),
                    schema,
                    value,
                    record.valueSchema(),
                    record.value(),
                    record.timestamp());
        }
    },
    VALUE {
        @Override
        Schema schema(ConnectRecord<?> record) {
            return record.valueSchema();
        }

        @Override
        Object value(ConnectRecord<?> record) {
            return record.value();
        }

        @Override
        <R extends ConnectRecord<R>> R with(R record, Schema schema, Object value) {
            return record.newRecord(
                    record.topic(),
                    record.kafkaPartition(),
                    record.keySchema(),
                    record.key(),
                    schema,
                    value,
                    record.timestamp());
        }
    };

    abstract Schema schema(ConnectRecord<?> record);

    abstract Object value(ConnectRecord<?> record);

    abstract <R extends ConnectRecord<R>> R with(R record, Schema schema, Object value);
}
