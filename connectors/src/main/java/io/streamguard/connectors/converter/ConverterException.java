package io.streamguard.connectors.converter;

import io.streamguard.connectors.ConnectorsException;

/**
 * Root of what {@link AvroConverter} and {@link AvroData} throw for a record they cannot convert. The message is
 * always one line (whitespace runs collapsed), because Connect copies it into the {@code
 * __connect.errors.exception.message} header of a dead-lettered record, where a moderator or operator reads it.
 */
public abstract class ConverterException extends ConnectorsException {
    private static final long serialVersionUID = 1L;

    protected ConverterException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    static String oneLine(String message) {
        return message == null ? null : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
