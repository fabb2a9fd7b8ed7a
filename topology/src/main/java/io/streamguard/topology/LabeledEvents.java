package io.streamguard.topology;

import io.streamguard.avro.LabeledEvent;
import io.streamguard.avro.PendingInference;
import io.streamguard.avro.Sentiment;
import io.streamguard.avro.TextEvent;
import io.streamguard.avro.Timings;
import io.streamguard.avro.TokenizedEvent;
import io.streamguard.model.heads.Classification;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code LabeledEvent} of one text: what the model of its language said (or why none did), what was
 * decided, and how long it took.
 */
final class LabeledEvents {

    /** The model version of an event no model scored. */
    static final String NO_MODEL = "none";

    private LabeledEvents() {}

    /**
     * @param encoderName the encoder whose model scored it
     * @param timings queue wait, tokenize, model and end-to-end time, and the batch size
     * @param workerId the worker that scored it
     * @param labeledAt when it was labeled
     */
    static LabeledEvent of(
            PendingInference entry,
            ScoredText scored,
            String encoderName,
            Decisions.Verdict verdict,
            Timings timings,
            String workerId,
            Instant labeledAt) {
        Map<String, Double> scores = new LinkedHashMap<>();
        scored.scores().labels().forEach((label, p) -> scores.put(label, p.doubleValue()));
        Classification sentiment = scored.scores().classes().get("sentiment");
        return builder(entry, verdict, timings, workerId, labeledAt)
                .setScores(scores)
                .setSentiment(sentiment == null ? null : new Sentiment(sentiment.label(), (double) sentiment.score()))
                .setModelVersion(scored.model().version())
                .setEncoderName(encoderName)
                .setTruncated(scored.truncated() || entry.getEvent().getTruncated())
                .build();
    }

    /** An event no model scored: no scores, model version {@value #NO_MODEL}, and {@code reason}. */
    static LabeledEvent unscored(
            PendingInference entry,
            String reason,
            Decisions.Verdict verdict,
            Timings timings,
            String workerId,
            Instant labeledAt) {
        return builder(entry, verdict, timings, workerId, labeledAt)
                .setScores(Map.of())
                .setModelVersion(NO_MODEL)
                .setUnscoredReason(reason)
                .build();
    }

    /** The language the event was routed by; the producer's tag for records tokenized before routing existed. */
    static String language(TokenizedEvent tokenized) {
        return tokenized.getLanguage() != null
                ? tokenized.getLanguage()
                : tokenized.getEvent().getLanguage();
    }

    private static LabeledEvent.Builder builder(
            PendingInference entry, Decisions.Verdict verdict, Timings timings, String workerId, Instant labeledAt) {
        TokenizedEvent tokenized = entry.getEvent();
        TextEvent event = tokenized.getEvent();
        Instant eventTime = event.getEventTime();
        return LabeledEvent.newBuilder()
                .setId(event.getId())
                .setDecision(verdict.decision())
                .setTriggeredLabels(List.copyOf(verdict.triggeredLabels()))
                .setPolicyVersion(verdict.policyVersion())
                .setTimings(timings)
                .setWorkerId(workerId)
                .setText(event.getText())
                .setLanguage(language(tokenized))
                .setSource(event.getSource())
                .setAuthor(event.getAuthor())
                .setLabeledAt(labeledAt)
                .setEventTime(
                        eventTime != null
                                ? eventTime
                                : Instant.ofEpochMilli(
                                        tokenized.getSource().getTimestamp().toEpochMilli()));
    }
}
