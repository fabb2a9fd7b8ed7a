package io.streamguard.launcher.bench;

import io.streamguard.avro.TextEvent;
import io.streamguard.topology.DeadLetterReason;
import io.streamguard.topology.PipelineSettings;
import io.streamguard.topology.hostile.HostileCorpus;
import io.streamguard.topology.hostile.HostileRecord;
import io.streamguard.topology.hostile.Mutants;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.internal.DefaultRecord;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;

/**
 * What one pass of {@code bench hostile} sends: the hand-written corpus, a record at the broker's maximum size
 * and the fuzzer's mutants, with valid events between them, each with the outcomes it may get. Apart from
 * the benchmark that sends it, so the records can be checked without a broker.
 */
final class HostileTraffic {
    /** A valid event after every this many hostile ones: the pipeline must go on labeling between them. */
    static final int VALID_EVERY = 10;

    static final String VALID_CLASS = "valid event";
    static final String MAX_RECORD_CLASS = "record at the broker's maximum size";
    /** Outcomes the pipeline gives only to its own bugs: no mutant may get them. */
    private static final Set<DeadLetterReason> BUGS = EnumSet.of(
            DeadLetterReason.PROCESSING_FAILED,
            DeadLetterReason.DESERIALIZATION_FAILED,
            DeadLetterReason.INFERENCE_FAILED);

    private HostileTraffic() {}

    /**
     * One pass: the corpus, then the record at the broker's maximum, then the mutants, with a valid event
     * after every {@link #VALID_EVERY} of them; ids and keys prefixed with {@code prefix}.
     */
    static List<HostileRecord> pass(
            String prefix, int mutantCount, long seed, int maxRecordBytes, Function<TextEvent, byte[]> serializer) {
        List<HostileRecord> hostile =
                new ArrayList<>(HostileCorpus.records(prefix, serializer, PipelineSettings.DEFAULT_MAX_TEXT_BYTES));
        hostile.add(atMaxSize(prefix + "broker-max", maxRecordBytes, serializer));
        Set<String> mutantOutcomes = Arrays.stream(DeadLetterReason.values())
                .filter(r -> !BUGS.contains(r))
                .map(Enum::name)
                .collect(Collectors.toSet());
        mutantOutcomes.add(HostileRecord.LABELED);
        Mutants mutants = Mutants.of(seed, serializer);
        for (int i = 0; i < mutantCount; i++) {
            hostile.add(new HostileRecord(
                    prefix + "mutant-" + i,
                    "mutant",
                    prefix + "mutant-" + i,
                    mutants.next(),
                    List.of(),
                    mutantOutcomes));
        }
        List<HostileRecord> out = new ArrayList<>();
        for (int i = 0; i < hostile.size(); i++) {
            out.add(hostile.get(i));
            if (i % VALID_EVERY == VALID_EVERY - 1) {
                out.add(valid(prefix + "valid-", i / VALID_EVERY, serializer));
            }
        }
        return out;
    }

    /** A valid event {@code <prefix><i>} of an ordinary text: it must be labeled. */
    static HostileRecord valid(String prefix, int i, Function<TextEvent, byte[]> serializer) {
        String id = prefix + i;
        byte[] value = serializer.apply(TextEvent.newBuilder()
                .setId(id)
                .setText("an ordinary comment, number " + i + ", about the weather")
                .build());
        return new HostileRecord(id, VALID_CLASS, id, value, List.of(), Set.of(HostileRecord.LABELED));
    }

    /**
     * A valid event of one long token whose record batch (one record, no headers) is exactly {@code
     * maxRecordBytes}, the most the broker appends: a text far over the text limit, to be dead-lettered
     * whole with its original bytes.
     */
    static HostileRecord atMaxSize(String id, int maxRecordBytes, Function<TextEvent, byte[]> serializer) {
        int keyBytes = id.getBytes(StandardCharsets.UTF_8).length;
        int valueBytes = maxRecordBytes - DefaultRecordBatch.RECORD_BATCH_OVERHEAD;
        while (DefaultRecordBatch.RECORD_BATCH_OVERHEAD
                        + DefaultRecord.sizeInBytes(0, 0, keyBytes, valueBytes, new Header[0])
                > maxRecordBytes) {
            valueBytes--;
        }
        int text = valueBytes;
        byte[] value = serializer.apply(event(id, text));
        for (int tries = 0; value.length != valueBytes && tries < 8; tries++) {
            text += valueBytes - value.length;
            value = serializer.apply(event(id, text));
        }
        if (value.length != valueBytes) {
            throw new BenchmarkException(
                    "could not size a record to " + valueBytes + " bytes (got " + value.length + ")");
        }
        return new HostileRecord(
                id, MAX_RECORD_CLASS, id, value, List.of(), Set.of(DeadLetterReason.TEXT_TOO_LARGE.name()));
    }

    private static TextEvent event(String id, int textBytes) {
        return TextEvent.newBuilder().setId(id).setText("a".repeat(textBytes)).build();
    }
}
