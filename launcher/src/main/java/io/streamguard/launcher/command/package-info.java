/**
 * The top-level commands, one class each, with the options they share ({@link
 * io.streamguard.launcher.command.ClientOptions}) and what {@code up} and {@code worker} share
 * ({@link io.streamguard.launcher.command.Pipeline}).
 */
package io.streamguard.launcher.command;
