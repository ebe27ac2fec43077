package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;

/**
 * The {@code UserDeviceConfig} object of the Cloud Hypervisor REST API.
 *
 * <p>Mirrors the {@code UserDeviceConfig} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param socket the {@code socket} field (required)
 * @param id the {@code id} field; null when absent
 * @param pciSegment the {@code pci_segment} field; null when absent
 * @param pciDeviceId the {@code pci_device_id} field; null when absent
 */
public record UserDeviceConfig(
        String socket,
        String id,
        @Json(name = "pci_segment") Integer pciSegment,
        @Json(name = "pci_device_id") Integer pciDeviceId) {
}
