package io.streamguard.connectors.transforms;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;

/**
 * The schema plumbing the transforms share: Connect's {@code SchemaUtil} lives in connect-transforms, which a
 * plugin should not depend on at runtime, so the two operations we need are here.
 */
final class ConnectSchemas {
    private ConnectSchemas() {}

    /** A struct builder with the name, version, doc and parameters of {@code schema}, as Connect's SMTs keep them. */
    static SchemaBuilder structLike(Schema schema) {
        SchemaBuilder builder = SchemaBuilder.struct()
                .name(schema.name())
                .version(schema.version())
                .doc(schema.doc());
        if (schema.parameters() != null) {
            builder.parameters(schema.parameters());
        }
        if (schema.isOptional()) {
            builder.optional();
        }
        return builder;
    }

    /**
     * The primitive {@code schema} as an optional schema (a column that may be absent from a record), keeping
     * its logical name and parameters; its default is dropped since an absent value is null, not the default.
     */
    static Schema optionalPrimitive(Schema schema) {
        if (!schema.type().isPrimitive()) {
            throw new IllegalArgumentException("not a primitive schema: " + schema.type());
        }
        if (schema.isOptional() && schema.defaultValue() == null) {
            return schema;
        }
        SchemaBuilder builder = SchemaBuilder.type(schema.type())
                .name(schema.name())
                .version(schema.version())
                .doc(schema.doc());
        if (schema.parameters() != null) {
            builder.parameters(schema.parameters());
        }
        return builder.optional().build();
    }

    /** The field {@code name} of a struct schema, or a {@link RecordShapeException} naming what is there. */
    static Field requireField(Schema struct, String name, String transform) {
        if (struct.type() != Schema.Type.STRUCT) {
            throw new RecordShapeException(
                    transform + ": expected a struct with field '" + name + "', got " + struct.type());
        }
        Field field = struct.field(name);
        if (field == null) {
            throw new RecordShapeException(transform + ": no field '" + name + "' in "
                    + (struct.name() == null ? "the record" : struct.name()) + "; it has "
                    + struct.fields().stream().map(Field::name).toList());
        }
        return field;
    }
}
