package io.streamguard.console.web;

import static io.streamguard.console.web.Html.esc;
import static io.streamguard.console.web.Html.url;

import io.streamguard.console.store.Queue;
import io.streamguard.console.store.QueueCounts;
import io.streamguard.console.store.QueueItem;
import io.streamguard.console.store.QueuePage;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Renders the queue page: the header with counts, queue tabs, the filter form and a page of rows. */
final class QueueView {
    /** The filters as the request gave them (blank = unset), echoed into forms and links. */
    record Filters(
            Queue queue,
            String label,
            String decision,
            String modelVersion,
            String language,
            String source,
            String maxAgeMinutes) {
        /** The query string of these filters, without a cursor. */
        String query(Queue q) {
            StringBuilder s = new StringBuilder("queue=").append(q.name().toLowerCase(Locale.ROOT));
            append(s, "label", label);
            append(s, "decision", decision);
            append(s, "model", modelVersion);
            append(s, "language", language);
            append(s, "source", source);
            append(s, "maxAgeMinutes", maxAgeMinutes);
            return s.toString();
        }

        private static void append(StringBuilder s, String name, String value) {
            if (!value.isBlank()) {
                s.append('&').append(name).append('=').append(url(value));
            }
        }
    }

    private QueueView() {}

    /** The header: who is signed in, every queue's count, the age of the oldest pending item, sign-out. */
    static String header(String user, String role, String csrf, QueueCounts counts, Optional<String> liveModel) {
        return "<header><strong>StreamGuard console</strong>"
                + "<span id=\"counts\" hx-get=\"/counts\" hx-trigger=\"every 5s\" hx-swap=\"innerHTML\">"
                + counts(counts) + "</span><span id=\"live-model\">model " + esc(liveModel.orElse("unknown"))
                + "</span>"
                + (role.equals("admin")
                        ? "<a href=\"/audit\">audit log</a><a href=\"/admin/thresholds\">thresholds</a>"
                        : "")
                + "<span style=\"margin-left:auto\">" + esc(user) + " (" + esc(role)
                + ")</span><form method=\"post\" action=\"/logout\" style=\"margin:0\">" + Html.csrfField(csrf)
                + "<button type=\"submit\">Sign out</button></form></header>";
    }

    /** The counts fragment, also served alone for the live refresh. */
    static String counts(QueueCounts counts) {
        StringBuilder s = new StringBuilder();
        for (Queue q : Queue.values()) {
            s.append("<span class=\"count\" data-queue=\"")
                    .append(name(q))
                    .append("\">")
                    .append(name(q))
                    .append(": ")
                    .append(counts.count(q))
                    .append("</span> ");
        }
        s.append("<span id=\"oldest-pending\">oldest pending: ")
                .append(counts.oldestPending().map(QueueView::age).orElse("none"))
                .append("</span>");
        return s.toString();
    }

    static String body(
            Filters f,
            QueueCounts counts,
            List<String> labels,
            QueuePage page,
            boolean live,
            LiveModel model,
            String csrf,
            Optional<String> notice) {
        StringBuilder s = new StringBuilder("<nav class=\"tabs\">");
        for (Queue q : Queue.values()) {
            s.append("<a href=\"/queue?")
                    .append(esc(f.query(q)))
                    .append("\"")
                    .append(q == f.queue() ? " class=\"active\"" : "")
                    .append(">")
                    .append(name(q))
                    .append(" (")
                    .append(counts.count(q))
                    .append(")</a>");
        }
        s.append("<a href=\"/next\">review next &rarr;</a></nav>");
        s.append(filterForm(f, labels));
        notice.ifPresent(n ->
                s.append("<p class=\"notice\" id=\"notice\">").append(esc(n)).append("</p>"));
        s.append("<form method=\"post\" action=\"/bulk\" id=\"bulk\">")
                .append(Html.csrfField(csrf))
                .append("<p>Selected items (x selects): <button type=\"submit\" name=\"action\" value=\"approve\">"
                        + "Approve all</button> <button type=\"submit\" name=\"action\" value=\"remove\">"
                        + "Remove all</button></p>");
        s.append("<table><thead><tr><th></th><th>priority</th><th>text</th><th>decision</th><th>labels</th>"
                + "<th>model</th><th>encoder</th><th>language</th><th>source</th><th>age</th></tr></thead>");
        s.append(rows(f, page, live, model));
        s.append("</table></form>");
        page.next().ifPresent(c -> s.append("<p><a id=\"next-page\" href=\"/queue?")
                .append(esc(f.query(f.queue()) + "&after=" + url(c.encode())))
                .append("\">next page &rarr;</a></p>"));
        s.append("<p class=\"help\">Keys: j/k move, x select, Enter open, ? help</p>");
        return s.toString();
    }

    /** The rows; the first page refreshes itself so new items appear without a reload. */
    static String rows(Filters f, QueuePage page, boolean live, LiveModel model) {
        StringBuilder s = new StringBuilder("<tbody id=\"rows\"");
        if (live) {
            s.append(" hx-get=\"/queue/rows?")
                    .append(esc(f.query(f.queue())))
                    .append("\" hx-trigger=\"every 10s\" hx-swap=\"outerHTML\"");
        }
        s.append('>');
        if (page.items().isEmpty()) {
            s.append("<tr><td colspan=\"10\">No items.</td></tr>");
        }
        for (QueueItem item : page.items()) {
            String text = item.text() == null ? "" : item.text();
            if (text.length() > 140) {
                text = text.substring(0, 140) + "…";
            }
            boolean stale =
                    item.unscoredReason().isEmpty() && stale(item.modelVersion(), model.version(item.encoderName()));
            s.append("<tr class=\"item")
                    .append(stale ? " stale" : "")
                    .append("\" data-event-id=\"")
                    .append(esc(item.id()))
                    .append("\"><td><input type=\"checkbox\" name=\"id\" value=\"")
                    .append(esc(item.id()))
                    .append("\" aria-label=\"select\"></td><td>")
                    .append(String.format(Locale.ROOT, "%.2f", item.priority()))
                    .append("</td><td><a href=\"/item/")
                    .append(esc(url(item.id())))
                    .append("\">")
                    .append(esc(text))
                    .append("</a></td><td>")
                    .append(esc(item.decision()))
                    .append("</td><td>")
                    .append(
                            item.unscoredReason().isPresent()
                                    ? "<em class=\"unscored\">not scored: "
                                            + esc(item.unscoredReason().get()) + "</em>"
                                    : esc(String.join(", ", item.triggeredLabels())))
                    .append("</td><td>")
                    .append(esc(item.modelVersion()))
                    .append(stale ? " <em class=\"older\">(older model)</em>" : "")
                    .append("</td><td class=\"encoder\">")
                    .append(esc(item.encoderName().orElse("")))
                    .append("</td><td class=\"language\">")
                    .append(esc(item.language()))
                    .append("</td><td>")
                    .append(esc(item.source()))
                    .append("</td><td>")
                    .append(
                            item.labeledAt() == null
                                    ? ""
                                    : age(Duration.between(item.labeledAt(), java.time.Instant.now())))
                    .append("</td></tr>");
        }
        return s.append("</tbody>").toString();
    }

    private static String filterForm(Filters f, List<String> labels) {
        StringBuilder s = new StringBuilder("<form method=\"get\" action=\"/queue\" class=\"filters\">");
        s.append("<input type=\"hidden\" name=\"queue\" value=\"")
                .append(name(f.queue()))
                .append("\">");
        s.append("<label>label <select name=\"label\"><option value=\"\">any</option>");
        for (String label : labels) {
            s.append(option(label, f.label()));
        }
        s.append("</select></label> <label>decision <select name=\"decision\"><option value=\"\">any</option>");
        for (String d : List.of("ALLOW", "REVIEW", "BLOCK")) {
            s.append(option(d, f.decision()));
        }
        s.append("</select></label>");
        for (Map.Entry<String, String> field : List.of(
                Map.entry("model", f.modelVersion()),
                Map.entry("language", f.language()),
                Map.entry("source", f.source()),
                Map.entry("maxAgeMinutes", f.maxAgeMinutes()))) {
            s.append(" <label>")
                    .append(field.getKey().equals("maxAgeMinutes") ? "max age (min)" : field.getKey())
                    .append(" <input name=\"")
                    .append(field.getKey())
                    .append("\" value=\"")
                    .append(esc(field.getValue()))
                    .append("\" size=\"8\"></label>");
        }
        return s.append(" <button type=\"submit\">Filter</button></form>").toString();
    }

    private static String option(String value, String selected) {
        return "<option" + (value.equals(selected) ? " selected" : "") + ">" + esc(value) + "</option>";
    }

    /** Whether an item was scored by another model than the live one (never while that is unknown). */
    static boolean stale(String itemModel, Optional<String> liveModel) {
        return liveModel.isPresent() && !liveModel.get().equals(itemModel);
    }

    static String name(Queue q) {
        return q.name().toLowerCase(Locale.ROOT);
    }

    static String age(Duration d) {
        if (d.isNegative()) {
            d = Duration.ZERO;
        }
        if (d.toDays() > 0) {
            return d.toDays() + "d " + d.toHoursPart() + "h";
        }
        if (d.toHours() > 0) {
            return d.toHours() + "h " + d.toMinutesPart() + "m";
        }
        if (d.toMinutes() > 0) {
            return d.toMinutes() + "m " + d.toSecondsPart() + "s";
        }
        return d.toSeconds() + "s";
    }

    static Optional<String> blankToEmpty(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
