package io.streamguard.console.web;

import static io.streamguard.console.web.Html.esc;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Renders the admins' thresholds page: each label's live REVIEW and BLOCK thresholds with a form to change
 * them. Browser tests rely on {@code tr[data-label]}, the inputs {@code review} and {@code block} and the
 * button {@code [data-action=set-thresholds]}.
 */
final class ThresholdsView {
    private ThresholdsView() {}

    /**
     * The page body; {@code notice} confirms the last change, {@code error} says why it was refused, and
     * {@code rejected} (label, review, block as typed) refills that label's form so the admin can fix it.
     */
    static String body(
            Map<String, Thresholds.Label> current,
            String csrf,
            Optional<String> notice,
            Optional<String> error,
            Optional<Rejected> rejected) {
        StringBuilder s = new StringBuilder("<h1>Thresholds</h1>");
        notice.ifPresent(n -> s.append("<p class=\"notice\" id=\"thresholds-notice\">")
                .append(esc(n))
                .append("</p>"));
        error.ifPresent(e -> s.append("<p class=\"error\" id=\"thresholds-error\">")
                .append(esc(e))
                .append("</p>"));
        s.append("<p>Score &ge; block blocks; else score &ge; review sends to review. A change writes a new policy"
                + " version that every worker applies at once.</p>");
        if (current.isEmpty()) {
            return s.append("<p>No labels: the live policy is not known yet.</p>")
                    .toString();
        }
        s.append("<table class=\"thresholds\"><thead><tr><th>label</th><th>review</th><th>block</th>"
                + "<th>change</th></tr></thead><tbody>");
        for (Map.Entry<String, Thresholds.Label> e : new TreeMap<>(current).entrySet()) {
            String label = e.getKey();
            Thresholds.Label t = e.getValue();
            Optional<Rejected> mine = rejected.filter(r -> r.label().equals(label));
            String review = mine.map(Rejected::review).orElse(number(t.review()));
            String block = mine.map(Rejected::block).orElse(number(t.block()));
            s.append("<tr data-label=\"")
                    .append(esc(label))
                    .append("\"><td>")
                    .append(esc(label))
                    .append("</td><td class=\"review\">")
                    .append(number(t.review()))
                    .append("</td><td class=\"block\">")
                    .append(number(t.block()))
                    .append("</td><td><form method=\"post\" action=\"/admin/thresholds\" style=\"margin:0\">")
                    .append(Html.csrfField(csrf))
                    .append("<input type=\"hidden\" name=\"label\" value=\"")
                    .append(esc(label))
                    .append("\">")
                    .append(input("review", review))
                    .append(input("block", block))
                    .append("<button type=\"submit\" data-action=\"set-thresholds\">Set</button></form></td></tr>");
        }
        return s.append("</tbody></table>").toString();
    }

    /** A refused change as the admin typed it. */
    record Rejected(String label, String review, String block) {}

    /** A threshold as typed in a policy: no trailing zeros, no exponent (0.3, 0.975, 1). */
    static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static String input(String name, String value) {
        return "<label>" + name + " <input type=\"number\" name=\"" + name
                + "\" min=\"0\" max=\"1\" step=\"any\" required size=\"6\" value=\"" + esc(value) + "\"></label> ";
    }
}
