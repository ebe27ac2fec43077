package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;

/**
 * The {@code RtcConfig} object of the Cloud Hypervisor REST API.
 *
 * <p>Mirrors the {@code RtcConfig} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param id the {@code id} field; null when absent
 * @param pciSegment the {@code pci_segment} field; null when absent
 * @param pciDeviceId the {@code pci_device_id} field; null when absent
 * @param iommu the {@code iommu} field; null when absent
 */
public record RtcConfig(
        String id,
        @Json(name = "pci_segment") Integer pciSegment,
        @Json(name = "pci_device_id") Integer pciDeviceId,
        Boolean iommu) {
}
