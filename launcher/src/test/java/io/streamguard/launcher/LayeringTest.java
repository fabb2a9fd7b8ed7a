package io.streamguard.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The launcher's packages import only those below them (see package-info): nothing calls back up. */
class LayeringTest {
    private static final Path SOURCES = Path.of("src/main/java/io/streamguard/launcher");

    /** Lower is more basic; a package may import only packages of a lower rank. */
    private static final Map<String, Integer> RANK = Map.of(
            "cli", 0,
            "input", 1,
            "client", 1,
            "stack", 2,
            "traffic", 2,
            "command", 3,
            "bench", 3,
            "", 4);

    /** An import or a fully qualified name of a launcher class; group 1 is its sub-package, if any. */
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.streamguard\\.launcher\\.(?:([a-z]+)\\.)?[A-Z]");

    @Test
    void everyImportGoesDown() throws IOException {
        List<String> upward = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertThat(files).hasSizeGreaterThan(40);
        for (Path file : files) {
            Path dir = SOURCES.relativize(file).getParent();
            String from = dir == null ? "" : dir.toString();
            assertThat(RANK).as("rank of package '%s'", from).containsKey(from);
            Matcher m = REFERENCE.matcher(Files.readString(file));
            while (m.find()) {
                String to = m.group(1) == null ? "" : m.group(1);
                if (!to.equals(from) && RANK.get(to) >= RANK.get(from)) {
                    upward.add(file.getFileName() + " (" + from + ") imports " + (to.isEmpty() ? "the root" : to));
                }
            }
        }
        assertThat(upward).isEmpty();
    }
}
