package dev.virtualghost.ch.model;

import dev.virtualghost.ch.internal.Copies;
import com.squareup.moshi.Json;
import java.util.List;

/**
 * The {@code GenericVhostUserConfig} object of the Cloud Hypervisor REST API.
 *
 * <p>Mirrors the {@code GenericVhostUserConfig} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param socket the {@code socket} field (required)
 * @param queueSizes the {@code queue_sizes} field (required)
 * @param pciSegment the {@code pci_segment} field; null when absent
 * @param pciDeviceId the {@code pci_device_id} field; null when absent
 * @param id the {@code id} field; null when absent
 * @param deviceType the {@code device_type} field (required)
 */
public record GenericVhostUserConfig(
        String socket,
        @Json(name = "queue_sizes") List<Integer> queueSizes,
        @Json(name = "pci_segment") Integer pciSegment,
        @Json(name = "pci_device_id") Integer pciDeviceId,
        String id,
        @Json(name = "device_type") Long deviceType) {
    /** Copies the lists so the record cannot change; null (absent) stays null. */
    public GenericVhostUserConfig {
        queueSizes = Copies.list(queueSizes);
    }
}
