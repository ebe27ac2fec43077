package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;
import dev.virtualghost.ch.internal.Copies;
import java.util.List;

/**
 * Pins one disk queue's I/O worker thread to a set of host CPUs.
 *
 * <p>Mirrors the {@code VirtQueueAffinity} schema of CH's REST API: a null component is left out of the JSON, so CH
 * applies its own default; unknown fields sent by a newer CH are ignored. Immutable.
 *
 * @param queueIndex the queue index (0-based, below {@link DiskConfig#numQueues()})
 * @param hostCpus host CPU numbers the worker may run on
 */
public record VirtQueueAffinity(
        @Json(name = "queue_index") Integer queueIndex,
        @Json(name = "host_cpus") List<Integer> hostCpus) {

    /**
     * Creates the record; list and map components are copied, so later changes to the arguments do not show.
     *
     * @param queueIndex the queue index (0-based, below {@link DiskConfig#numQueues()})
     * @param hostCpus host CPU numbers the worker may run on
     */
    public VirtQueueAffinity {
        hostCpus = Copies.list(hostCpus);
    }
}
