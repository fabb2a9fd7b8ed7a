package io.streamguard.schemas.serde;

import io.streamguard.schemas.registry.RegistryClient;
import io.streamguard.schemas.registry.RegistryConfig;
import io.streamguard.schemas.registry.RegistryConfig.SerdeSettings;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/** The shared {@code configure(Map, isKey)} logic of the serializer, deserializer and serde. */
final class SerdeConfigs {

    interface Target {
        void init(RegistryClient client, SerdeSettings settings, boolean isKey);
    }

    private SerdeConfigs() {}

    /**
     * With a client given at construction only the serde settings are read; otherwise a client is built
     * from the registry properties.
     */
    static void configure(
            Map<String, ?> configs, boolean isKey, boolean clientGiven, RegistryClient given, Target target) {
        try {
            if (clientGiven) {
                target.init(given, SerdeSettings.fromMap(configs), isKey);
            } else {
                RegistryConfig config = RegistryConfig.fromMap(configs);
                target.init(RegistryClient.create(config), config.serde(), isKey);
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid schema registry configuration: " + e.getMessage());
        }
    }
}
