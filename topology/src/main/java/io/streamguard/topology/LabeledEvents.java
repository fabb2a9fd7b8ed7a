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
import java.util.Map;

/** The {@code LabeledEvent} of one scored text: what the model said, what was decided, and how long it took. */
final class LabeledEvents {

    private LabeledEvents() {}

    /**
     * @param timings queue wait, tokenize, model and end-to-end time, and the batch size
     * @param workerId the worker that scored it
     * @param labeledAt when it was labeled
     */
    static LabeledEvent of(
            PendingInference entry,
            ScoredText scored,
            Decisions.Verdict verdict,
            Timings timings,
            String workerId,
            Instant labeledAt) {
        TokenizedEvent tokenized = entry.getEvent();
        Map<String, Double> scores = new LinkedHashMap<>();
        scored.scores().labels().forEach((label, p) -> scores.put(label, p.doubleValue()));
        Classification sentiment = scored.scores().classes().get("sentiment");
        TextEvent event = tokenized.getEvent();
        Instant eventTime = event.getEventTime();
        return LabeledEvent.newBuilder()
                .setId(event.getId())
                .setScores(scores)
                .setSentiment(sentiment == null ? null : new Sentiment(sentiment.label(), (double) sentiment.score()))
                .setDecision(verdict.decision())
                .setTriggeredLabels(verdict.triggeredLabels())
                .setModelVersion(scored.model().version())
                .setPolicyVersion(verdict.policyVersion())
                .setTruncated(scored.truncated() || tokenized.getTruncated())
                .setTimings(timings)
                .setWorkerId(workerId)
                .setText(event.getText())
                .setLanguage(event.getLanguage())
                .setSource(event.getSource())
                .setAuthor(event.getAuthor())
                .setLabeledAt(labeledAt)
                .setEventTime(
                        eventTime != null
                                ? eventTime
                                : Instant.ofEpochMilli(
                                        tokenized.getSource().getTimestamp().toEpochMilli()))
                .build();
    }
}
