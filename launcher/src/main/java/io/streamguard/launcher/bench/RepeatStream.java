package io.streamguard.launcher.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Traffic that repeats itself as moderation traffic does: each text after the first is, with probability
 * {@code share}, a copy of one sent before (chosen uniformly, so early texts come back in waves), else the next
 * new one. Seeded: every run of a benchmark sees the same stream.
 */
final class RepeatStream {

    private RepeatStream() {}

    /**
     * {@code length} texts drawn from {@code fresh} in order, a {@code share} of them (in expectation) repeats.
     *
     * @throws IllegalArgumentException if {@code share} is not in [0, 1) or {@code fresh} runs out
     */
    static List<String> of(List<String> fresh, int length, double share, long seed) {
        if (!(share >= 0 && share < 1)) {
            throw new IllegalArgumentException("repeat share must be in [0, 1), was " + share);
        }
        Random random = new Random(seed);
        List<String> out = new ArrayList<>(length);
        int next = 0;
        while (out.size() < length) {
            if (!out.isEmpty() && random.nextDouble() < share) {
                out.add(out.get(random.nextInt(out.size())));
            } else {
                if (next == fresh.size()) {
                    throw new IllegalArgumentException("only " + fresh.size() + " distinct texts for " + length);
                }
                out.add(fresh.get(next++));
            }
        }
        return out;
    }
}
