package dev.virtualghost.ch.model;

import dev.virtualghost.ch.internal.Copies;
import com.squareup.moshi.Json;
import java.util.List;

/**
 * The {@code VirtQueueAffinity} object of the Cloud Hypervisor REST API.
 *
 * <p>Mirrors the {@code VirtQueueAffinity} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param queueIndex the {@code queue_index} field (required)
 * @param hostCpus the {@code host_cpus} field (required)
 */
public record VirtQueueAffinity(
        @Json(name = "queue_index") Integer queueIndex,
        @Json(name = "host_cpus") List<Integer> hostCpus) {
    /** Copies the lists so the record cannot change; null (absent) stays null. */
    public VirtQueueAffinity {
        hostCpus = Copies.list(hostCpus);
    }
}
