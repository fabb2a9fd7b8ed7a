package io.streamguard.console.web;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HttpStatus;
import io.streamguard.console.store.Audit;
import io.streamguard.console.store.ConsoleException;
import io.streamguard.console.store.Role;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The admins' pages: the audit log and the per-label thresholds, whose form writes a new policy version
 * through the {@link PolicyEditor} and audits it. A moderator gets 403; CSRF is checked before, as for
 * every POST.
 */
final class AdminRoutes {
    static final int AUDIT_PAGE = 200;

    private final Audit audit;
    private final Thresholds thresholds;
    private final PolicyEditor editor;
    private final Function<Context, Sessions.Session> sessions;
    private final Function<Sessions.Session, String> header;

    /** {@code sessions} finds the request's session, {@code header} renders the page header for it. */
    AdminRoutes(
            Audit audit,
            Thresholds thresholds,
            PolicyEditor editor,
            Function<Context, Sessions.Session> sessions,
            Function<Sessions.Session, String> header) {
        this.audit = audit;
        this.thresholds = thresholds;
        this.editor = editor;
        this.sessions = sessions;
        this.header = header;
    }

    /** The newest audit entries. */
    void auditLog(Context ctx) {
        Sessions.Session session = admin(ctx, "the audit log");
        StringBuilder body = new StringBuilder("<h1>Audit log</h1><table class=\"audit\"><thead><tr><th>at</th>"
                + "<th>who</th><th>action</th><th>item</th><th>detail</th></tr></thead><tbody>");
        for (Audit.Entry e : audit.recent(AUDIT_PAGE)) {
            body.append("<tr><td>")
                    .append(Html.esc(e.at()))
                    .append("</td><td>")
                    .append(Html.esc(e.actor()))
                    .append("</td><td>")
                    .append(Html.esc(e.action()))
                    .append("</td><td>")
                    .append(e.eventId()
                            .map(id -> "<a href=\"/item/" + Html.esc(Html.url(id)) + "\">" + Html.esc(id) + "</a>")
                            .orElse(""))
                    .append("</td><td>")
                    .append(Html.esc(e.detail()))
                    .append("</td></tr>");
        }
        body.append("</tbody></table>");
        ctx.html(Html.page("Audit log", header.apply(session), body.toString()));
    }

    /** The live thresholds with a form per label; after a change, a one-line confirmation. */
    void thresholdsPage(Context ctx) {
        Sessions.Session session = admin(ctx, "thresholds");
        ctx.html(page(session, confirmation(ctx), Optional.empty(), Optional.empty()));
    }

    /**
     * Validates one label's new thresholds, writes them through the editor, audits the change and
     * redirects to the page; a refused change is shown on the page with 400 (invalid) or 502 (the editor
     * failed).
     */
    void setThresholds(Context ctx) {
        Sessions.Session session = admin(ctx, "thresholds");
        String admin = session.user().orElseThrow();
        String label = form(ctx, "label");
        ThresholdsView.Rejected typed = new ThresholdsView.Rejected(label, form(ctx, "review"), form(ctx, "block"));
        Map<String, Thresholds.Label> current = thresholds.current();
        Thresholds.Label before = current.get(label);
        if (before == null) {
            refuse(ctx, session, HttpStatus.BAD_REQUEST, "unknown label: " + label, Optional.empty());
            return;
        }
        double review;
        double block;
        try {
            review = Double.parseDouble(typed.review());
            block = Double.parseDouble(typed.block());
        } catch (NumberFormatException e) {
            refuse(
                    ctx,
                    session,
                    HttpStatus.BAD_REQUEST,
                    label + ": review and block must be numbers between 0 and 1",
                    Optional.of(typed));
            return;
        }
        if (!(0 <= review && review <= block && block <= 1)) {
            refuse(
                    ctx,
                    session,
                    HttpStatus.BAD_REQUEST,
                    label + ": thresholds must satisfy 0 ≤ review ≤ block ≤ 1 (review " + typed.review() + ", block "
                            + typed.block() + ")",
                    Optional.of(typed));
            return;
        }
        String version;
        try {
            version = editor.setThresholds(label, review, block, admin);
        } catch (ConsoleException e) {
            refuse(
                    ctx,
                    session,
                    HttpStatus.BAD_GATEWAY,
                    "The policy was not changed: " + e.getMessage(),
                    Optional.of(typed));
            return;
        }
        audit.append(admin, Audit.POLICY, null, detail(label, review, block, version, before));
        ctx.redirect("/admin/thresholds?label=" + Html.url(label) + "&review=" + ThresholdsView.number(review)
                + "&block=" + ThresholdsView.number(block) + "&version=" + Html.url(version));
    }

    private Sessions.Session admin(Context ctx, String what) {
        Sessions.Session session = sessions.apply(ctx);
        if (session.role().orElseThrow() != Role.ADMIN) {
            throw new ForbiddenResponse(what + " is for admins");
        }
        return session;
    }

    private void refuse(
            Context ctx,
            Sessions.Session session,
            HttpStatus status,
            String message,
            Optional<ThresholdsView.Rejected> typed) {
        ctx.status(status).html(page(session, Optional.empty(), Optional.of(message), typed));
    }

    private String page(
            Sessions.Session session,
            Optional<String> notice,
            Optional<String> error,
            Optional<ThresholdsView.Rejected> typed) {
        return Html.page(
                "Thresholds",
                header.apply(session),
                ThresholdsView.body(thresholds.current(), session.csrf(), notice, error, typed));
    }

    /** The confirmation of the change this page was redirected from: what was set and the new version. */
    private static Optional<String> confirmation(Context ctx) {
        String label = ctx.queryParam("label");
        String version = ctx.queryParam("version");
        if (label == null || version == null) {
            return Optional.empty();
        }
        return Optional.of(label + " set to review " + ctx.queryParam("review") + " / block " + ctx.queryParam("block")
                + ": policy version " + version + ".");
    }

    private static String detail(String label, double review, double block, String version, Thresholds.Label before) {
        return "{\"label\":" + Json.string(label) + ",\"review\":" + ThresholdsView.number(review) + ",\"block\":"
                + ThresholdsView.number(block) + ",\"version\":" + Json.string(version) + ",\"before\":{\"review\":"
                + ThresholdsView.number(before.review()) + ",\"block\":" + ThresholdsView.number(before.block())
                + "}}";
    }

    private static String form(Context ctx, String name) {
        String value = ctx.formParam(name);
        return value == null ? "" : value.trim();
    }
}
