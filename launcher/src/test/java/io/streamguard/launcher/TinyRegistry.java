package io.streamguard.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Just enough of the Confluent registry API for the CLI's serdes (register a schema, fetch it by id), in memory on
 * 127.0.0.1, so that commands that write and read Avro can be tested against the embedded broker without starting
 * the Apicurio registry (integration-tests/ covers that one).
 */
final class TinyRegistry implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<String> schemas = new ArrayList<>();

    TinyRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        Object body;
        int status = 200;
        if ("POST".equals(exchange.getRequestMethod()) && path.matches("/subjects/[^/]+/versions")) {
            String schema =
                    JSON.readTree(exchange.getRequestBody()).get("schema").asText();
            if (!schemas.contains(schema)) {
                schemas.add(schema);
            }
            body = Map.of("id", schemas.indexOf(schema) + 1);
        } else if ("GET".equals(exchange.getRequestMethod()) && path.matches("/schemas/ids/\\d+")) {
            int id = Integer.parseInt(path.substring("/schemas/ids/".length()));
            if (id >= 1 && id <= schemas.size()) {
                body = Map.of("schema", schemas.get(id - 1));
            } else {
                status = 404;
                body = Map.of("error_code", 40403, "message", "Schema not found");
            }
        } else {
            status = 404;
            body = Map.of("error_code", 404, "message", "not supported here: " + path);
        }
        byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
