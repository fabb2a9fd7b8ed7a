package io.streamguard.retrainer;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Which feedback the gate keeps back: a stable hash of the event id, so an event is held back in
 * every retrain, on every machine, and the gate never judges a candidate on what it trained on.
 */
public final class Holdout {

    private Holdout() {}

    /** Whether {@code eventId} belongs to the held-back {@code percent}. */
    public static boolean heldOut(String eventId, int percent) {
        CRC32C crc = new CRC32C();
        crc.update(eventId.getBytes(StandardCharsets.UTF_8));
        return crc.getValue() % 100 < percent;
    }
}
