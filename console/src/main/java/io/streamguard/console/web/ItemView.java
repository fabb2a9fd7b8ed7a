package io.streamguard.console.web;

import static io.streamguard.console.web.Html.esc;
import static io.streamguard.console.web.Html.url;

import io.streamguard.console.store.Audit;
import io.streamguard.console.store.Events;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Renders an item: its text, scores against thresholds, provenance, history and the verdict form. */
final class ItemView {
    private ItemView() {}

    /** The labels a verdict covers: every scored label and every label with a threshold, sorted. */
    static Set<String> labels(Events.Event e, Map<String, Thresholds.Label> thresholds) {
        Set<String> labels = new TreeSet<>(e.scores().keySet());
        labels.addAll(thresholds.keySet());
        return labels;
    }

    /** Whether the model flagged {@code label}: it triggered it, or the score reached the review threshold. */
    static boolean flagged(Events.Event e, String label, Map<String, Thresholds.Label> thresholds) {
        Double score = e.scores().get(label);
        Thresholds.Label t = thresholds.get(label);
        return e.triggeredLabels().contains(label) || (score != null && t != null && score >= t.review());
    }

    static String claimedByOther(String eventId, String holder) {
        return "<p class=\"claimed\" data-event-id=\"" + esc(eventId) + "\">This item is claimed by <strong>"
                + esc(holder) + "</strong>.</p><p><a id=\"next-item\" href=\"/next\">Review the next item &rarr;</a>"
                + " · <a href=\"/queue\">back to the queue</a></p>";
    }

    /** What happened to an item: every model version that scored it, every verdict, its audit entries. */
    record History(List<Events.Scoring> scorings, List<Events.Verdict> verdicts, List<Audit.Entry> audit) {}

    /** The item page's body; {@code whyHtml} is the rendered explanation ({@link WhyView}), or "". */
    static String body(
            Events.Event e,
            Map<String, Thresholds.Label> thresholds,
            History history,
            String csrf,
            String whyHtml,
            Optional<String> liveModel) {
        StringBuilder s = new StringBuilder("<article class=\"item\" data-event-id=\"")
                .append(esc(e.id()))
                .append("\" data-model-version=\"")
                .append(esc(e.modelVersion()))
                .append("\" data-encoder=\"")
                .append(esc(e.encoderName().orElse("")))
                .append("\"><p><a href=\"/queue\">&larr; queue</a></p><h1>Item ")
                .append(esc(e.id()))
                .append("</h1><blockquote class=\"text\">")
                .append(esc(e.text()))
                .append("</blockquote>")
                .append(whyHtml);
        if (e.unscoredReason().isPresent()) {
            // no model read it: the decision is the policy's, and there are no scores to show
            s.append("<p class=\"unscored\">not scored: <strong>")
                    .append(esc(e.unscoredReason().get()))
                    .append("</strong>; decision <strong>")
                    .append(esc(e.decision()))
                    .append("</strong> by policy</p>");
        } else {
            s.append("<p>model decision <strong>")
                    .append(esc(e.decision()))
                    .append("</strong>; sentiment ")
                    .append(esc(e.sentimentLabel().orElse("n/a")))
                    .append(e.sentimentScore()
                            .map(v -> String.format(Locale.ROOT, " (%.2f)", v))
                            .orElse(""))
                    .append("</p>");
        }
        s.append("<dl><dt>model</dt><dd>")
                .append(esc(e.encoderName().map(n -> n + " ").orElse("")))
                .append(esc(e.modelVersion()))
                .append(
                        e.unscoredReason().isEmpty() && QueueView.stale(e.modelVersion(), liveModel)
                                ? " <em class=\"older\">(older than the live " + esc(liveModel.get()) + ")</em>"
                                : "")
                .append("</dd><dt>policy</dt><dd>")
                .append(esc(e.policyVersion()))
                .append("</dd><dt>worker</dt><dd>")
                .append(esc(e.workerId()))
                .append("</dd><dt>labeled at</dt><dd>")
                .append(esc(e.labeledAt().map(Object::toString).orElse("")))
                .append("</dd><dt>language / source</dt><dd>")
                .append(esc(e.language()))
                .append(" / ")
                .append(esc(e.source()))
                .append("</dd></dl>");

        Set<String> labels = labels(e, thresholds);
        s.append("<form method=\"post\" action=\"/item/")
                .append(esc(url(e.id())))
                .append("/verdict\" id=\"verdict\">")
                .append(Html.csrfField(csrf))
                .append("<table class=\"scores\"><thead><tr><th>#</th><th>label</th><th>score</th>"
                        + "<th>against review / block</th><th>verdict: is it?</th></tr></thead><tbody>");
        int n = 1;
        for (String label : labels) {
            Double score = e.scores().get(label);
            Thresholds.Label t = thresholds.get(label);
            s.append("<tr data-label=\"").append(esc(label)).append("\"><td>").append(n++);
            s.append("</td><td>").append(esc(label)).append("</td><td>");
            s.append(score == null ? "n/a" : String.format(Locale.ROOT, "%.3f", score));
            s.append("</td><td><span class=\"bar\"><span class=\"score\" style=\"width:")
                    .append(percent(score == null ? 0 : score))
                    .append("\"></span>");
            if (t != null) {
                s.append("<span class=\"review\" title=\"review ")
                        .append(t.review())
                        .append("\" style=\"left:")
                        .append(percent(t.review()))
                        .append("\"></span><span class=\"block\" title=\"block ")
                        .append(t.block())
                        .append("\" style=\"left:")
                        .append(percent(t.block()))
                        .append("\"></span>");
            }
            s.append("</span>");
            if (t != null) {
                s.append(String.format(Locale.ROOT, " review %.2f / block %.2f", t.review(), t.block()));
            }
            s.append("</td><td><label><input type=\"checkbox\" name=\"label_")
                    .append(esc(label))
                    .append("\" value=\"true\"")
                    .append(flagged(e, label, thresholds) ? " checked" : "")
                    .append("> ")
                    .append(esc(label))
                    .append("</label></td></tr>");
        }
        s.append("</tbody></table><p><label>note <input name=\"note\" size=\"60\"></label></p>"
                + "<p><button type=\"submit\" name=\"action\" value=\"submit\">Submit (Enter)</button> "
                + "<button type=\"submit\" name=\"action\" value=\"approve\">Approve: none apply (a)</button> "
                + "<button type=\"submit\" name=\"action\" value=\"remove\">Remove: flagged apply (r)</button>"
                + "</p></form>");

        s.append("<h2>History</h2><ul class=\"history\">");
        for (Events.Scoring sc : history.scorings()) {
            s.append("<li class=\"scoring\" data-model-version=\"")
                    .append(esc(sc.modelVersion()))
                    .append("\">scored by model ")
                    .append(esc(sc.encoderName().map(enc -> enc + " ").orElse("")))
                    .append(esc(sc.modelVersion()))
                    .append(" at ")
                    .append(esc(sc.labeledAt().map(Object::toString).orElse("?")))
                    .append(": ")
                    .append(esc(sc.decision()))
                    .append(" under policy ")
                    .append(esc(sc.policyVersion()))
                    .append(" (worker ")
                    .append(esc(sc.workerId()))
                    .append(")</li>");
        }
        for (Events.Verdict v : history.verdicts()) {
            s.append("<li class=\"verdict\">verdict by ")
                    .append(esc(v.moderator()))
                    .append(" at ")
                    .append(esc(v.judgedAt().map(Object::toString).orElse("?")))
                    .append(": ")
                    .append(esc(v.labels()))
                    .append(v.note() == null || v.note().isBlank() ? "" : " — " + esc(v.note()))
                    .append("</li>");
        }
        for (Audit.Entry a : history.audit()) {
            s.append("<li class=\"audit\">")
                    .append(esc(a.at()))
                    .append(" ")
                    .append(esc(a.actor()))
                    .append(" ")
                    .append(esc(a.action()))
                    .append(" ")
                    .append(esc(a.detail()))
                    .append("</li>");
        }
        s.append("</ul></article>");
        return s.toString();
    }

    private static String percent(double value) {
        double clamped = Math.max(0, Math.min(1, value));
        return String.format(Locale.ROOT, "%.1f%%", clamped * 100);
    }
}
