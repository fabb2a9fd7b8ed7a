package io.streamguard.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamguard.model.encoder.EncoderClosedException;
import io.streamguard.model.encoder.EncoderException;
import io.streamguard.model.encoder.UnsupportedEncoderException;
import io.streamguard.model.encoder.onnx.InvalidModelException;
import io.streamguard.model.heads.HeadsFileException;
import io.streamguard.model.heads.IncompatibleHeadsException;
import io.streamguard.model.tokenizer.InvalidVocabularyException;
import io.streamguard.model.tokenizer.TokenizerException;
import io.streamguard.model.tokenizer.UnsupportedTokenizerException;
import io.streamguard.model.training.DatasetFormatException;
import io.streamguard.model.training.TrainingException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The tree documented in {@code package-info.java}: callers such as the CLI catch the root alone. */
class ModelRuntimeExceptionTest {

    @Test
    void everyTypedFailureOfTheModuleIsAModelRuntimeException() {
        List<RuntimeException> failures = List.of(
                new EncoderException("engine failed"),
                new BatchFailedException(0, 1, new int[] {0}, new EncoderException("engine failed")),
                new UnsupportedEncoderException("gpt", Set.of("minilm-l6")),
                new InvalidModelException("no weights"),
                new EncoderClosedException("minilm-l6"),
                new InvalidVocabularyException("duplicate token"),
                new UnsupportedTokenizerException("not WordPiece"),
                new HeadsFileException(Path.of("heads.json"), "missing field 'version'"),
                new IncompatibleHeadsException("other encoder"),
                new TrainingException("loss diverged"),
                new DatasetFormatException(Path.of("train.tsv"), 3, "unknown label"));
        assertThat(failures).allSatisfy(e -> assertThat(e).isInstanceOf(ModelRuntimeException.class));
    }

    @Test
    void subtreesSayWhatACallerCanDo() {
        // Retry or dead-letter the batch:
        assertThat(new BatchFailedException(0, 1, new int[] {0}, new EncoderException("x")))
                .isInstanceOf(EncoderException.class);
        // A closed engine is the caller's bug: never a batch failure, so never dead-lettered.
        assertThat(new EncoderClosedException("minilm-l6"))
                .isNotInstanceOf(EncoderException.class)
                .hasMessage("minilm-l6 encoder is closed");
        assertThat(new InvalidVocabularyException("x")).isInstanceOf(TokenizerException.class);
        assertThat(new UnsupportedTokenizerException("x")).isInstanceOf(TokenizerException.class);
        assertThat(new InvalidModelException("x")).isInstanceOf(EncoderException.class);
        assertThat(new UnsupportedEncoderException("gpt", Set.of())).isInstanceOf(EncoderException.class);
    }
}
