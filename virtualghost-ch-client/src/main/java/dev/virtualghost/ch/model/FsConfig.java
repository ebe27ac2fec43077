package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;

/**
 * The {@code FsConfig} object of the Cloud Hypervisor REST API.
 *
 * <p>Mirrors the {@code FsConfig} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param tag the {@code tag} field (required)
 * @param socket the {@code socket} field (required)
 * @param numQueues the {@code num_queues} field (required)
 * @param queueSize the {@code queue_size} field (required)
 * @param pciSegment the {@code pci_segment} field; null when absent
 * @param pciDeviceId the {@code pci_device_id} field; null when absent
 * @param id the {@code id} field; null when absent
 */
public record FsConfig(
        String tag,
        String socket,
        @Json(name = "num_queues") Integer numQueues,
        @Json(name = "queue_size") Integer queueSize,
        @Json(name = "pci_segment") Integer pciSegment,
        @Json(name = "pci_device_id") Integer pciDeviceId,
        String id) {
}
