/**
 * The {@code streamguard} command line: {@link io.streamguard.launcher.StreamGuardCli} registers the
 * commands and maps failures to exit status and one line. Sub-packages by job, each using only those
 * below it (the root uses them all, none uses the root):
 *
 * <pre>
 *   command, bench     the commands: up, worker, policy, produce, consume, topics, train, eval,
 *                      retrainer, models, feedback; bench engine|memory|pipeline and what they measure
 *   stack, traffic     the embedded broker and registry; demo and benchmark load on a cluster
 *   client, input      Kafka clients, serdes and topic access; JSONL/TSV input events
 *   cli                what every command shares: one-line messages, the root exception, the
 *                      checkout and its model files, usage checks
 * </pre>
 */
package io.streamguard.launcher;
