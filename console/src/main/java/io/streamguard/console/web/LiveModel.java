package io.streamguard.console.web;

import java.util.Optional;

/**
 * The model version the workers serve now (the launcher follows model-versions): shown in the header,
 * and items scored by another version are marked, since their scores may no longer be what the model
 * would say.
 */
@FunctionalInterface
public interface LiveModel {
    /** The live version; empty while unknown. */
    Optional<String> version();

    static LiveModel unknown() {
        return Optional::empty;
    }
}
