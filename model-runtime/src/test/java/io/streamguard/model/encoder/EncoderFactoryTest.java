package io.streamguard.model.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncoderFactoryTest {

    @Test
    void unknownIdsFailWithATypedException() {
        assertThatThrownBy(() -> EncoderFactory.create(EncoderConfig.of("gpt-17")))
                .isInstanceOfSatisfying(UnsupportedEncoderException.class, e -> {
                    assertThat(e.encoderId()).isEqualTo("gpt-17");
                    assertThat(e).hasMessageContaining("bert-base-uncased");
                })
                .isInstanceOf(EncoderException.class);
    }

    @Test
    void configDefaultsAndValidation() {
        EncoderConfig config = EncoderConfig.of(EncoderConfig.BERT_BASE_UNCASED);
        assertThat(config.device()).isEqualTo(Device.AUTO);
        assertThat(config.maxLength()).isEqualTo(128);
        assertThat(config.modelPath()).isNull();
        assertThat(config.cacheDir()).isEqualTo(Path.of(System.getProperty("user.home"), ".cache/streamguard/models"));
        assertThat(config.withDevice(Device.GPU).withMaxLength(256).device()).isEqualTo(Device.GPU);
        assertThatThrownBy(() -> config.withMaxLength(1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () -> EncoderFactory.create(config.withMaxLength(513).withCacheDir(Path.of("target/unused"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("512");
    }

    @Test
    void miniLmIsConfigurationNotCode() {
        assertThat(EncoderFactory.AVAILABLE).contains(EncoderConfig.BERT_BASE_UNCASED, EncoderConfig.MINILM_L6);
        try (LoadedEncoder loaded =
                EncoderFactory.create(EncoderConfig.of(EncoderConfig.MINILM_L6).withDevice(Device.CPU))) {
            assertThat(loaded.encoder().info().id()).isEqualTo("minilm-l6");
            assertThat(loaded.encoder().info().hidden()).isEqualTo(384);
            assertThat(loaded.tokenizer().vocabulary().vocabHash())
                    .isEqualTo(loaded.encoder().info().vocabHash());
            Embeddings e = loaded.encoder().encode(loaded.tokenizer().encodeBatch(List.of("hello world", "spam spam")));
            assertThat(e.batchSize()).isEqualTo(2);
            assertThat(e.hidden()).isEqualTo(384);
        }
    }

    @Test
    void theChineseEncoderIsConfigurationToo() {
        assertThat(EncoderFactory.AVAILABLE).contains(EncoderConfig.BGE_SMALL_ZH);
        EncoderConfig config = EncoderConfig.of(EncoderConfig.BGE_SMALL_ZH)
                .withDevice(Device.CPU)
                .withMaxLength(64);
        var alone = EncoderFactory.tokenizer(config);
        try (LoadedEncoder loaded = EncoderFactory.create(config)) {
            assertThat(loaded.encoder().info().id()).isEqualTo("bge-small-zh");
            assertThat(loaded.encoder().info().hidden()).isEqualTo(512);
            assertThat(alone.vocabulary().vocabHash())
                    .isEqualTo(loaded.encoder().info().vocabHash());
            assertThat(alone.encode("这家店的服务太差了")).isEqualTo(loaded.tokenizer().encode("这家店的服务太差了"));
            // One id per Chinese character between [CLS] and [SEP].
            assertThat(alone.encode("服务太差").ids()).hasSize(6);
            Embeddings e = loaded.encoder().encode(loaded.tokenizer().encodeBatch(List.of("服务很好", "太差了")));
            assertThat(e.batchSize()).isEqualTo(2);
            assertThat(e.hidden()).isEqualTo(512);
        }
        // The English vocabulary's hash differs: heads trained on one can never load on the other.
        assertThat(EncoderFactory.tokenizer(EncoderConfig.of(EncoderConfig.MINILM_L6))
                        .vocabulary()
                        .vocabHash())
                .isNotEqualTo(alone.vocabulary().vocabHash());
    }

    @Test
    void tokenizerOnlyMatchesTheLoadedEncodersTokenizer() {
        EncoderConfig config =
                EncoderConfig.of(EncoderConfig.MINILM_L6).withDevice(Device.CPU).withMaxLength(64);
        var alone = EncoderFactory.tokenizer(config);
        try (LoadedEncoder loaded = EncoderFactory.create(config)) {
            assertThat(alone.vocabulary().vocabHash())
                    .isEqualTo(loaded.encoder().info().vocabHash());
            assertThat(alone.options()).isEqualTo(loaded.tokenizer().options());
            assertThat(alone.encode("Hello, wörld! Unbelievable."))
                    .isEqualTo(loaded.tokenizer().encode("Hello, wörld! Unbelievable."));
        }
    }

    @Test
    void bertTokenizerIsStreamedOutOfTheZipWithoutUnpackingTheWeights(@TempDir Path cache) {
        var tokenizer = EncoderFactory.tokenizer(
                EncoderConfig.of(EncoderConfig.BERT_BASE_UNCASED).withCacheDir(cache));

        assertThat(tokenizer.vocabulary().size()).isEqualTo(30_522);
        // bert-base-uncased's well-known ids for [CLS] hello world [SEP].
        assertThat(tokenizer.encode("Hello world").ids()).containsExactly(101, 7592, 2088, 102);
        assertThat(cache).isEmptyDirectory();
        assertThatThrownBy(() -> EncoderFactory.tokenizer(EncoderConfig.of("gpt-17")))
                .isInstanceOf(UnsupportedEncoderException.class);
    }
}
