package io.streamguard.console.web;

import static io.streamguard.console.web.Html.esc;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Renders an explanation: per flagged label, the text with the words that drove it highlighted. */
final class WhyView {
    /** Words highlighted per label: the few that pushed hardest, so the marks stay readable. */
    static final int TOP_WORDS = 5;

    private WhyView() {}

    static String render(String text, Explainer.Explanation why, Set<String> flagged) {
        StringBuilder s = new StringBuilder("<section class=\"why\"><h2>Why</h2>");
        for (String label : flagged) {
            List<Explainer.Span> spans = why.labels().get(label);
            if (spans == null) {
                continue;
            }
            s.append("<p data-why-label=\"")
                    .append(esc(label))
                    .append("\"><strong>")
                    .append(esc(label))
                    .append("</strong>: ")
                    .append(highlight(text, spans))
                    .append("</p>");
        }
        s.append(String.format(
                Locale.ROOT,
                "<p class=\"cost\">computed from %d texts in %d ms</p></section>",
                why.texts(),
                why.cost().toMillis()));
        return s.toString();
    }

    /** The text, escaped, with the top positive spans in {@code <mark>}, shaded by weight. */
    static String highlight(String text, List<Explainer.Span> spans) {
        List<Explainer.Span> top = spans.stream()
                .filter(sp -> sp.weight() > 0 && sp.start() >= 0 && sp.end() <= text.length() && sp.start() < sp.end())
                .sorted(Comparator.comparingDouble(Explainer.Span::weight).reversed())
                .limit(TOP_WORDS)
                .sorted(Comparator.comparingInt(Explainer.Span::start))
                .collect(Collectors.toList());
        double max = top.stream().mapToDouble(Explainer.Span::weight).max().orElse(1);
        StringBuilder s = new StringBuilder();
        int at = 0;
        for (Explainer.Span sp : top) {
            if (sp.start() < at) {
                continue; // overlapping span: the first wins
            }
            s.append(esc(text.substring(at, sp.start())));
            s.append(String.format(
                            Locale.ROOT,
                            "<mark data-weight=\"%.3f\" style=\"background:rgba(255,120,0,%.2f)\">",
                            sp.weight(),
                            0.25 + 0.75 * sp.weight() / max))
                    .append(esc(text.substring(sp.start(), sp.end())))
                    .append("</mark>");
            at = sp.end();
        }
        return s.append(esc(text.substring(at))).toString();
    }
}
