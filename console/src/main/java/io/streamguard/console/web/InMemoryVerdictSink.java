package io.streamguard.console.web;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps verdicts in memory, in arrival order: for tests and for a console run without Kafka. */
public final class InMemoryVerdictSink implements VerdictSink {
    private final List<Verdict> verdicts = new CopyOnWriteArrayList<>();

    @Override
    public void send(Verdict verdict) {
        verdicts.add(verdict);
    }

    public List<Verdict> verdicts() {
        return List.copyOf(verdicts);
    }
}
