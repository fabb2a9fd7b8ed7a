/**
 * Load on the pipeline from real texts: the {@code up --demo} traffic with its live view, and the
 * benchmark's rate-controlled producer with an end-to-end latency consumer.
 */
package io.streamguard.launcher.traffic;
