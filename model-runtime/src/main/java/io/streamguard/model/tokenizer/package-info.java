/**
 * BERT tokenization in pure Java: text to WordPiece ids for the encoder.
 *
 * <p>{@link io.streamguard.model.tokenizer.BertTokenizer} reproduces the HuggingFace
 * {@code BertNormalizer + BertPreTokenizer + WordPiece + [CLS]/[SEP]} pipeline (and therefore
 * Google's original BERT tokenizer, apart from the documented edge cases on
 * {@code BertTokenizer}). Vocabularies come from a {@code vocab.txt} or a HuggingFace
 * {@code tokenizer.json}; {@link io.streamguard.model.tokenizer.Vocabulary#vocabHash()} identifies
 * one so model files can record what they were trained with.
 */
package io.streamguard.model.tokenizer;
