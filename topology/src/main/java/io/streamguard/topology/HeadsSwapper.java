package io.streamguard.topology;

import io.streamguard.model.heads.HeadsModel;

/**
 * A scorer whose heads can be replaced while it serves, so a worker can follow published model
 * versions ({@link ModelVersionFollower}) without a restart.
 */
public interface HeadsSwapper {

    /** The heads new batches use. */
    HeadsModel heads();

    /**
     * Serves {@code next} from the next batch on; batches in flight finish on the heads they started with.
     *
     * @return the heads replaced
     * @throws io.streamguard.model.heads.IncompatibleHeadsException if {@code next} does not fit the loaded
     *     encoder (another encoder, vocabulary, hidden size or maximum length); the current heads stay
     */
    HeadsModel swapHeads(HeadsModel next);
}
