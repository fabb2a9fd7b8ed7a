package io.streamguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml as Docker Compose resolves it, without a Docker engine: Debian's {@code docker-compose}
 * 1.29.2 (installed by scripts/install-test-deps.sh) validates the file, with and without the gpu profile, and
 * prints the resolved configuration the assertions read. deploy/Dockerfile is checked against it: every target
 * a service builds exists, and its entry point is a script of deploy/bin, which Debian's shellcheck passes. Whether
 * those entry points run is scripts/check-images.py's job (minutes; README "Deployment (docker compose)").
 */
class DeploymentFilesIT {
    private static final Path ROOT =
            Path.of(System.getProperty("streamguard.home", "..")).toAbsolutePath();
    private static final Path COMPOSE_FILE = ROOT.resolve("docker-compose.yml");
    private static final Set<String> WORKERS = Set.of("tokenizer", "inference", "inference-gpu");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void composeValidatesTheFileWithAndWithoutTheGpuProfile() throws Exception {
        assertThat(compose("config", "-q")).isEmpty();
        assertThat(compose("--profile", "gpu", "config", "-q")).isEmpty();
        // Compose 1.29 lists every service; `up` without --profile gpu starts those without a profile.
        assertThat(compose("config", "--profiles").lines()).containsExactly("gpu");
        JsonNode services = resolved().get("services");
        Set<String> profiled = new TreeSet<>();
        services.fields().forEachRemaining(service -> {
            if (service.getValue().has("profiles")) {
                profiled.add(service.getKey());
            }
        });
        assertThat(profiled).containsExactly("inference-gpu");
        assertThat(compose("config", "--services").lines())
                .containsExactlyInAnyOrder(
                        "kafka",
                        "registry",
                        "postgres",
                        "connect",
                        "init",
                        "tokenizer",
                        "inference",
                        "inference-gpu",
                        "retrainer",
                        "retrainer-zh",
                        "console");
    }

    @Test
    void workersScaleAndAreHealthyOnlyWhenReady() throws Exception {
        JsonNode services = resolved().get("services");
        for (String name : WORKERS) {
            JsonNode worker = services.get(name);
            // `--scale` needs neither a fixed name nor a fixed host port; the worker id is then the host name.
            assertThat(worker.has("container_name")).as(name).isFalse();
            assertThat(worker.has("ports")).as(name).isFalse();
            assertThat(worker.get("environment").has("STREAMGUARD_WORKER_ID"))
                    .as(name)
                    .isFalse();
            assertThat(worker.get("environment").get("STREAMGUARD_METRICS_PORT").asText())
                    .isEqualTo("9464");
            assertThat(strings(worker.at("/healthcheck/test")))
                    .as(name)
                    .containsSubsequence("CMD", "curl")
                    .contains("http://localhost:9464/ready");
            assertThat(worker.at("/depends_on/init/condition").asText()).isEqualTo("service_completed_successfully");
        }
        assertThat(services.at("/tokenizer/environment/STREAMGUARD_ROLE").asText())
                .isEqualTo("tokenizer");
        // Tokenizer and inference workers must serve the same encoders, or events are dead-lettered.
        for (String name : WORKERS) {
            assertThat(services.at("/" + name + "/environment/STREAMGUARD_MODEL_ENCODER")
                            .asText())
                    .as(name)
                    .isEqualTo("minilm-l6,bge-small-zh");
        }
        assertThat(services.at("/inference/environment/STREAMGUARD_MODEL_DEVICE")
                        .asText())
                .isEqualTo("cpu");
    }

    @Test
    void theGpuInferenceServiceReservesAnNvidiaGpuBesideTheCpuOne() throws Exception {
        JsonNode services = resolved().get("services");
        JsonNode gpu = services.get("inference-gpu");
        assertThat(strings(gpu.get("profiles"))).containsExactly("gpu");
        JsonNode device = gpu.at("/deploy/resources/reservations/devices/0");
        assertThat(device.get("driver").asText()).isEqualTo("nvidia");
        assertThat(device.get("count").asInt()).isEqualTo(1);
        assertThat(strings(device.get("capabilities"))).containsExactly("gpu");
        assertThat(gpu.at("/build/target").asText()).isEqualTo("streamguard-gpu");
        assertThat(gpu.at("/environment/STREAMGUARD_MODEL_DEVICE").asText()).isEqualTo("gpu");
        assertThat(services.get("inference").has("deploy")).isFalse();

        // Built from the -Pgpu launcher, which brings CUDA and cuDNN as jars: the plain JRE stage, no CUDA image.
        assertThat(stages().get("streamguard-gpu").get("FROM")).isEqualTo("jre");
        String oneLine = dockerfile().replace("\\\n", " ");
        assertThat(oneLine)
                .contains("mvn -B -ntp -Pgpu -DskipTests -Dspotless.check.skip=true -pl launcher -am package")
                .contains("COPY --from=gpu-build /src/launcher/target/gpu/lib/ /opt/streamguard/lib/")
                .contains("COPY --from=gpu-build /src/launcher/target/gpu/streamguard-launcher.jar ")
                .contains("RUN /opt/streamguard/bin/streamguard devices")
                .doesNotContain("nvidia/cuda");
    }

    @Test
    void everyServiceIsHealthCheckedAndStartsAfterWhatItNeedsIsHealthy() throws Exception {
        JsonNode services = resolved().get("services");
        Map<String, String> probes = Map.of(
                "kafka", "topics",
                "registry", "http://localhost:8080/health/ready",
                "postgres", "pg_isready",
                "connect", "http://localhost:8083/connectors",
                "console", "http://localhost:8088/login");
        probes.forEach((name, probe) -> assertThat(strings(services.at("/" + name + "/healthcheck/test")))
                .as(name)
                .contains(probe));
        for (String dependency : List.of("kafka", "registry", "postgres")) {
            assertThat(services.at("/connect/depends_on/" + dependency + "/condition")
                            .asText())
                    .isEqualTo("service_healthy");
        }
        for (String dependency : List.of("kafka", "registry", "connect")) {
            assertThat(services.at("/init/depends_on/" + dependency + "/condition")
                            .asText())
                    .isEqualTo("service_healthy");
        }
        assertThat(String.join(" ", strings(services.at("/init/command"))))
                .contains("topics create", "connectors apply");
        // Reached from the published port: the console binds all interfaces inside its container.
        assertThat(strings(services.at("/console/command"))).containsSubsequence("--host", "0.0.0.0");
    }

    @Test
    void everyBuiltServiceHasADockerfileTargetWhoseEntryPointIsAnExecutableScript() throws Exception {
        JsonNode services = resolved().get("services");
        Map<String, Map<String, String>> stages = stages();
        Set<String> targets = new TreeSet<>();
        services.fields().forEachRemaining(service -> {
            JsonNode build = service.getValue().get("build");
            if (build != null) {
                assertThat(build.get("dockerfile").asText()).isEqualTo("deploy/Dockerfile");
                targets.add(build.get("target").asText());
            }
        });
        assertThat(targets).containsExactlyInAnyOrder("kafka", "registry", "connect", "streamguard", "streamguard-gpu");
        for (String target : targets) {
            String entryPoint = stages.get(target).get("ENTRYPOINT");
            assertThat(entryPoint).as(target).isNotNull().startsWith("[\"/opt/streamguard/bin/");
            String script = entryPoint.replaceAll("^\\[\"/opt/streamguard/bin/([^\"]+)\".*", "$1");
            assertThat(ROOT.resolve("deploy/bin").resolve(script)).as(target).isExecutable();
        }
        // No secret in an image: passwords are the environment's, at run time.
        assertThat(dockerfile().replace("\\\n", " ").lines())
                .filteredOn(line -> line.matches("(?i)\\s*(ENV|ARG)\\s.*"))
                .noneMatch(line -> line.toLowerCase(java.util.Locale.ROOT).contains("password"));
    }

    @Test
    void theEntryScriptsPassShellcheck() throws Exception {
        List<String> command = new ArrayList<>(List.of("shellcheck"));
        try (var scripts = Files.list(ROOT.resolve("deploy/bin"))) {
            scripts.sorted().forEach(script -> command.add(script.toString()));
        }
        assertThat(command).hasSizeGreaterThan(4);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
    }

    /** `docker-compose --profile gpu config`, as a tree. */
    private static JsonNode resolved() throws Exception {
        return YAML.readTree(compose("--profile", "gpu", "config"));
    }

    private static String compose(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker-compose", "-f", COMPOSE_FILE.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .directory(ROOT.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue())
                .as("docker-compose " + String.join(" ", args))
                .isZero();
        return out;
    }

    private static String dockerfile() throws IOException {
        return Files.readString(ROOT.resolve("deploy/Dockerfile"));
    }

    /** Per build target: its FROM and the last ENTRYPOINT it declares or inherits from the stage it is FROM. */
    private static Map<String, Map<String, String>> stages() throws IOException {
        Map<String, Map<String, String>> stages = new HashMap<>();
        Map<String, String> current = null;
        Pattern from = Pattern.compile("(?i)^FROM\\s+(\\S+)(?:\\s+AS\\s+(\\S+))?");
        for (String line : dockerfile().replace("\\\n", " ").split("\n")) {
            Matcher m = from.matcher(line.strip());
            if (m.find()) {
                current = new HashMap<>(stages.getOrDefault(m.group(1), Map.of()));
                current.put("FROM", m.group(1));
                stages.put(m.group(2), current);
            } else if (current != null && line.startsWith("ENTRYPOINT ")) {
                current.put("ENTRYPOINT", line.substring("ENTRYPOINT ".length()).strip());
            }
        }
        return stages;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(node -> out.add(node.asText()));
        return out;
    }
}
