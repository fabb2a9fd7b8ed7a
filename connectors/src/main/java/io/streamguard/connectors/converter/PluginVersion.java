package io.streamguard.connectors.converter;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The plugin's version for Connect's {@code Versioned}: read from the {@code pom.properties} Maven puts into the
 * jar, so it is declared once (in the pom); "unknown" when run from a class directory (tests).
 */
final class PluginVersion {

    private static final String POM_PROPERTIES = "/META-INF/maven/io.streamguard/streamguard-connectors/pom.properties";

    static final String VERSION = read();

    private PluginVersion() {}

    private static String read() {
        try (InputStream in = PluginVersion.class.getResourceAsStream(POM_PROPERTIES)) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
