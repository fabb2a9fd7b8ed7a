/**
 * What every command shares and the bottom of the launcher: one-line messages ({@link
 * io.streamguard.launcher.cli.Messages}), the root exception ({@link
 * io.streamguard.launcher.cli.LauncherException}), the checkout and its trained heads ({@link
 * io.streamguard.launcher.cli.ModelFiles}), usage checks. Imports no other launcher package.
 */
package io.streamguard.launcher.cli;
