package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;

/**
 * The {@code VmAddUserDevice} object of the Cloud Hypervisor REST API.
 *
 * <p>Mirrors the {@code VmAddUserDevice} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param socket the {@code socket} field (required)
 * @param pciSegment the {@code pci_segment} field; null when absent
 * @param pciDeviceId the {@code pci_device_id} field; null when absent
 */
public record VmAddUserDevice(
        String socket,
        @Json(name = "pci_segment") Integer pciSegment,
        @Json(name = "pci_device_id") Integer pciDeviceId) {
}
