package io.streamguard.topology;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** One line per dead letter, a few a second, and a count of those left out. */
class RejectionLogTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger("test.rejections." + System.nanoTime());
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private final RejectionLog log = new RejectionLog(logger, 3, clock::get);

    RejectionLogTest() {
        lines.start();
        logger.addAppender(lines);
        logger.setAdditive(false);
        logger.setLevel(Level.INFO);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(lines);
    }

    @Test
    void anExpectedRejectionIsOneLineWithWhereWhatAndWhyAndNoStackTrace() {
        log.deadLettered("text-events", 2, 41, "e-7", DeadLetterReason.EMPTY_TEXT, rejection("event e-7 is empty"));

        assertThat(lines.list).singleElement().satisfies(line -> {
            assertThat(line.getLevel()).isEqualTo(Level.WARN);
            assertThat(line.getFormattedMessage())
                    .isEqualTo("Dead-lettered text-events-2@41 key=e-7 EMPTY_TEXT: event e-7 is empty");
            assertThat(line.getThrowableProxy()).isNull();
        });
    }

    @Test
    void theStackTraceIsThereAtDebug() {
        logger.setLevel(Level.DEBUG);
        log.deadLettered("text-events", 0, 1, "k", DeadLetterReason.TEXT_TOO_LARGE, rejection("too large"));

        assertThat(lines.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.DEBUG);
        assertThat(lines.list.get(0).getThrowableProxy()).isNull();
        assertThat(lines.list.get(1).getThrowableProxy().getClassName())
                .isEqualTo(RejectedRecordException.class.getName());
    }

    @Test
    void anUnexpectedFailureKeepsItsStackTrace() {
        log.deadLettered(
                "text-events", 0, 1, "k", DeadLetterReason.PROCESSING_FAILED, new IllegalStateException("bug"));

        assertThat(lines.list).singleElement().satisfies(line -> assertThat(
                        line.getThrowableProxy().getClassName())
                .isEqualTo(IllegalStateException.class.getName()));
    }

    @Test
    void keysAndMessagesStayOnOneShortLine() {
        log.deadLettered(
                "text-events",
                0,
                1,
                "two\nlines" + "k".repeat(100),
                DeadLetterReason.INFERENCE_FAILED,
                rejection("engine said:\n\tsomething\r\n" + "x".repeat(1000)));

        String line = lines.list.get(0).getFormattedMessage();
        assertThat(line).doesNotContain("\n", "\r", "\t").contains("key=two lines", "engine said: something xxx");
        assertThat(line.length()).isLessThan(450);
    }

    @Test
    void aFloodIsCutToAFewLinesASecondAndTheRestIsCounted() {
        for (int i = 0; i < 1000; i++) {
            log.deadLettered("text-events", 0, i, "k" + i, DeadLetterReason.BAD_MAGIC_BYTE, rejection("bad"));
        }
        assertThat(messages()).hasSize(3).last().asString().endsWith("(any more this second are counted, not logged)");

        clock.addAndGet(1000);
        log.deadLettered("text-events", 0, 1000, "k1000", DeadLetterReason.BAD_MAGIC_BYTE, rejection("bad"));

        assertThat(messages())
                .hasSize(5)
                .element(3)
                .asString()
                .startsWith("997 more dead-lettered record(s) not logged in the last 1 s");
        assertThat(messages().get(4)).startsWith("Dead-lettered text-events-0@1000 key=k1000");
    }

    private List<String> messages() {
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static RejectedRecordException rejection(String message) {
        return new RejectedRecordException(DeadLetterReason.EMPTY_TEXT, message);
    }
}
