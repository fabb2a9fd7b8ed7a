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
 * <p>Only verdicts on events this retrainer's encoder scored count ({@link FeedbackRouting}); the others are
 * skipped and counted ({@link #otherVerdicts}). A verdict routed by its own text's language because its event
 * was not known yet is routed again when the event arrives, if the event says otherwise.
 *
 * <p>Not thread-safe: owned by the retrainer's loop thread.
 */
public final class FeedbackLog {

    private static final Logger LOG = LoggerFactory.getLogger(FeedbackLog.class);

    /** A verdict before its text is known. */
    private record Pending(String eventId, Map<String, Boolean> verdicts, int partition, long offset, long time) {}

    /** @param ours whether the event says this encoder scored it; null if it does not say */
    private record Text(String text, long time, Boolean ours) {}

    /** A verdict routed by its text's language before its event was known. */
    private record Guess(FeedbackExample example, boolean ours, long time) {}

    private final Duration retention;
    private final int maxTexts;
    private final LinkedHashMap<String, Text> texts = new LinkedHashMap<>();
    private final Map<String, FeedbackExample> examples = new LinkedHashMap<>();
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private final Map<String, Guess> guesses = new LinkedHashMap<>();
    private final FeedbackRouting routing;
    /** Next offset per feedback partition, over everything consumed. */
    private final Map<Integer, Long> consumed = new TreeMap<>();
    /** Feedback offsets (per partition) up to which verdicts counted in an earlier retrain. */
    private final Map<Integer, Long> usedUpTo = new TreeMap<>();

    private int newVerdicts;
    private long otherVerdicts;

    /** @param routing which verdicts are this retrainer's */
    public FeedbackLog(Duration retention, int maxTexts, FeedbackRouting routing) {
        this.retention = retention;
        this.maxTexts = maxTexts;
        this.routing = routing;
    }

    /** {@link #addText(String, String, String, String, long)} of an event that does not say who scored it. */
    public void addText(String eventId, String text, long time) {
        addText(eventId, text, null, null, time);
    }

    /**
     * Remembers a labeled event's text and who scored it, resolves verdicts that waited for it, and routes again
     * a verdict routed by its text's language if the event says otherwise.
     *
     * @param encoderName the encoder that scored it, null if the record does not say
     * @param language its language (BCP-47), null if the record does not say
     */
    public void addText(String eventId, String text, String encoderName, String language, long time) {
        if (text == null) {
            return;
        }
        Boolean ours = routing.byEvent(encoderName, language);
        texts.remove(eventId);
        texts.put(eventId, new Text(text, time, ours));
        while (texts.size() > maxTexts) {
            Iterator<String> oldest = texts.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        Pending p = pending.remove(eventId);
        if (p != null) {
            FeedbackExample example = new FeedbackExample(eventId, text, p.verdicts(), p.partition(), p.offset());
            route(example, ours != null ? ours : routing.byText(text));
        }
        Guess g = guesses.remove(eventId);
        if (g != null && ours != null && ours != g.ours()) {
            if (ours) {
                otherVerdicts--;
                resolve(g.example());
            } else {
                unresolve(g.example());
                otherVerdicts++;
            }
        }
    }

    /**
     * Takes a verdict; it joins with its own text, else a known labeled event's, else waits. It counts if its
     * event was scored by this encoder or, where that is not known, if its text is in this encoder's language.
     */
    public void addFeedback(
            String eventId, Map<String, Boolean> verdicts, String text, int partition, long offset, long time) {
        consumed.merge(partition, offset + 1, Math::max);
        Text event = texts.get(eventId);
        String known = text != null && !text.isBlank() ? text : event != null ? event.text() : null;
        if (known == null) {
            pending.put(eventId, new Pending(eventId, verdicts, partition, offset, time));
            return;
        }
        pending.remove(eventId);
        guesses.remove(eventId);
        FeedbackExample example = new FeedbackExample(eventId, known, verdicts, partition, offset);
        boolean ours;
        if (event != null && event.ours() != null) {
            ours = event.ours();
        } else {
            ours = routing.byText(known);
            if (event == null) {
                guesses.put(eventId, new Guess(example, ours, time));
            }
        }
        route(example, ours);
    }

    private void route(FeedbackExample example, boolean ours) {
        if (ours) {
            resolve(example);
        } else {
            // An earlier verdict on the event may have been routed here; the latest decides.
            FeedbackExample earlier = examples.get(example.eventId());
            if (earlier != null) {
                unresolve(earlier);
            }
            otherVerdicts++;
            LOG.debug(
                    "Verdict on event {} skipped: scored by another encoder than {}",
                    example.eventId(),
                    routing.encoderId());
        }
    }

    private void resolve(FeedbackExample example) {
        examples.remove(example.eventId());
        examples.put(example.eventId(), example);
        if (isNew(example)) {
            newVerdicts++;
        }
    }

    private void unresolve(FeedbackExample example) {
        if (examples.remove(example.eventId(), example) && isNew(example)) {
            newVerdicts--;
        }
    }

    private boolean isNew(FeedbackExample example) {
        return example.offset() >= usedUpTo.getOrDefault(example.partition(), 0L);
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
        guesses.values().removeIf(g -> g.time() < cutoff);
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

    /**
     * Verdicts skipped because another encoder scored their events (or, where no event said, their texts are in
     * another language): never trained on, never a trigger.
     */
    public long otherVerdicts() {
        return otherVerdicts;
    }

    public int pendingVerdicts() {
        return pending.size();
    }

    public int knownTexts() {
        return texts.size();
    }
}
