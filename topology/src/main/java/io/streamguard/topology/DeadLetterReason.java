package io.streamguard.topology;

/**
 * Why a record went to the dead-letter topic; written as header {@value #HEADER} next to Kafka
 * Streams' own {@code __streams.errors.*} headers, and the {@code reason} tag of the DLQ metric.
 */
public enum DeadLetterReason {
    /** Fewer than 5 bytes or a magic byte other than 0: not written by a schema-registry serializer. */
    BAD_MAGIC_BYTE,
    /** The schema id in the header is unknown to the registry. */
    UNKNOWN_SCHEMA_ID,
    /** The Avro body is truncated, corrupt, or followed by stray bytes. */
    CORRUPT_AVRO,
    /** The writer's schema cannot be read as the expected record. */
    INCOMPATIBLE_SCHEMA,
    /** Any other failure to deserialize. */
    DESERIALIZATION_FAILED,
    /** A record without a value (tombstone). */
    NULL_VALUE,
    /** The text is empty or only whitespace. */
    EMPTY_TEXT,
    /** The text exceeds the configured size limit. */
    TEXT_TOO_LARGE,
    /** Token ids from a vocabulary other than the model's. */
    TOKENIZER_MISMATCH,
    /** Token ids for an encoder (a language) this worker has no model of: configure the same encoders as the tokenizers. */
    ENCODER_NOT_SERVED,
    /** The model failed on this text, also when scored alone. */
    INFERENCE_FAILED,
    /** An unexpected error in our own processing code. */
    PROCESSING_FAILED;

    /** Header carrying the reason name on every dead-lettered record. */
    public static final String HEADER = "streamguard.dlq.reason";

    /**
     * Whether the record itself is at fault, so where the code noticed it does not matter (its stack trace is
     * noise); false for the failures nobody foresaw, whose stack trace is what finds the bug.
     */
    public boolean expected() {
        return this != DESERIALIZATION_FAILED && this != PROCESSING_FAILED;
    }
}
