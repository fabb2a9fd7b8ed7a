package io.streamguard.topology;

import io.streamguard.avro.PendingInference;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One task's pending texts, in the changelogged buffer store keyed by arrival sequence number (see
 * {@link InferenceProcessor} for why the buffer is a store), and when they make a batch by size: as
 * soon as {@code maxBatchSize} texts, or before a text would push the padded batch ({@code texts x
 * longest}) past {@code maxTokensPerBatch}. When a batch closes by time is {@link BatchClock}'s.
 */
final class BatchBuffer {

    private final KeyValueStore<Long, PendingInference> store;
    private final BatchSettings settings;
    private long nextSequence;
    private int pending;
    private int longest;

    BatchBuffer(KeyValueStore<Long, PendingInference> store, BatchSettings settings) {
        this.store = store;
        this.settings = settings;
    }

    /**
     * Counts what a previous run left in the store (restored from the changelog): the start of the next
     * batch. New texts are numbered after it.
     *
     * @return the oldest entry, or null if the store is empty
     */
    PendingInference restore() {
        PendingInference oldest = null;
        try (KeyValueIterator<Long, PendingInference> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<Long, PendingInference> entry = it.next();
                nextSequence = Math.max(nextSequence, entry.key + 1);
                count(entry.value);
                if (oldest == null) {
                    oldest = entry.value;
                }
            }
        }
        return oldest;
    }

    int pending() {
        return pending;
    }

    /** Whether a text of {@code length} tokens would push the padded batch over the token budget. */
    boolean wouldOverflow(int length) {
        return pending > 0 && (long) (pending + 1) * Math.max(longest, length) > settings.maxTokensPerBatch();
    }

    void add(PendingInference entry) {
        store.put(nextSequence++, entry);
        count(entry);
    }

    /** Whether the pending texts fill a batch, by count or by padded tokens. */
    boolean full() {
        return pending >= settings.maxBatchSize() || (long) pending * longest >= settings.maxTokensPerBatch();
    }

    /** Everything pending, in arrival order, cut into batches no larger than the settings allow. */
    List<List<KeyValue<Long, PendingInference>>> batches() {
        List<KeyValue<Long, PendingInference>> all = new ArrayList<>(pending);
        try (KeyValueIterator<Long, PendingInference> it = store.all()) {
            it.forEachRemaining(all::add);
        }
        List<List<KeyValue<Long, PendingInference>>> batches = new ArrayList<>();
        int from = 0;
        while (from < all.size()) {
            int to = from + 1;
            int widest = length(all.get(from).value);
            while (to < all.size() && to - from < settings.maxBatchSize()) {
                int w = Math.max(widest, length(all.get(to).value));
                if ((long) (to - from + 1) * w > settings.maxTokensPerBatch()) {
                    break;
                }
                widest = w;
                to++;
            }
            batches.add(all.subList(from, to));
            from = to;
        }
        return batches;
    }

    /** Deletes a batch whose results were emitted: in the same transaction, so none is emitted twice. */
    void remove(List<KeyValue<Long, PendingInference>> batch) {
        for (KeyValue<Long, PendingInference> entry : batch) {
            store.delete(entry.key);
        }
        pending = Math.max(0, pending - batch.size());
        if (pending == 0) {
            longest = 0;
        }
    }

    private void count(PendingInference entry) {
        pending++;
        longest = Math.max(longest, length(entry));
    }

    private static int length(PendingInference entry) {
        return entry.getEvent().getTokenIds().size();
    }
}
