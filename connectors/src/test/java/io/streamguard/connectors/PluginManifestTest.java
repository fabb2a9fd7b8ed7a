package io.streamguard.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.ServiceLoader;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.transforms.Transformation;
import org.junit.jupiter.api.Test;

/**
 * The embedded worker finds plugins by their {@code META-INF/services} manifests ({@code
 * plugin.discovery=service_load}, seconds instead of a 20 s class scan): a converter or transform missing
 * from them would not exist for Connect.
 */
class PluginManifestTest {

    @Test
    void everyConverterAndTransformIsInTheServiceManifests() {
        List<String> converters = ServiceLoader.load(Converter.class).stream()
                .map(p -> p.type().getName())
                .toList();
        @SuppressWarnings("rawtypes")
        List<String> transforms = ServiceLoader.load(Transformation.class).stream()
                .map(p -> p.type().getName())
                .toList();

        assertThat(converters).contains("io.streamguard.connectors.converter.AvroConverter");
        assertThat(transforms)
                .contains(
                        "io.streamguard.connectors.transforms.MapToColumns$Value",
                        "io.streamguard.connectors.transforms.MapToColumns$Key",
                        "io.streamguard.connectors.transforms.JoinArray$Value",
                        "io.streamguard.connectors.transforms.JoinArray$Key",
                        "io.streamguard.connectors.transforms.ChangeEventToTextEvent");
    }
}
