/**
 * StreamGuard's Kafka Connect plugin: {@code converter} (Avro in Confluent's wire format through any
 * Confluent-API schema registry) and {@code transforms} (between our topics' records and database rows).
 * Everything here runs inside a Connect worker, which supplies Connect's API; {@link
 * io.streamguard.connectors.ConnectorsException} is the one root of what it throws.
 */
package io.streamguard.connectors;
