/**
 * Languages: which one an encoder reads ({@link io.streamguard.model.language.Language#ofEncoder}, the one
 * mapping from encoder id to language, so training data, benign samples and routing all follow it), and
 * which one a text is in, so a worker can send it to the model of that language.
 * {@link io.streamguard.model.language.ResolvedLanguage#of} takes the producer's tag when there is one
 * ({@link io.streamguard.model.language.LanguageTags#primary}: {@code zh-CN} and {@code zh_Hant} are
 * {@code zh}), else detects it from the text's scripts ({@link io.streamguard.model.language.LanguageDetector}):
 * pure, allocation-free per character, microseconds per text. Script tells Chinese from Japanese, Korean,
 * Russian, Arabic and so on, not English from other Latin-script languages: only a producer's tag does.
 */
package io.streamguard.model.language;
