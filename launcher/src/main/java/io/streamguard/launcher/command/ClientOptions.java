package io.streamguard.launcher.command;

import io.streamguard.launcher.client.ClientSecurity;
import io.streamguard.launcher.stack.EmbeddedRegistry;
import io.streamguard.launcher.stack.EmbeddedStack;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Where the CLI's clients connect; defaults match `streamguard up` and can come from the
 * environment.
 */
final class ClientOptions {
    static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";
    static final String DEFAULT_REGISTRY = "http://127.0.0.1:8081" + EmbeddedRegistry.CCOMPAT_PATH;

    private ClientOptions() {}

    /** {@code --bootstrap}, default {@code $STREAMGUARD_BOOTSTRAP} or 127.0.0.1:9092. */
    static final class Bootstrap {
        @Option(
                names = {"-b", "--bootstrap"},
                paramLabel = "HOST:PORT",
                defaultValue = "${env:STREAMGUARD_BOOTSTRAP:-" + DEFAULT_BOOTSTRAP + "}",
                description = "Kafka bootstrap servers (env STREAMGUARD_BOOTSTRAP; default: ${DEFAULT-VALUE}).")
        String bootstrap;

        @Spec(Spec.Target.MIXEE)
        CommandSpec mixee;

        /**
         * {@code --config FILE}, default {@code $STREAMGUARD_CONFIG}: the client properties (SASL, TLS,
         * registry basic auth) every client of the command connects with; see {@link ClientSecurity}.
         */
        @Option(
                names = "--config",
                paramLabel = "FILE",
                defaultValue = "${env:" + ClientSecurity.CONFIG_ENV + "}",
                description = "Client properties: security.protocol, sasl.*, ssl.*, basic.auth.*, schema.registry.ssl.*"
                        + " (env " + ClientSecurity.CONFIG_ENV + "; STREAMGUARD_<KEY> variables override its keys).")
        void config(Path file) {
            if (file != null && !Files.isReadable(file)) {
                throw new ParameterException(mixee.commandLine(), "--config: cannot read " + file);
            }
            security = ClientSecurity.load(file, System.getenv());
            ClientSecurity.use(security);
        }

        private ClientSecurity security;

        /** What {@code --config} and the environment gave this command; the process's if it was not parsed. */
        ClientSecurity security() {
            return security != null ? security : ClientSecurity.current();
        }
    }

    /**
     * {@code --registry}, default {@code $STREAMGUARD_REGISTRY_URL} or the embedded registry's URL.
     */
    static final class Registry {
        @Option(
                names = {"-r", "--registry"},
                paramLabel = "URL",
                defaultValue = "${env:STREAMGUARD_REGISTRY_URL:-" + DEFAULT_REGISTRY + "}",
                description =
                        "Confluent-API schema registry URL (env STREAMGUARD_REGISTRY_URL; default: ${DEFAULT-VALUE}).")
        String registry;

        @Spec(Spec.Target.MIXEE)
        CommandSpec mixee;

        /** The URL without a trailing slash; a non-http(s) value is a usage error. */
        String url() {
            String url = EmbeddedStack.stripTrailingSlash(registry.strip());
            try {
                URI uri = new URI(url);
                if (uri.getHost() == null
                        || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
                    throw new ParameterException(
                            mixee.commandLine(), "--registry must be an http(s) URL, was '" + registry + "'");
                }
            } catch (URISyntaxException e) {
                throw new ParameterException(mixee.commandLine(), "--registry is not a valid URL: '" + registry + "'");
            }
            return url;
        }
    }
}
