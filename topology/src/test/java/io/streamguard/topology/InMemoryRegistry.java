package io.streamguard.topology;

import io.streamguard.schemas.registry.CompatibilityLevel;
import io.streamguard.schemas.registry.RegistryClient;
import io.streamguard.schemas.registry.SchemaVersion;
import io.streamguard.schemas.registry.UnknownSchemaException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/** A schema registry in memory for TopologyTestDriver tests; integration tests use the real one. */
final class InMemoryRegistry implements RegistryClient {

    private final Map<Integer, Schema> byId = new HashMap<>();
    private final Map<String, List<Integer>> versions = new LinkedHashMap<>();
    private int nextId = 1;

    @Override
    public synchronized int register(String subject, Schema schema) {
        Integer existing = find(subject, schema);
        if (existing != null) {
            return existing;
        }
        int id = byId.entrySet().stream().filter(e -> e.getValue().equals(schema)).map(Map.Entry::getKey)
                .findFirst().orElseGet(() -> nextId++);
        byId.put(id, schema);
        versions.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
        return id;
    }

    @Override
    public synchronized int lookup(String subject, Schema schema) {
        Integer id = find(subject, schema);
        if (id == null) {
            throw new UnknownSchemaException(UnknownSchemaException.Kind.SCHEMA_NOT_FOUND, "not found",
                    "POST /subjects/" + subject);
        }
        return id;
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Schema schema = byId.get(id);
        if (schema == null) {
            throw new UnknownSchemaException(UnknownSchemaException.Kind.SCHEMA_NOT_FOUND, "Schema " + id
                    + " not found", "GET /schemas/ids/" + id);
        }
        return schema;
    }

    @Override
    public synchronized SchemaVersion latest(String subject) {
        List<Integer> ids = versions.get(subject);
        if (ids == null) {
            throw new UnknownSchemaException(UnknownSchemaException.Kind.SUBJECT_NOT_FOUND, "not found",
                    "GET /subjects/" + subject + "/versions/latest");
        }
        int id = ids.get(ids.size() - 1);
        return new SchemaVersion(subject, id, ids.size(), byId.get(id));
    }

    @Override
    public synchronized List<String> subjects() {
        return List.copyOf(versions.keySet());
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        return true;
    }

    @Override
    public CompatibilityLevel getCompatibility() {
        return CompatibilityLevel.BACKWARD;
    }

    @Override
    public CompatibilityLevel getCompatibility(String subject) {
        return CompatibilityLevel.BACKWARD;
    }

    @Override
    public void setCompatibility(CompatibilityLevel level) {
    }

    @Override
    public void setCompatibility(String subject, CompatibilityLevel level) {
    }

    private Integer find(String subject, Schema schema) {
        for (int id : versions.getOrDefault(subject, List.of())) {
            if (byId.get(id).equals(schema)) {
                return id;
            }
        }
        return null;
    }
}
