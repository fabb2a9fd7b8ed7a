package io.streamguard.topology;

import io.streamguard.avro.LabeledEvent;
import io.streamguard.avro.ModerationPolicy;
import io.streamguard.avro.PendingInference;
import io.streamguard.avro.TextEvent;
import io.streamguard.avro.TokenizedEvent;
import io.streamguard.schemas.registry.RegistryClient;
import io.streamguard.schemas.registry.RegistryConfig.SerdeSettings;
import io.streamguard.schemas.serde.AvroDeserializer;
import io.streamguard.schemas.serde.AvroSerde;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** The serdes of every topic and store in the pipeline, sharing one registry client. */
public final class PipelineSerdes {

    private final RegistryClient registry;
    private final SerdeSettings settings;

    public PipelineSerdes(RegistryClient registry, SerdeSettings settings) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Default serde settings (auto-registration on). */
    public PipelineSerdes(RegistryClient registry) {
        this(registry, SerdeSettings.DEFAULTS);
    }

    public Serde<String> key() {
        return Serdes.String();
    }

    /** {@code text-events} values, with their original bytes kept for dead letters. */
    Serde<Sourced<TextEvent>> sourcedTextEvent() {
        return Sourced.serde(AvroDeserializer.specific(TextEvent.class, registry));
    }

    public Serde<TextEvent> textEvent() {
        return AvroSerde.specific(TextEvent.class, registry, settings);
    }

    public Serde<TokenizedEvent> tokenizedEvent() {
        return AvroSerde.specific(TokenizedEvent.class, registry, settings);
    }

    public Serde<LabeledEvent> labeledEvent() {
        return AvroSerde.specific(LabeledEvent.class, registry, settings);
    }

    public Serde<ModerationPolicy> policy() {
        return AvroSerde.specific(ModerationPolicy.class, registry, settings);
    }

    Serde<PendingInference> pendingInference() {
        // The buffer's changelog is ours alone: always register, whatever producers are allowed to do.
        return AvroSerde.specific(PendingInference.class, registry, SerdeSettings.DEFAULTS);
    }
}
