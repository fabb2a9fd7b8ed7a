package io.streamguard.console.web;

import io.streamguard.console.store.ConsoleException;

/**
 * Changes one label's thresholds in the live moderation policy: the launcher writes a new ModerationPolicy
 * version on moderation-policy exactly like {@code streamguard policy set --label L --review X --block Y},
 * so workers and {@link Thresholds} pick it up hot; tests use an in-memory one.
 *
 * <p>The console has validated the request before calling (a label {@link Thresholds#current()} knows, 0
 * &le; review &le; block &le; 1), so a failure here is the policy topic's: throw a {@link
 * ConsoleException} whose message the admin can act on.
 */
@FunctionalInterface
public interface PolicyEditor {
    /** Writes the new policy version, changed by {@code admin}, and returns that version (e.g. "v4"). */
    String setThresholds(String label, double review, double block, String admin);

    /** For a console without a policy topic: every change is refused. */
    static PolicyEditor none() {
        return (label, review, block, admin) -> {
            throw new ConsoleException("no policy topic configured");
        };
    }
}
