package io.streamguard.launcher.cli;

import io.streamguard.model.encoder.EncoderFactory;
import io.streamguard.model.encoder.Precision;
import java.util.TreeSet;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Checks of option values that several commands share. Each failure is a usage error: exit status 2
 * and one line naming the option, before anything starts.
 */
public final class Usage {
    private Usage() {}

    /** A usage error of {@code spec}'s command. */
    public static ParameterException error(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** {@code option}'s {@code value} must be at least {@code min}. */
    public static void atLeast(CommandSpec spec, String option, long value, long min) {
        if (value < min) {
            throw error(spec, option + " must be at least " + min + ", was " + value);
        }
    }

    /** {@code option}'s {@code value} must be a finite number above zero (a rate). */
    public static void positive(CommandSpec spec, String option, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw error(spec, option + " must be positive, was " + value);
        }
    }

    /** {@code id} must name an encoder this build offers. */
    public static void knownEncoder(CommandSpec spec, String option, String id) {
        if (!EncoderFactory.AVAILABLE.contains(id)) {
            throw error(
                    spec,
                    option
                            + ": unknown encoder '"
                            + id
                            + "' (available: "
                            + String.join(", ", new TreeSet<>(EncoderFactory.AVAILABLE))
                            + ")");
        }
    }

    /** {@code --precision}'s {@code value} as a {@link Precision} (auto, fp32, bf16, fp16, any case). */
    public static Precision precision(CommandSpec spec, String value) {
        try {
            return Precision.parse(value);
        } catch (IllegalArgumentException e) {
            throw error(spec, "--precision: " + e.getMessage());
        }
    }
}
