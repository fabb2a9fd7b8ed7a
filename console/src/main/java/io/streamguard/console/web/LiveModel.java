package io.streamguard.console.web;

import java.util.Optional;

/**
 * The model versions the workers serve now (the launcher follows model-versions): shown in the header,
 * and items scored by another version of their encoder are marked, since their scores may no longer be
 * what the model would say. Versions are per encoder (English and Chinese may both be at v1).
 */
@FunctionalInterface
public interface LiveModel {
    /** The live version as the header shows it (with several encoders, each one's); empty while unknown. */
    Optional<String> version();

    /**
     * The live version of {@code encoder}; of the first (or only) encoder for rows that name none (labeled
     * before events named their encoder). Empty while unknown or for an encoder not served.
     */
    default Optional<String> version(Optional<String> encoder) {
        return version();
    }

    static LiveModel unknown() {
        return Optional::empty;
    }
}
