/** Text events as {@code streamguard produce} reads them: JSONL or TSV lines, checked line by line. */
package io.streamguard.launcher.input;
