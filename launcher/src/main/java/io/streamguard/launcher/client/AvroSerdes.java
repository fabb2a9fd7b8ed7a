package io.streamguard.launcher.client;

import io.streamguard.avro.TextEvent;
import io.streamguard.launcher.cli.LauncherException;
import io.streamguard.launcher.cli.Messages;
import io.streamguard.schemas.serde.AvroDeserializer;
import io.streamguard.schemas.serde.AvroSerializer;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.config.ConfigException;

/** The schemas module's registry-backed serdes, configured for the CLI's one-shot clients. */
public final class AvroSerdes {
    private AvroSerdes() {}

    /**
     * Registers TextEvent's schema under {@code <topic>-value} on first use (the serde's default).
     */
    public static AvroSerializer<TextEvent> textEventSerializer(String registryUrl) {
        AvroSerializer<TextEvent> serializer = new AvroSerializer<>();
        try {
            serializer.configure(ClientSecurity.current().registry(registryUrl), false);
        } catch (ConfigException e) {
            throw new LauncherException(e.getMessage(), e);
        }
        return serializer;
    }

    /** Decodes any value with the writer's schema from the registry; no generated class needed. */
    public static AvroDeserializer<GenericRecord> genericDeserializer(String registryUrl) {
        AvroDeserializer<GenericRecord> deserializer = AvroDeserializer.generic();
        try {
            deserializer.configure(ClientSecurity.current().registry(registryUrl), false);
        } catch (ConfigException e) {
            throw new LauncherException(e.getMessage(), e);
        }
        return deserializer;
    }

    /** The serde's message, plus the underlying registry error when it adds something. */
    public static String describe(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            message += ": " + cause.getMessage();
        }
        return Messages.oneLine(message);
    }
}
