package io.streamguard.retrainer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the retrainer has learned from the topics: every verdict joined with its text, the latest
 * verdict per event winning (a moderator may correct one), and the texts of recent labeled events for
 * verdicts that carry none.
 *
 * <p>The text store is in memory and bounded by {@code retention} (by record time) and a row cap; it
 * needs no changelog because {@code text-labeled} itself is the durable copy: on start the retrainer
 * re-reads the retention window of it. A verdict whose text is not (yet) known waits up to the same
 * retention for its labeled event, then is dropped with a warning.
 *
 * <p>Not thread-safe: owned by the retrainer's loop thread.
 */
public final class FeedbackLog {

    private static final Logger LOG = LoggerFactory.getLogger(FeedbackLog.class);

    /** A verdict before its text is known. */
    private record Pending(String eventId, Map<String, Boolean> verdicts, int partition, long offset, long time) {}

    private record Text(String text, long time) {}

    private final Duration retention;
    private final int maxTexts;
    private final LinkedHashMap<String, Text> texts = new LinkedHashMap<>();
    private final Map<String, FeedbackExample> examples = new LinkedHashMap<>();
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    /** Next offset per feedback partition, over everything consumed. */
    private final Map<Integer, Long> consumed = new TreeMap<>();
    /** Feedback offsets (per partition) up to which verdicts counted in an earlier retrain. */
    private final Map<Integer, Long> usedUpTo = new TreeMap<>();

    private int newVerdicts;

    public FeedbackLog(Duration retention, int maxTexts) {
        this.retention = retention;
        this.maxTexts = maxTexts;
    }

    /** Remembers a labeled event's text, and resolves verdicts that waited for it. */
    public void addText(String eventId, String text, long time) {
        if (text == null) {
            return;
        }
        texts.remove(eventId);
        texts.put(eventId, new Text(text, time));
        while (texts.size() > maxTexts) {
            Iterator<String> oldest = texts.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        Pending p = pending.remove(eventId);
        if (p != null) {
            resolve(new FeedbackExample(eventId, text, p.verdicts(), p.partition(), p.offset()));
        }
    }

    /** Takes a verdict; it joins with its own text, else a known labeled event's, else waits. */
    public void addFeedback(
            String eventId, Map<String, Boolean> verdicts, String text, int partition, long offset, long time) {
        consumed.merge(partition, offset + 1, Math::max);
        String known = text != null && !text.isBlank()
                ? text
                : texts.containsKey(eventId) ? texts.get(eventId).text() : null;
        if (known == null) {
            pending.put(eventId, new Pending(eventId, verdicts, partition, offset, time));
            return;
        }
        pending.remove(eventId);
        resolve(new FeedbackExample(eventId, known, verdicts, partition, offset));
    }

    private void resolve(FeedbackExample example) {
        examples.remove(example.eventId());
        examples.put(example.eventId(), example);
        if (example.offset() >= usedUpTo.getOrDefault(example.partition(), 0L)) {
            newVerdicts++;
        }
    }

    /** Drops texts and waiting verdicts older than the retention. */
    public void expire(long now) {
        long cutoff = now - retention.toMillis();
        texts.values().removeIf(t -> t.time() < cutoff);
        Iterator<Pending> it = pending.values().iterator();
        while (it.hasNext()) {
            Pending p = it.next();
            if (p.time() < cutoff) {
                LOG.warn("Dropping the verdict on event {}: its text never arrived within {}", p.eventId(), retention);
                it.remove();
            }
        }
    }

    /**
     * Counts verdicts at or past these offsets as new: a restarted retrainer re-reads all feedback but
     * only what came after its last retrain triggers the next one.
     */
    public void usedUpTo(Map<Integer, Long> offsets) {
        usedUpTo.putAll(offsets);
    }

    /** Verdicts with text that arrived since the last {@link #markRetrained}. */
    public int newVerdicts() {
        return newVerdicts;
    }

    /** Starts counting afresh, after a retrain used everything consumed so far. */
    public void markRetrained() {
        newVerdicts = 0;
        usedUpTo.putAll(consumed);
    }

    /** Every joined verdict, latest per event, in feedback order. */
    public List<FeedbackExample> examples() {
        List<FeedbackExample> out = new ArrayList<>(examples.values());
        out.sort(Comparator.comparingInt(FeedbackExample::partition).thenComparingLong(FeedbackExample::offset));
        return out;
    }

    /** Next offset per feedback partition over everything consumed: the lineage of a retrain. */
    public Map<Integer, Long> consumedOffsets() {
        return Map.copyOf(consumed);
    }

    public int pendingVerdicts() {
        return pending.size();
    }

    public int knownTexts() {
        return texts.size();
    }
}
