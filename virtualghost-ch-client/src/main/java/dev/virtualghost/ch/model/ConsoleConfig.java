package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;

/**
 * The {@code ConsoleConfig} object of the Cloud Hypervisor REST API.
 *
 * <p>Mirrors the {@code ConsoleConfig} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param file the {@code file} field; null when absent
 * @param socket the {@code socket} field; null when absent
 * @param mode the {@code mode} field (required)
 * @param iommu the {@code iommu} field; null when absent
 * @param id the {@code id} field; null when absent
 * @param pciSegment the {@code pci_segment} field; null when absent
 * @param pciDeviceId the {@code pci_device_id} field; null when absent
 */
public record ConsoleConfig(
        String file,
        String socket,
        String mode,
        Boolean iommu,
        String id,
        @Json(name = "pci_segment") Integer pciSegment,
        @Json(name = "pci_device_id") Integer pciDeviceId) {
}
