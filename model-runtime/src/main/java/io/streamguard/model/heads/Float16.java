package io.streamguard.model.heads;

import io.streamguard.model.encoder.LowRankAdapters;

/**
 * IEEE 754 binary16 ("half") conversions, for storing head weights at half the size. Java 17 has no
 * {@code Float.floatToFloat16} (it came in Java 20); these follow the same rules: round to nearest,
 * ties to even, overflow to infinity, subnormals kept, NaN stays NaN.
 */
public final class Float16 {

    private Float16() {}

    /** The half nearest to {@code value}, as its 16 bits. */
    public static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xff;
        int mantissa = bits & 0x7f_ffff;
        if (exponent == 0xff) { // infinity, or NaN with a quiet bit so it stays NaN
            return (short) (sign | 0x7c00 | (mantissa != 0 ? 0x200 | (mantissa >>> 13) : 0));
        }
        int e = exponent - 127 + 15; // rebiased exponent
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00); // too large: infinity
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign; // below half the smallest subnormal: signed zero
            }
            // Subnormal half: shift the full significand (implicit 1 included) right, rounding to even.
            int significand = mantissa | 0x80_0000;
            int shift = 14 - e;
            int half = significand >>> shift;
            int rest = significand & ((1 << shift) - 1);
            int halfway = 1 << (shift - 1);
            if (rest > halfway || (rest == halfway && (half & 1) != 0)) {
                half++; // may carry into the smallest normal, which is the right answer
            }
            return (short) (sign | half);
        }
        int half = (e << 10) | (mantissa >>> 13);
        int rest = mantissa & 0x1fff;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) != 0)) {
            half++; // a carry out of the mantissa bumps the exponent, up to infinity: still correct
        }
        return (short) (sign | half);
    }

    /** The float equal to the half {@code bits} (every half is exactly a float). */
    public static float toFloat(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f80_0000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // Zero or subnormal: mantissa * 2^-24, exact in float.
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }

    /** {@code value} rounded to the nearest half, as a float. */
    public static float round(float value) {
        return toFloat(fromFloat(value));
    }

    /** Whether every value is exactly a half, so storing them as halves loses nothing. */
    public static boolean allExact(float[] values) {
        for (float v : values) {
            // Bits, not ==: -0f == 0f would hide a sign, and a NaN's payload would not survive.
            if (Float.floatToRawIntBits(round(v)) != Float.floatToRawIntBits(v)) {
                return false;
            }
        }
        return true;
    }

    /** {@code values} rounded to halves, in a new array. */
    public static float[] round(float[] values) {
        float[] rounded = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            rounded[i] = round(values[i]);
        }
        return rounded;
    }

    /**
     * {@code adapters} with every factor rounded to halves, so {@link HeadsFile} stores them at half the size
     * (as the trainer rounds head weights); the merged encoder then runs on exactly what the file holds.
     */
    public static LowRankAdapters round(LowRankAdapters adapters) {
        return adapters.map(Float16::round);
    }
}
