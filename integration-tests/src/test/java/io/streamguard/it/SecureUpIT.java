package io.streamguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamguard.launcher.stack.LocalPrincipal;
import io.streamguard.launcher.stack.LocalSecurity;
import io.streamguard.topology.testing.SeededHeads;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code streamguard up --secure --demo} as users run it: every component connects with its own principal
 * (worker, retrainer, Connect and its connectors, the CLI), the demo's 300 texts end as rows in PostgreSQL,
 * the CLI connects with the generated client file and not without it, and no generated password shows in
 * up's stdout, its stderr log, the registry's or Connect's log, or {@code --help}.
 */
class SecureUpIT {

    @TempDir
    Path dataDir;

    @Test
    void upSecureRunsTheDemoEndToEndAndTheCliNeedsItsClientFile() throws Exception {
        Path heads = dataDir.resolve("seeded-minilm.json");
        SeededHeads.minilm("seeded-secure-up", 5, 128, heads);
        Path events = dataDir.resolve("events.jsonl");
        Files.writeString(events, """
                {"id":"s-1","text":"first secured event"}
                {"id":"s-2","text":"second secured event"}
                """);
        Path stack = dataDir.resolve("stack");
        Path cliConfig = stack.resolve(LocalSecurity.DIR).resolve("client-cli.properties");

        try (UpCommandIT.Up up = UpCommandIT.Up.start(
                stack,
                "--secure",
                "--heads",
                heads.toString(),
                "--demo",
                "--demo-events",
                "300",
                "--demo-rate",
                "200",
                "--datasets",
                System.getProperty("streamguard.home") + "/../shared/datasets")) {
            assertThat(up.registry).startsWith("https://127.0.0.1:");
            assertThat(up.beforeReady)
                    .filteredOn(l -> l.startsWith("SECURE "))
                    .singleElement()
                    .satisfies(l -> assertThat(l)
                            .contains("cli=" + cliConfig.toAbsolutePath().normalize()));
            assertThat(up.awaitLine("DEMO SUMMARY", 300)).contains("produced=300 labeled=300");
            assertThat(up.awaitLine("DEMO DATABASE", 300))
                    .contains("300 of 300 decisions are rows of moderation_events");

            Cli anonymous = Cli.run(
                    "produce",
                    "--topic",
                    "text-events",
                    "--bootstrap",
                    up.bootstrap,
                    "--registry",
                    up.registry,
                    events.toString());
            assertThat(anonymous.exit()).as("no credentials").isEqualTo(1);
            Cli produce = Cli.run(
                    "produce",
                    "--topic",
                    "text-events",
                    "--bootstrap",
                    up.bootstrap,
                    "--registry",
                    up.registry,
                    "--config",
                    cliConfig.toString(),
                    events.toString());
            assertThat(produce.exit()).as(produce.err()).isZero();
            assertThat(produce.out()).contains("Produced 2 records");

            List<String> outputs = new ArrayList<>(up.beforeReady);
            outputs.addAll(up.linesSoFar());
            up.stop();
            outputs.add(Files.readString(stack.resolveSibling("up.stderr.log")));
            outputs.add(Files.readString(stack.resolve("registry.log")));
            outputs.add(Files.readString(stack.resolve("connect").resolve("connect.log")));
            for (String command : List.of("up", "produce", "consume", "retrainer", "console", "worker")) {
                outputs.add(Cli.run(command, "--help").out());
            }
            Set<String> secrets = secrets(stack);
            assertThat(secrets).hasSize(LocalPrincipal.values().length + 1);
            for (String output : outputs) {
                for (String secret : secrets) {
                    assertThat(output).doesNotContain(secret);
                }
            }
        }
    }

    private static Set<String> secrets(Path stack) throws Exception {
        Properties credentials = new Properties();
        try (InputStream in =
                Files.newInputStream(stack.resolve(LocalSecurity.DIR).resolve(LocalSecurity.CREDENTIALS))) {
            credentials.load(in);
        }
        Set<String> out = new HashSet<>();
        credentials.stringPropertyNames().forEach(k -> out.add(credentials.getProperty(k)));
        return out;
    }
}
