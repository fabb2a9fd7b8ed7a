package io.streamguard.connectors.converter;

import io.streamguard.schemas.registry.RegistryConfig;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The converter's own setting; the registry and serde settings ({@code schema.registry.url}, {@code basic.auth.*},
 * {@code auto.register.schemas}, {@code use.latest.version}, TLS, retries) are schemas' {@link RegistryConfig}
 * definition, which {@link #configDef()} includes rather than repeats.
 */
final class AvroConverterConfig extends AbstractConfig {

    /** Confluent's AvroConverter key for the same thing. */
    static final String SCHEMAS_CACHE_SIZE = "schemas.cache.config";

    static final int DEFAULT_SCHEMAS_CACHE_SIZE = 1000;

    private static final ConfigDef OWN = new ConfigDef()
            .define(
                    SCHEMAS_CACHE_SIZE,
                    Type.INT,
                    DEFAULT_SCHEMAS_CACHE_SIZE,
                    Range.atLeast(1),
                    Importance.LOW,
                    "How many schema translations (Avro to Connect and back, each) the converter keeps.");

    AvroConverterConfig(Map<String, ?> props) {
        super(OWN, props, false);
    }

    /** Everything the converter reads: the registry's keys plus its own. */
    static ConfigDef configDef() {
        ConfigDef def = RegistryConfig.configDef();
        OWN.configKeys().values().forEach(def::define);
        return def;
    }

    int schemasCacheSize() {
        return getInt(SCHEMAS_CACHE_SIZE);
    }
}
