/**
 * Talking to a cluster: client settings that fail fast ({@link io.streamguard.launcher.client.KafkaClients}),
 * the CLI's serdes and JSON view of Avro, the topics the CLI reads and writes, and waiting for a worker
 * to run ({@link io.streamguard.launcher.client.StreamsRunning}).
 */
package io.streamguard.launcher.client;
