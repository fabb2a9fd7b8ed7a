/**
 * Everything {@code streamguard bench} measures and prints: {@link io.streamguard.launcher.bench.EngineBenchmark}
 * (encoder throughput and latency against a bare TensorFlow session, tokenizer share) and
 * {@link io.streamguard.launcher.bench.MemoryBenchmark} (resident set size over many inferences) need
 * no Kafka; {@link io.streamguard.launcher.bench.PipelineBenchmark} runs the whole labeling pipeline on
 * an embedded stack. The benchmarks use only model-runtime's and topology's public API.
 */
package io.streamguard.launcher.bench;
