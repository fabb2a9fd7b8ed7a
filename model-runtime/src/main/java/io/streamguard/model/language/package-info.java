/**
 * Which human language an encoder reads ({@link io.streamguard.model.language.Language}), so training data,
 * benign samples and anything else language-specific are chosen from the encoder id in one place.
 */
package io.streamguard.model.language;
