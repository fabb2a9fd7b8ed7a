package io.streamguard.console.store;

import java.util.List;
import java.util.Optional;

/** A page of a queue; {@code next} is present when the page was full, so more may follow. */
public record QueuePage(List<QueueItem> items, Optional<Cursor> next) {
    public QueuePage {
        items = List.copyOf(items);
    }
}
