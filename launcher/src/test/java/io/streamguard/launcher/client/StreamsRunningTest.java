package io.streamguard.launcher.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamguard.launcher.cli.LauncherException;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

class StreamsRunningTest {

    @Test
    void returnsOnceRunning() {
        Iterator<State> states =
                List.of(State.CREATED, State.REBALANCING, State.RUNNING).iterator();

        StreamsRunning.await("the worker", states::next, Duration.ofSeconds(30));

        assertThat(states.hasNext()).isFalse();
    }

    @Test
    void failsAtOnceWhenTheClientStopped() {
        for (State stopped : List.of(State.ERROR, State.NOT_RUNNING)) {
            Iterator<State> states = List.of(State.REBALANCING, stopped).iterator();

            assertThatThrownBy(() -> StreamsRunning.await("the worker", states::next, Duration.ofMinutes(5)))
                    .isInstanceOf(LauncherException.class)
                    .hasMessage("the worker stopped while starting (state " + stopped + ")");
        }
    }

    @Test
    void failsAfterTheTimeoutNamingTheLastState() {
        assertThatThrownBy(() -> StreamsRunning.await("the bench worker", () -> State.REBALANCING, Duration.ZERO))
                .isInstanceOf(LauncherException.class)
                .hasMessage("the bench worker did not reach RUNNING within 0 s (state REBALANCING;"
                        + " is the broker reachable?)");
    }
}
