/**
 * The local stack {@code streamguard up} runs and tests start: a KRaft broker in this JVM ({@link
 * io.streamguard.launcher.stack.EmbeddedKafka}), the Apicurio registry as a child process ({@link
 * io.streamguard.launcher.stack.EmbeddedRegistry}), the demo application's PostgreSQL ({@link
 * io.streamguard.launcher.stack.EmbeddedPostgres}) and all of them together with the standard topics
 * ({@link io.streamguard.launcher.stack.EmbeddedStack}).
 */
package io.streamguard.launcher.stack;
