/**
 * The moderator console's web layer: {@link io.streamguard.console.web.ConsoleServer} (Javalin 7 on Jetty
 * 12) renders HTML on the server from plain Java with every value escaped ({@code Html.esc}); htmx, from
 * its webjar, refreshes the header counts and the first queue page in place; {@code static/console.js}
 * adds the keyboard shortcuts. No template engine and no Node toolchain at build time.
 *
 * <p>Routes: {@code GET/POST /login} (throttled: 429 after 5 failures for a name or from an address in 5
 * minutes, {@link io.streamguard.console.web.SignInThrottle}), {@code POST /logout}, {@code GET /queue}
 * (tabs, filters, keyset {@code after=} pages), {@code GET /queue/rows} and {@code GET /counts} (the live
 * fragments), {@code GET /next} (claims the next unclaimed pending item), {@code GET /item/{id}} (claims
 * it), {@code POST /item/{id}/verdict}, {@code POST /bulk}; for admins ({@link
 * io.streamguard.console.web.AdminRoutes}, 403 for moderators): {@code GET /audit}, {@code GET/POST
 * /admin/thresholds} (one label's review/block thresholds, written as a new policy version and audited as
 * action {@code policy}).
 *
 * <p>What the launcher wires in: {@link io.streamguard.console.web.Thresholds} (the live policy), {@link
 * io.streamguard.console.web.PolicyEditor} (writes a policy version on moderation-policy; without one, a
 * threshold change is refused), {@link io.streamguard.console.web.VerdictSink} (the Feedback producer),
 * {@link io.streamguard.console.web.Explainer} (occlusion from the model runtime), {@link
 * io.streamguard.console.web.LiveModel} (model-versions). Errors are {@code ConsoleException}s, the
 * module's root exception.
 *
 * <p>Hooks other tools rely on: the sign-in fields are named {@code username} and {@code password}; every
 * queue row ({@code tr.item}) and the open item ({@code article.item}) carry {@code data-event-id}; on
 * {@code /admin/thresholds} each label's row is {@code tr[data-label=LABEL]}, its form has inputs {@code
 * review} and {@code block} and the button {@code [data-action=set-thresholds]}.
 */
package io.streamguard.console.web;
