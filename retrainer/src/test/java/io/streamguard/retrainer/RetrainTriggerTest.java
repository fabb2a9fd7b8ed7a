package io.streamguard.retrainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetrainTriggerTest {

    private final RetrainTrigger trigger = new RetrainTrigger(50, Duration.ofMinutes(10));
    private final Instant last = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void firesAtNVerdictsWhateverTheTime() {
        assertThat(trigger.due(49, last, last.plusSeconds(1))).isFalse();
        assertThat(trigger.due(50, last, last.plusSeconds(1))).isTrue();
    }

    @Test
    void firesAfterTheIntervalOnlyIfSomethingNewArrived() {
        assertThat(trigger.due(1, last, last.plus(Duration.ofMinutes(10)).minusMillis(1)))
                .isFalse();
        assertThat(trigger.due(1, last, last.plus(Duration.ofMinutes(10)))).isTrue();
        assertThat(trigger.due(0, last, last.plus(Duration.ofHours(5))))
                .as("no feedback, no retrain")
                .isFalse();
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> new RetrainTrigger(0, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetrainTrigger(5, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
