package io.streamguard.launcher.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** One file of {@code connectors/config/}: Connect's own {@code {"name": ..., "config": {...}}}. */
public record ConnectorFile(String name, Map<String, String> config) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @throws IllegalArgumentException with a one-line reason if the text is not such a document
     *     (config values must be strings, numbers or booleans: Connect takes them as strings)
     */
    public static ConnectorFile parse(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("expected {\"name\": ..., \"config\": {...}}");
        }
        JsonNode name = root.get("name");
        JsonNode config = root.get("config");
        if (name == null || !name.isTextual() || name.asText().isBlank()) {
            throw new IllegalArgumentException("\"name\" must be a non-empty string");
        }
        if (config == null || !config.isObject()) {
            throw new IllegalArgumentException("\"config\" must be an object");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getValue().isValueNode() || field.getValue().isNull()) {
                throw new IllegalArgumentException(
                        "config \"" + field.getKey() + "\" must be a string, number or boolean");
            }
            values.put(field.getKey(), field.getValue().asText());
        }
        return new ConnectorFile(name.asText(), values);
    }
}
