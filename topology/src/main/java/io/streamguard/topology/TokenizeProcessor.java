package io.streamguard.topology;

import io.streamguard.avro.SourceRecord;
import io.streamguard.avro.TextEvent;
import io.streamguard.avro.TokenizedEvent;
import io.streamguard.model.language.ResolvedLanguage;
import io.streamguard.model.tokenizer.Encoding;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Validates a {@code TextEvent}, resolves its language ({@link ResolvedLanguage}: the producer's tag, else the
 * text's scripts) and tokenizes it with that language's tokenizer ({@link Tokenizers}). An event of a language
 * no encoder reads is forwarded without tokens or tokenizer, so the inference stage labels it unscored. Records
 * without a value, with an empty text or a text over the size limit are rejected
 * ({@link RejectedRecordException}) while they are the current record, so Kafka Streams' processing handler
 * dead-letters their own bytes.
 */
final class TokenizeProcessor implements Processor<String, Sourced<TextEvent>, String, TokenizedEvent> {

    private final Tokenizers tokenizers;
    private final int maxTextBytes;
    private final PipelineMetrics metrics;
    private ProcessorContext<String, TokenizedEvent> context;

    TokenizeProcessor(Tokenizers tokenizers, int maxTextBytes, PipelineMetrics metrics) {
        this.tokenizers = tokenizers;
        this.maxTextBytes = maxTextBytes;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, TokenizedEvent> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, Sourced<TextEvent>> record) {
        metrics.eventIn("tokenize");
        if (record.value() == null) {
            throw new RejectedRecordException(DeadLetterReason.NULL_VALUE, "record has no value (tombstone)");
        }
        TextEvent event = record.value().value();
        String text = event.getText();
        if (text.isBlank()) {
            throw new RejectedRecordException(
                    DeadLetterReason.EMPTY_TEXT, "event " + event.getId() + " has an empty text");
        }
        int bytes = utf8Length(text, maxTextBytes);
        if (bytes > maxTextBytes) {
            throw new RejectedRecordException(
                    DeadLetterReason.TEXT_TOO_LARGE,
                    "event " + event.getId() + " has a text of more than " + maxTextBytes
                            + " bytes (limit streamguard.dlq.max.text.bytes)");
        }
        long ingest = context.currentSystemTimeMs();
        long started = System.nanoTime();
        ResolvedLanguage language = ResolvedLanguage.of(event.getLanguage(), text);
        Tokenizers.Route route = tokenizers.forLanguage(language.tag());
        Encoding encoding = route == null ? null : route.tokenizer().encode(text);
        long nanos = System.nanoTime() - started;
        metrics.tokenized(nanos);
        if (encoding != null && encoding.length() <= 2) {
            // [CLS] [SEP] alone: every character was a control, format (zero-width, bidi) or undecodable one,
            // which the tokenizer deletes. Nothing for the model to read, as with a blank text.
            throw new RejectedRecordException(
                    DeadLetterReason.EMPTY_TEXT,
                    "event " + event.getId() + " has no readable text (only control, format or undecodable"
                            + " characters)");
        }

        int length = encoding == null ? 0 : encoding.length();
        List<Integer> ids = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            ids.add(encoding.ids()[i]);
        }
        RecordMetadata metadata = context.recordMetadata()
                .orElseThrow(() -> new IllegalStateException("tokenize must run on records read from a topic"));
        String key = record.key() != null ? record.key() : event.getId();
        SourceRecord source = SourceRecord.newBuilder()
                .setTopic(metadata.topic())
                .setPartition(metadata.partition())
                .setOffset(metadata.offset())
                .setTimestamp(Instant.ofEpochMilli(record.timestamp()))
                .setKey(
                        record.key() == null
                                ? null
                                : ByteBuffer.wrap(record.key().getBytes(StandardCharsets.UTF_8)))
                .setValue(ByteBuffer.wrap(record.value().bytes()))
                .build();
        TokenizedEvent out = TokenizedEvent.newBuilder()
                .setEvent(event)
                .setTokenIds(ids)
                .setTruncated(encoding != null && encoding.truncated())
                .setTokenizer(route == null ? null : route.identity())
                .setLanguage(language.tag())
                .setLanguageDetected(language.detected())
                .setTokenizeMs(nanos / 1e6)
                .setIngestTime(Instant.ofEpochMilli(ingest))
                .setSource(source)
                .build();
        context.forward(new Record<>(key, out, record.timestamp(), record.headers()));
    }

    /** UTF-8 length of {@code text}, counting no further than just past {@code limit}. */
    static int utf8Length(String text, int limit) {
        int bytes = 0;
        for (int i = 0; i < text.length() && bytes <= limit; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
