package io.streamguard.console.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * HTML building blocks for the server-rendered pages: escaping (every value from the database or a
 * request passes through {@link #esc}) and the page frame with its header.
 */
final class Html {
    static final String HTMX = "/webjars/htmx.org/2.0.4/dist/htmx.min.js";

    private Html() {}

    /** Escapes text for an element body or a quoted attribute value. */
    static String esc(Object value) {
        if (value == null) {
            return "";
        }
        String s = value.toString();
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Encodes a URL query value. */
    static String url(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A hidden field carrying the session's CSRF token, for every POST form. */
    static String csrfField(String token) {
        return "<input type=\"hidden\" name=\"csrf\" value=\"" + esc(token) + "\">";
    }

    /** The whole page; {@code header} is already HTML, {@code body} too. */
    static String page(String title, String header, String body) {
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8">
                <title>%s · StreamGuard console</title>
                <script src="%s" defer></script>
                <script src="/static/console.js" defer></script>
                <style>
                body{font-family:system-ui,sans-serif;margin:0}
                header{background:#222;color:#eee;padding:.5em 1em;display:flex;gap:1em;align-items:center}
                header a{color:#eee}header button{color:#222;background:#eee;border:0;padding:.2em .6em}
                main{padding:1em}
                table{border-collapse:collapse;width:100%%}td,th{border-bottom:1px solid #ddd;padding:.3em;text-align:left}
                tr.selected{background:#ffd}tr.stale td{color:#777}.older{color:#a60}
                .bar{position:relative;background:#eee;width:20em;height:1em;display:inline-block}
                .bar .score{position:absolute;left:0;top:0;background:#48a;height:100%%}
                .bar .review,.bar .block{position:absolute;top:-2px;width:2px;height:calc(100%% + 4px)}
                .bar .review{background:#e90}.bar .block{background:#c00}
                .error{color:#c00}.tabs a{margin-right:1em}.tabs a.active{font-weight:bold}
                </style></head>
                <body>%s<main>%s</main></body></html>
                """.formatted(esc(title), HTMX, header, body);
    }
}
