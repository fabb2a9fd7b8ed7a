/**
 * Benchmarks of the model runtime that need no Kafka: {@link io.streamguard.model.bench.EngineBenchmark}
 * (encoder throughput and latency against a bare TensorFlow session, tokenizer share) and
 * {@link io.streamguard.model.bench.MemoryBenchmark} (resident set size over many inferences). The
 * launcher's {@code streamguard bench} commands print their reports.
 */
package io.streamguard.model.bench;
