package io.streamguard.launcher.stack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.streamguard.launcher.cli.LauncherException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTPS with HTTP basic authentication in front of the embedded registry, which then listens on
 * loopback only. Apicurio 2.4's own authentication is OIDC (Keycloak); its "basic auth" only trades
 * client credentials for an OIDC token, so without an identity provider the registry cannot check a
 * password itself. This gateway does: every request must carry the user and password of a {@link
 * LocalPrincipal}, or is answered 401 without reaching the registry.
 *
 * <p>It forwards method, path, query, body and the content headers, and answers with the registry's
 * status, content type and body. The Authorization header is never forwarded or logged.
 */
public final class RegistryGateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryGateway.class);
    private static final Set<String> FORWARDED_HEADERS = Set.of("content-type", "accept");
    private static final Duration UPSTREAM_TIMEOUT = Duration.ofSeconds(30);

    private final HttpsServer server;
    private final ExecutorService executor;
    private final URI upstream;
    private final Map<String, byte[]> passwords;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicBoolean closed = new AtomicBoolean();

    private RegistryGateway(HttpsServer server, ExecutorService executor, URI upstream, Map<String, byte[]> passwords) {
        this.server = server;
        this.executor = executor;
        this.upstream = upstream;
        this.passwords = passwords;
    }

    /**
     * Serves {@code https://127.0.0.1:<port>} with the broker's certificate, forwarding to {@code upstream}
     * (the registry's loopback root, e.g. {@code http://127.0.0.1:41234}).
     *
     * @throws LauncherException if the port is taken or the keystore unusable
     */
    public static RegistryGateway start(int port, URI upstream, LocalSecurity security) {
        int httpsPort = Ports.resolve(port, "schema registry (TLS)");
        Ports.requireFree(httpsPort, "schema registry (TLS)");
        Map<String, byte[]> passwords = new HashMap<>();
        for (LocalPrincipal principal : LocalPrincipal.values()) {
            passwords.put(principal.user(), security.password(principal).getBytes(StandardCharsets.UTF_8));
        }
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(security.loadBrokerKeystore(), security.storePassword().toCharArray());
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(keys.getKeyManagers(), null, null);
            HttpsServer server = HttpsServer.create(new InetSocketAddress(Ports.LOOPBACK, httpsPort), 16);
            server.setHttpsConfigurator(new HttpsConfigurator(tls));
            ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "streamguard-registry-gateway");
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(executor);
            RegistryGateway gateway = new RegistryGateway(server, executor, upstream, Map.copyOf(passwords));
            server.createContext("/", gateway::handle);
            server.start();
            LOG.info(
                    "Schema registry TLS gateway on https://{}:{} (basic auth) in front of {}",
                    Ports.LOOPBACK,
                    httpsPort,
                    upstream);
            return gateway;
        } catch (IOException | GeneralSecurityException e) {
            throw new LauncherException("could not start the registry's TLS gateway: " + e.getMessage(), e);
        }
    }

    /** {@code https://127.0.0.1:<port>}: the registry's root as clients see it. */
    public String rootUrl() {
        return "https://" + Ports.LOOPBACK + ":" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Optional<String> user = authenticate(exchange.getRequestHeaders().getFirst("Authorization"));
            if (user.isEmpty()) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"streamguard-registry\"");
                respond(
                        exchange,
                        401,
                        "application/json",
                        "{\"error_code\":401,\"message\":\"Unauthorized\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(
                            upstream.resolve(exchange.getRequestURI().getRawPath()
                                    + (exchange.getRequestURI().getRawQuery() == null
                                            ? ""
                                            : "?" + exchange.getRequestURI().getRawQuery())))
                    .timeout(UPSTREAM_TIMEOUT)
                    .method(
                            exchange.getRequestMethod(),
                            body.length == 0
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (FORWARDED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(v -> request.header(name, v));
                }
            });
            HttpResponse<byte[]> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                respond(
                        exchange,
                        502,
                        "text/plain",
                        ("registry unreachable: " + e.getMessage()).getBytes(StandardCharsets.UTF_8));
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                respond(exchange, 503, "text/plain", new byte[0]);
                return;
            }
            respond(
                    exchange,
                    response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(null),
                    response.body());
        }
    }

    /** The user whose password the header carries; empty for no, a malformed, or a wrong one. */
    Optional<String> authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(
                    Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        String user = decoded.substring(0, colon);
        byte[] expected = passwords.get(user);
        byte[] given = decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
        // Constant time whatever the user: a wrong user costs as much as a wrong password.
        boolean ok = MessageDigest.isEqual(expected == null ? new byte[given.length + 1] : expected, given);
        return ok && expected != null ? Optional.of(user) : Optional.empty();
    }

    private static void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().put("Content-Type", List.of(contentType));
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Stops accepting requests and waits up to a second for those under way. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.stop(1);
            executor.shutdownNow();
        }
    }
}
