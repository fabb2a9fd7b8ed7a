package io.streamguard.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamguard.model.tokenizer.InvalidVocabularyException;
import io.streamguard.retrainer.RetrainerException;
import io.streamguard.schemas.registry.RegistryUnreachableException;
import io.streamguard.topology.DeadLetterReason;
import io.streamguard.topology.RejectedRecordException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** A failure at run time is exit 1 and one line; each module's typed failures say their own message. */
class RuntimeErrorsTest {
    static Stream<Arguments> failures() {
        return Stream.of(
                // model-runtime's root, through a subclass the old hand-kept list did not name
                Arguments.of(
                        new InvalidVocabularyException("vocab.txt: line 3\n  is empty"),
                        "streamguard: vocab.txt: line 3 is empty"),
                Arguments.of(
                        new RegistryUnreachableException("registry http://h:1 unreachable", 3, null),
                        "streamguard: registry http://h:1 unreachable"),
                Arguments.of(
                        new RejectedRecordException(DeadLetterReason.EMPTY_TEXT, "text is empty"),
                        "streamguard: text is empty"),
                Arguments.of(new RetrainerException("could not publish v2", null), "streamguard: could not publish v2"),
                Arguments.of(
                        new IllegalStateException("boom"),
                        "streamguard: internal error: java.lang.IllegalStateException: boom"
                                + " (STREAMGUARD_LOG_LEVEL=DEBUG shows the stack trace)"));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void oneLineAndExitOne(Exception failure, String expected) {
        StringWriter err = new StringWriter();
        CommandLine cmd = StreamGuardCli.newCommandLine().setErr(new PrintWriter(err));

        int exit = new StreamGuardCli.RuntimeErrors().handleExecutionException(failure, cmd, null);

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).isEqualTo(expected + System.lineSeparator());
    }
}
