/**
 * Hostile input for the labeling pipeline (issue 16): a hand-written corpus of bad records ({@link
 * io.streamguard.topology.hostile.HostileCorpus}) and a seeded fuzzer of valid ones ({@link
 * io.streamguard.topology.hostile.Mutants}), in main code so that the topology test, {@code bench hostile}
 * and its integration test send the same bytes. Nothing here throws beyond the serializer it is given.
 */
package io.streamguard.topology.hostile;
