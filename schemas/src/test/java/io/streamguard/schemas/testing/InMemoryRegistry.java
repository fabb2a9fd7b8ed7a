package io.streamguard.schemas.testing;

import io.streamguard.schemas.registry.CompatibilityLevel;
import io.streamguard.schemas.registry.RegistryClient;
import io.streamguard.schemas.registry.RegistryException;
import io.streamguard.schemas.registry.SchemaVersion;
import io.streamguard.schemas.registry.UnknownSchemaException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/** A registry in memory for serde tests, counting calls and able to simulate an outage. */
public final class InMemoryRegistry implements RegistryClient {

    private final Map<Integer, Schema> byId = new HashMap<>();
    private final Map<String, List<Integer>> versions = new LinkedHashMap<>();
    private final Map<String, CompatibilityLevel> levels = new HashMap<>();
    private int nextId;
    private RegistryException outage;

    public final AtomicInteger registerCalls = new AtomicInteger();
    public final AtomicInteger lookupCalls = new AtomicInteger();
    public final AtomicInteger schemaByIdCalls = new AtomicInteger();
    public final AtomicInteger latestCalls = new AtomicInteger();

    public InMemoryRegistry() {
        this(1);
    }

    /** Ids are handed out from {@code firstId} upwards. */
    public InMemoryRegistry(int firstId) {
        this.nextId = firstId;
    }

    /** Every call throws {@code failure} until cleared with null. */
    public synchronized void failWith(RegistryException failure) {
        this.outage = failure;
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        registerCalls.incrementAndGet();
        checkOutage();
        Integer existing = find(subject, schema);
        if (existing != null) {
            return existing;
        }
        int id = byId.entrySet().stream()
                .filter(e -> e.getValue().equals(schema))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseGet(() -> nextId++);
        byId.put(id, schema);
        versions.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
        return id;
    }

    @Override
    public synchronized int lookup(String subject, Schema schema) {
        lookupCalls.incrementAndGet();
        checkOutage();
        if (!versions.containsKey(subject)) {
            throw new UnknownSchemaException(
                    UnknownSchemaException.Kind.SUBJECT_NOT_FOUND, "Subject not found", "POST /subjects/" + subject);
        }
        Integer id = find(subject, schema);
        if (id == null) {
            throw new UnknownSchemaException(
                    UnknownSchemaException.Kind.SCHEMA_NOT_FOUND, "Schema not found", "POST /subjects/" + subject);
        }
        return id;
    }

    @Override
    public synchronized Schema schemaById(int id) {
        schemaByIdCalls.incrementAndGet();
        checkOutage();
        Schema schema = byId.get(id);
        if (schema == null) {
            throw new UnknownSchemaException(
                    UnknownSchemaException.Kind.SCHEMA_NOT_FOUND,
                    "Schema " + id + " not found",
                    "GET /schemas/ids/" + id);
        }
        return schema;
    }

    @Override
    public synchronized SchemaVersion latest(String subject) {
        latestCalls.incrementAndGet();
        checkOutage();
        List<Integer> ids = versions.get(subject);
        if (ids == null) {
            throw new UnknownSchemaException(
                    UnknownSchemaException.Kind.SUBJECT_NOT_FOUND,
                    "Subject not found",
                    "GET /subjects/" + subject + "/versions/latest");
        }
        int id = ids.get(ids.size() - 1);
        return new SchemaVersion(subject, id, ids.size(), byId.get(id));
    }

    @Override
    public synchronized List<String> subjects() {
        checkOutage();
        return List.copyOf(versions.keySet());
    }

    @Override
    public synchronized boolean isCompatible(String subject, Schema schema) {
        SchemaVersion latest = latest(subject);
        return SchemaCompatibility.checkReaderWriterCompatibility(schema, latest.schema())
                        .getType()
                == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
    }

    @Override
    public synchronized CompatibilityLevel getCompatibility() {
        return levels.getOrDefault("", CompatibilityLevel.BACKWARD);
    }

    @Override
    public synchronized CompatibilityLevel getCompatibility(String subject) {
        return levels.getOrDefault(subject, getCompatibility());
    }

    @Override
    public synchronized void setCompatibility(CompatibilityLevel level) {
        levels.put("", level);
    }

    @Override
    public synchronized void setCompatibility(String subject, CompatibilityLevel level) {
        levels.put(subject, level);
    }

    private Integer find(String subject, Schema schema) {
        for (int id : versions.getOrDefault(subject, List.of())) {
            if (byId.get(id).equals(schema)) {
                return id;
            }
        }
        return null;
    }

    private void checkOutage() {
        if (outage != null) {
            throw outage;
        }
    }
}
