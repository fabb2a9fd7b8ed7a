package io.streamguard.topology.hostile;

import static io.streamguard.topology.hostile.AvroBytes.concat;

import io.streamguard.avro.TextEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * A seeded fuzzer: mutants of a few valid {@code TextEvent} records (bit flips, overwritten, inserted,
 * deleted or duplicated bytes, truncation). The same seed gives the same mutants, so a run that finds a
 * failure can be repeated; whether a mutant still decodes is for the pipeline to find out.
 */
public final class Mutants {
    /** Seed of the issue-16 figures. */
    public static final long DEFAULT_SEED = 1616;

    static final int VALID_RECORDS = 20;

    private final Random random;
    private final List<byte[]> valid;

    private Mutants(long seed, List<byte[]> valid) {
        this.random = new Random(seed);
        this.valid = valid;
    }

    /**
     * Mutants of 20 valid records with ids {@code valid-0..19} (texts of different lengths, with and
     * without language and attributes), written by {@code serializer}.
     */
    public static Mutants of(long seed, Function<TextEvent, byte[]> serializer) {
        List<byte[]> valid = new ArrayList<>();
        for (int i = 0; i < VALID_RECORDS; i++) {
            valid.add(serializer.apply(TextEvent.newBuilder()
                    .setId("valid-" + i)
                    .setText("the hate of " + i + " quiet words " + "x".repeat(i * 7))
                    .setLanguage(i % 2 == 0 ? "en" : null)
                    .setAttributes(HostileCorpus.attributes(i % 4))
                    .build()));
        }
        return new Mutants(seed, List.copyOf(valid));
    }

    /** The next mutant of a randomly chosen valid record. */
    public byte[] next() {
        return mutate(valid.get(random.nextInt(valid.size())));
    }

    /** One of: flip bits, overwrite, insert or delete bytes, truncate, duplicate a slice. */
    private byte[] mutate(byte[] original) {
        byte[] b = original.clone();
        switch (random.nextInt(6)) {
            case 0 -> {
                for (int k = 1 + random.nextInt(3); k > 0; k--) {
                    int i = random.nextInt(b.length);
                    b[i] ^= (byte) (1 << random.nextInt(8));
                }
                return b;
            }
            case 1 -> {
                b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                return b;
            }
            case 2 -> {
                int at = random.nextInt(b.length + 1);
                byte[] extra = new byte[1 + random.nextInt(8)];
                random.nextBytes(extra);
                return concat(Arrays.copyOf(b, at), extra, Arrays.copyOfRange(b, at, b.length));
            }
            case 3 -> {
                int at = random.nextInt(b.length);
                int len = Math.min(b.length - at, 1 + random.nextInt(8));
                return concat(Arrays.copyOf(b, at), Arrays.copyOfRange(b, at + len, b.length));
            }
            case 4 -> {
                return Arrays.copyOf(b, random.nextInt(b.length));
            }
            default -> {
                int at = random.nextInt(b.length);
                int len = Math.min(b.length - at, 1 + random.nextInt(16));
                return concat(Arrays.copyOf(b, at + len), Arrays.copyOfRange(b, at, b.length));
            }
        }
    }
}
