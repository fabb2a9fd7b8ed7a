package io.streamguard.schemas;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Renders a {@link ConfigDef} for people: a markdown table for the README and short lines for
 * {@code --help}, so both say what the declaration says (the worker's and the registry client's settings).
 */
public final class ConfigDocs {

    private static final int HELP_WIDTH = 74;

    private ConfigDocs() {}

    /** Property, default, valid values and description, in declaration order. */
    public static String markdownTable(ConfigDef config) {
        StringBuilder out = new StringBuilder("| Property | Default | Valid values | Description |\n");
        out.append("|---|---|---|---|\n");
        for (ConfigDef.ConfigKey key : config.configKeys().values()) {
            String value = defaultText(key);
            out.append("| `")
                    .append(key.name)
                    .append("` | ")
                    .append(key.hasDefault() ? (value.isEmpty() ? "" : "`" + value + "`") : "required")
                    .append(" | ")
                    .append(validValues(key).replace("|", "\\|"))
                    .append(" | ")
                    .append(key.documentation.replace("|", "\\|"))
                    .append(" |\n");
        }
        return out.toString();
    }

    /** {@code name=default}, then the description wrapped at {@value #HELP_WIDTH} characters, indented. */
    public static List<String> helpLines(ConfigDef config) {
        List<String> lines = new ArrayList<>();
        for (ConfigDef.ConfigKey key : config.configKeys().values()) {
            String value = defaultText(key);
            lines.add(key.name + (value.isEmpty() ? "" : "=" + value));
            StringBuilder line = new StringBuilder("   ");
            for (String word : key.documentation.split(" ")) {
                if (line.length() + 1 + word.length() > HELP_WIDTH) {
                    lines.add(line.toString());
                    line = new StringBuilder("   ");
                }
                line.append(' ').append(word);
            }
            lines.add(line.toString());
        }
        return lines;
    }

    private static String defaultText(ConfigDef.ConfigKey key) {
        // A required setting has no default: its sentinel value is no value of its type.
        return !key.hasDefault() || key.defaultValue == null
                ? ""
                : ConfigDef.convertToString(key.defaultValue, key.type);
    }

    private static String validValues(ConfigDef.ConfigKey key) {
        if (key.validator != null) {
            return key.validator.toString();
        }
        return key.type == ConfigDef.Type.BOOLEAN ? "true, false" : "";
    }
}
