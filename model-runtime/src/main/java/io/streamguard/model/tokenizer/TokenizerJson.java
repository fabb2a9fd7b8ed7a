package io.streamguard.model.tokenizer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The parts of a HuggingFace {@code tokenizer.json} a BERT tokenizer needs: the WordPiece
 * vocabulary and the scalar settings of {@code model}, {@code normalizer} and
 * {@code pre_tokenizer}. Streaming, so the ~700 KB file is never held as a tree.
 *
 * @param model scalar fields of {@code model} (JSON null as a null value), without {@code vocab}
 * @param normalizer scalar fields of {@code normalizer}, or null if it is absent or null
 * @param preTokenizer scalar fields of {@code pre_tokenizer}, or null if it is absent or null
 */
record TokenizerJson(
        Vocabulary vocabulary,
        Map<String, String> model,
        Map<String, String> normalizer,
        Map<String, String> preTokenizer) {

    private static final JsonFactory JSON = new JsonFactory();

    static TokenizerJson parse(InputStream in) throws IOException {
        try (JsonParser p = JSON.createParser(in)) {
            p.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidVocabularyException("tokenizer.json: top level is not a JSON object");
            }
            Map<String, Integer> vocab = null;
            Map<String, String> model = null;
            Map<String, String> normalizer = null;
            Map<String, String> preTokenizer = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "model" -> {
                        if (value != JsonToken.START_OBJECT) {
                            throw new InvalidVocabularyException("tokenizer.json: 'model' is not an object");
                        }
                        model = new HashMap<>();
                        vocab = readModel(p, model);
                    }
                    case "normalizer" -> normalizer = readScalars(p);
                    case "pre_tokenizer" -> preTokenizer = readScalars(p);
                    default -> p.skipChildren();
                }
            }
            if (vocab == null) {
                throw new InvalidVocabularyException("tokenizer.json has no model.vocab object");
            }
            return new TokenizerJson(
                    Vocabulary.fromIdMap(vocab),
                    Collections.unmodifiableMap(model),
                    unmodifiable(normalizer),
                    unmodifiable(preTokenizer));
        } catch (JsonParseException e) {
            throw new InvalidVocabularyException("tokenizer.json is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Reads the object the parser is on into {@code scalars}; returns {@code vocab}, or null. */
    private static Map<String, Integer> readModel(JsonParser p, Map<String, String> scalars) throws IOException {
        Map<String, Integer> vocab = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("vocab")) {
                if (value != JsonToken.START_OBJECT) {
                    // Unigram models store the vocab as an array of [piece, score] pairs.
                    throw new InvalidVocabularyException("tokenizer.json: model.vocab is not a token to id map");
                }
                vocab = readVocab(p);
            } else {
                putScalar(p, field, value, scalars);
            }
        }
        return vocab;
    }

    private static Map<String, Integer> readVocab(JsonParser p) throws IOException {
        Map<String, Integer> vocab = new HashMap<>(65_536);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String token = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
                throw new InvalidVocabularyException("tokenizer.json: id of '" + token + "' is not an integer");
            }
            if (vocab.put(token, p.getIntValue()) != null) {
                throw new InvalidVocabularyException("tokenizer.json: token '" + token + "' appears twice");
            }
        }
        return vocab;
    }

    private static Map<String, String> readScalars(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return Map.of();
        }
        Map<String, String> scalars = new HashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            putScalar(p, field, p.nextToken(), scalars);
        }
        return scalars;
    }

    private static void putScalar(JsonParser p, String field, JsonToken value, Map<String, String> into)
            throws IOException {
        if (value.isScalarValue()) {
            into.put(field, p.getValueAsString()); // null for JSON null, "true"/"false" for booleans
        } else {
            p.skipChildren(); // nested settings (e.g. a Sequence normalizer's list) are not needed
        }
    }

    private static Map<String, String> unmodifiable(Map<String, String> map) {
        return map == null ? null : Collections.unmodifiableMap(map);
    }
}
